#include "ConnectProxy.h"

#include <QTcpSocket>

namespace relay::test {

ConnectProxy::ConnectProxy(QObject *parent)
    : QObject(parent)
{
    connect(&m_server, &QTcpServer::newConnection, this, &ConnectProxy::onNewConnection);
}

bool ConnectProxy::start()
{
    return m_server.listen(QHostAddress::LocalHost, 0);
}

void ConnectProxy::onNewConnection()
{
    while (QTcpSocket *client = m_server.nextPendingConnection()) {
        auto *upstream = new QTcpSocket(client);
        auto *head = new QByteArray;
        connect(client, &QObject::destroyed, this, [head] { delete head; });
        connect(client, &QTcpSocket::readyRead, this, [this, client, upstream, head] {
            if (upstream->state() == QAbstractSocket::ConnectedState) {
                upstream->write(client->readAll());
                return;
            }
            *head += client->readAll();
            const qsizetype end = head->indexOf("\r\n\r\n");
            if (end < 0 || upstream->state() != QAbstractSocket::UnconnectedState)
                return;
            const QList<QByteArray> requestLine = head->left(head->indexOf("\r\n")).split(' ');
            if (requestLine.value(0) != "CONNECT") {
                client->write("HTTP/1.1 405 Method Not Allowed\r\nContent-Length: 0\r\n\r\n");
                client->disconnectFromHost();
                return;
            }
            const QByteArray target = requestLine.value(1);
            m_targets.append(target);
            const QByteArray rest = head->mid(end + 4);
            connect(upstream, &QTcpSocket::connected, client, [client, upstream, rest] {
                client->write("HTTP/1.1 200 Connection established\r\n\r\n");
                if (!rest.isEmpty())
                    upstream->write(rest);
            });
            const qsizetype colon = target.lastIndexOf(':');
            upstream->connectToHost(QString::fromLatin1(target.left(colon)),
                                    static_cast<quint16>(target.mid(colon + 1).toUShort()));
        });
        connect(upstream, &QTcpSocket::readyRead, client,
                [client, upstream] { client->write(upstream->readAll()); });
        connect(upstream, &QTcpSocket::disconnected, client, &QTcpSocket::disconnectFromHost);
        connect(client, &QTcpSocket::disconnected, client, &QObject::deleteLater);
    }
}

} // namespace relay::test
