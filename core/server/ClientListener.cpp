#include "ClientListener.h"

namespace relay {

ClientListener::ClientListener(QObject *parent)
    : QTcpServer(parent)
{ }

QString ClientListener::peerKey(const QHostAddress &address, quint16 port)
{
    return address.toString() + u'|' + QString::number(port);
}

QTcpSocket *ClientListener::socketFor(const QHostAddress &address, quint16 port) const
{
    return m_sockets.value(peerKey(address, port));
}

void ClientListener::incomingConnection(qintptr descriptor)
{
    auto *socket = new QTcpSocket(this);
    if (!socket->setSocketDescriptor(descriptor)) {
        delete socket;
        return;
    }
    // Streams are small writes that must leave at once.
    socket->setSocketOption(QAbstractSocket::LowDelayOption, 1);
    const QString key = peerKey(socket->peerAddress(), socket->peerPort());
    m_sockets.insert(key, socket);
    connect(socket, &QObject::destroyed, this, [this, key] {
        m_sockets.remove(key);
        if (m_closing && m_sockets.isEmpty())
            Q_EMIT allClosed();
    });
    addPendingConnection(socket);
    Q_EMIT newConnection();
}

void ClientListener::closeConnectionsGracefully()
{
    m_closing = true;
    if (m_sockets.isEmpty()) {
        Q_EMIT allClosed();
        return;
    }
    const auto sockets = m_sockets;
    for (const QPointer<QTcpSocket> &socket : sockets) {
        if (!socket)
            continue;
        // Unlike close(), this writes what is still buffered before the FIN.
        socket->disconnectFromHost();
        if (socket->state() == QAbstractSocket::UnconnectedState)
            socket->deleteLater();
    }
}

} // namespace relay
