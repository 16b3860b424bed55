#pragma once

#include <QHash>
#include <QHostAddress>
#include <QPointer>
#include <QTcpServer>
#include <QTcpSocket>

namespace relay {

// Accepts client connections and remembers each socket by its peer address and port, so a
// request handler can watch its client's socket (Qt 6.8's responder no longer exposes it).
// It also sees each request's bytes before QHttpServer buffers them: a request head over 64 KB
// gets 431, a body over the limit 413 (by Content-Length, or by counting), and the connection
// is closed before the relay holds more than the limit in memory.
class ClientListener final : public QTcpServer
{
    Q_OBJECT
public:
    explicit ClientListener(QObject *parent = nullptr);

    QTcpSocket *socketFor(const QHostAddress &address, quint16 port) const;
    void setMaxBodyBytes(qint64 bytes) { m_maxBodyBytes = bytes; }
    // A whole request reached its handler: the next bytes on `socket` start a new one.
    void requestArrived(QTcpSocket *socket);
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
        bool anthropic = false; // errors in Anthropic's format
        bool refused = false; // answered; what still arrives is read and dropped
    };
    void onData(QTcpSocket *socket);
    void refuse(QTcpSocket *socket, int status, const QString &message);
    static QString peerKey(const QHostAddress &address, quint16 port);
    QHash<QString, QPointer<QTcpSocket>> m_sockets;
    QHash<QTcpSocket *, Guard> m_guards;
    qint64 m_maxBodyBytes = 32 * 1024 * 1024;
    bool m_closing = false;
};

} // namespace relay
