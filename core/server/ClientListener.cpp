#include "ClientListener.h"

#include "ApiError.h"

#include <QTimer>
#include <algorithm>

namespace relay {

namespace {
constexpr qsizetype kMaxHeadBytes = 64 * 1024;
constexpr int kLingerMs = 2000;

qint64 contentLength(const QByteArray &head)
{
    const QList<QByteArray> lines = head.split('\n');
    for (const QByteArray &line : lines) {
        const qsizetype colon = line.indexOf(':');
        if (colon > 0 && line.left(colon).trimmed().toLower() == "content-length")
            return line.mid(colon + 1).trimmed().toLongLong();
    }
    return 0;
}
} // namespace

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
    m_guards.insert(socket, {});
    // Connected before QHttpServer's own slot, so this one sees the bytes first.
    connect(socket, &QTcpSocket::readyRead, this, [this, socket] { onData(socket); });
    connect(socket, &QObject::destroyed, this, [this, key, socket] {
        m_sockets.remove(key);
        m_guards.remove(socket);
        if (m_closing && m_sockets.isEmpty())
            Q_EMIT allClosed();
    });
    addPendingConnection(socket);
    Q_EMIT newConnection();
}

void ClientListener::requestArrived(QTcpSocket *socket)
{
    if (m_guards.contains(socket))
        m_guards[socket] = {};
}

void ClientListener::onData(QTcpSocket *socket)
{
    auto it = m_guards.find(socket);
    if (it == m_guards.end())
        return;
    Guard &guard = it.value();
    if (guard.refused) {
        socket->readAll();
        return;
    }
    if (!guard.headChecked) {
        const QByteArray head
            = socket->peek(std::min<qint64>(socket->bytesAvailable(), kMaxHeadBytes + 4));
        const qsizetype end = head.indexOf("\r\n\r\n");
        if (guard.received == 0)
            guard.anthropic = head.startsWith("POST /v1/messages");
        // The head may come in several reads, the earlier ones already taken by QHttpServer.
        if (guard.received + (end < 0 ? head.size() : end) > kMaxHeadBytes) {
            refuse(socket, 431, QStringLiteral("The request's headers are larger than 64 KB."));
            return;
        }
        if (end >= 0) {
            guard.headChecked = true;
            if (contentLength(head.left(end)) > m_maxBodyBytes) {
                refuse(socket, 413,
                       QStringLiteral("The request body is larger than the relay accepts (%1 "
                                      "bytes; raise security.maxBodyBytes in the config file "
                                      "if you need more).")
                           .arg(m_maxBodyBytes));
                return;
            }
        }
    }
    // Bodies without a length (chunked) are caught by counting what arrives.
    guard.received += socket->bytesAvailable();
    if (guard.received > m_maxBodyBytes + kMaxHeadBytes)
        refuse(socket, 413,
               QStringLiteral("The request is larger than the relay accepts (%1 bytes of body; "
                              "security.maxBodyBytes).")
                   .arg(m_maxBodyBytes));
}

void ClientListener::refuse(QTcpSocket *socket, int status, const QString &message)
{
    Guard &guard = m_guards[socket];
    guard.refused = true;
    const bool anthropic = guard.anthropic;
    socket->readAll(); // QHttpServer never sees the rest
    const QByteArray body
        = ApiError { status, QStringLiteral("request_too_large"), message }.toJson(
            anthropic ? ClientFormat::Anthropic : ClientFormat::OpenAi);
    socket->write("HTTP/1.1 " + QByteArray::number(status)
                  + (status == 413 ? " Payload Too Large" : " Request Header Fields Too Large")
                  + "\r\nContent-Type: application/json\r\nConnection: close\r\nContent-Length: "
                  + QByteArray::number(body.size()) + "\r\n\r\n" + body);
    // Closing now, with the client's bytes still arriving, would reset the connection and could
    // destroy the answer before the client reads it: drop what comes for a moment, then close.
    QTimer::singleShot(kLingerMs, socket, [socket] { socket->disconnectFromHost(); });
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
