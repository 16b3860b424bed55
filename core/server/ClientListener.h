#pragma once

#include <QHash>
#include <QHostAddress>
#include <QPointer>
#include <QTcpServer>
#include <QTcpSocket>

namespace relay {

// Accepts client connections and remembers each socket by its peer address and port, so a
// request handler can watch its client's socket (Qt 6.8's responder no longer exposes it).
class ClientListener final : public QTcpServer
{
    Q_OBJECT
public:
    explicit ClientListener(QObject *parent = nullptr);

    QTcpSocket *socketFor(const QHostAddress &address, quint16 port) const;
    // Closes every connection once its pending bytes are written; emits allClosed() after.
    void closeConnectionsGracefully();

Q_SIGNALS:
    void allClosed();

protected:
    void incomingConnection(qintptr descriptor) override;

private:
    static QString peerKey(const QHostAddress &address, quint16 port);
    QHash<QString, QPointer<QTcpSocket>> m_sockets;
    bool m_closing = false;
};

} // namespace relay
