#pragma once

#include "ConnectionLimits.h"
#include "types/ApiError.h"

#include <QElapsedTimer>
#include <QHash>
#include <QHostAddress>
#include <QPointer>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTimer>

namespace relay {

// Accepts client connections and remembers each socket by its peer address and port, so a
// request handler can watch its client's socket (Qt 6.8's responder no longer exposes it).
// It also sees each request's bytes before QHttpServer buffers them: a request head over 64 KB
// gets 431, a body over the limit 413 (by Content-Length, or by counting), and the connection
// is closed before the relay holds more than the limit in memory. A once-a-second sweep closes
// connections idle between requests and answers 408 to heads that trickle in too slowly; past
// maxConnections new connections get 503.
class ClientListener final : public QTcpServer
{
    Q_OBJECT
public:
    explicit ClientListener(QObject *parent = nullptr);

    QTcpSocket *socketFor(const QHostAddress &address, quint16 port) const;
    void setLimits(const ConnectionLimits &limits) { m_limits = limits; }
    // A response is being written on socket (counted per socket): the connection is not idle.
    static void responseStarted(QTcpSocket *socket);
    static void responseEnded(QTcpSocket *socket);
    // A whole request reached its handler: the next bytes on `socket` start a new one.
    void requestArrived(QTcpSocket *socket);
    // Closes the connections with no response in flight (keep-alive connections between
    // requests), so that a closed port really stops new requests.
    void closeIdleConnections();
    // Closes every connection once its pending bytes are written; emits allClosed() after.
    void closeConnectionsGracefully();

Q_SIGNALS:
    void allClosed();

protected:
    void incomingConnection(qintptr descriptor) override;

private:
    struct Guard
    {
        qint64 received = 0; // bytes of the current request seen so far
        bool headChecked = false;
        ClientFormat format = ClientFormat::OpenAi; // of its errors
        bool refused = false; // answered; what still arrives is read and dropped
        qint64 lastActivityMs = 0; // on m_clock
        qint64 headStartedMs = -1; // the current request's first byte; -1: none yet
    };
    void sweep();
    void refuseWith(QTcpSocket *socket, int status, const QByteArray &reason, const QString &code,
                    const QString &message);
    void onData(QTcpSocket *socket);
    void refuse(QTcpSocket *socket, int status, const QString &message);
    static QString peerKey(const QHostAddress &address, quint16 port);
    QHash<QString, QPointer<QTcpSocket>> m_sockets;
    QHash<QTcpSocket *, Guard> m_guards;
    ConnectionLimits m_limits;
    QElapsedTimer m_clock;
    QTimer m_sweep;
    bool m_closing = false;
};

} // namespace relay
