#include "ClientListener.h"

namespace relay {

ClientListener::ClientListener(QObject *parent)
    : QTcpServer(parent)
{
}

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
    connect(socket, &QObject::destroyed, this, [this, key] { m_sockets.remove(key); });
    addPendingConnection(socket);
    Q_EMIT newConnection();
}

} // namespace relay
