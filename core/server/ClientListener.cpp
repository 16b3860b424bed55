#include "ClientListener.h"

#include "types/ApiError.h"

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
{
    m_clock.start();
    m_sweep.setInterval(1000);
    connect(&m_sweep, &QTimer::timeout, this, &ClientListener::sweep);
}

void ClientListener::responseStarted(QTcpSocket *socket)
{
    if (socket)
        socket->setProperty("relayResponses", socket->property("relayResponses").toInt() + 1);
}

void ClientListener::responseEnded(QTcpSocket *socket)
{
    if (socket)
        socket->setProperty("relayResponses", socket->property("relayResponses").toInt() - 1);
}

void ClientListener::sweep()
{
    const qint64 now = m_clock.elapsed();
    const auto sockets = m_sockets;
    for (const QPointer<QTcpSocket> &socket : sockets) {
        auto it = socket ? m_guards.find(socket) : m_guards.end();
        if (it == m_guards.end() || it->refused)
            continue;
        if (socket->property("relayResponses").toInt() > 0) {
            it->lastActivityMs = now; // a response in flight, however quiet, is not idleness
            continue;
        }
        if (it->headStartedMs >= 0 && !it->headChecked
            && now - it->headStartedMs > m_limits.headTimeoutMs) {
            refuseWith(socket, 408, "Request Timeout", QStringLiteral("request_timeout"),
                       QStringLiteral("The request's headers did not arrive within %1 s.")
                           .arg(m_limits.headTimeoutMs / 1000));
        } else if (now - it->lastActivityMs > m_limits.idleTimeoutMs) {
            socket->disconnectFromHost(); // idle keep-alive connection: clients reconnect
        }
    }
    if (m_sockets.isEmpty())
        m_sweep.stop();
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
    if (m_guards.size() >= m_limits.maxConnections) {
        const QByteArray body = ApiError { 503, QStringLiteral("too_many_connections"),
                                           QStringLiteral("The relay has %1 connections open, its "
                                                          "limit (security.maxConnections).")
                                               .arg(m_limits.maxConnections) }
                                    .toJson(ClientFormat::OpenAi);
        socket->write("HTTP/1.1 503 Service Unavailable\r\nContent-Type: application/json\r\n"
                      "Connection: close\r\nContent-Length: "
                      + QByteArray::number(body.size()) + "\r\n\r\n" + body);
        socket->disconnectFromHost();
        connect(socket, &QTcpSocket::disconnected, socket, &QObject::deleteLater);
        return;
    }
    // Streams are small writes that must leave at once.
    socket->setSocketOption(QAbstractSocket::LowDelayOption, 1);
    const QString key = peerKey(socket->peerAddress(), socket->peerPort());
    m_sockets.insert(key, socket);
    Guard guard;
    guard.lastActivityMs = m_clock.elapsed();
    m_guards.insert(socket, guard);
    if (!m_sweep.isActive())
        m_sweep.start();
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
    if (m_guards.contains(socket)) {
        Guard fresh;
        fresh.lastActivityMs = m_clock.elapsed();
        m_guards[socket] = fresh;
    }
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
    guard.lastActivityMs = m_clock.elapsed();
    if (guard.headStartedMs < 0)
        guard.headStartedMs = guard.lastActivityMs;
    if (!guard.headChecked) {
        const QByteArray head
            = socket->peek(std::min<qint64>(socket->bytesAvailable(), kMaxHeadBytes + 4));
        const qsizetype end = head.indexOf("\r\n\r\n");
        if (guard.received == 0) {
            const QByteArray line = head.left(head.indexOf('\n'));
            const bool gemini = line.contains(" /v1beta/")
                || (line.contains(" /v1/models/") && line.indexOf(':') > 0);
            guard.format = line.startsWith("POST /v1/messages") ? ClientFormat::Anthropic
                : gemini                                        ? ClientFormat::Gemini
                                                                : ClientFormat::OpenAi;
        }
        // The head may come in several reads, the earlier ones already taken by QHttpServer.
        if (guard.received + (end < 0 ? head.size() : end) > kMaxHeadBytes) {
            refuse(socket, 431, QStringLiteral("The request's headers are larger than 64 KB."));
            return;
        }
        if (end >= 0) {
            guard.headChecked = true;
            if (contentLength(head.left(end)) > m_limits.maxBodyBytes) {
                refuse(socket, 413,
                       QStringLiteral("The request body is larger than the relay accepts (%1 "
                                      "bytes; raise security.maxBodyBytes in the config file "
                                      "if you need more).")
                           .arg(m_limits.maxBodyBytes));
                return;
            }
        }
    }
    // Bodies without a length (chunked) are caught by counting what arrives.
    guard.received += socket->bytesAvailable();
    if (guard.received > m_limits.maxBodyBytes + kMaxHeadBytes)
        refuse(socket, 413,
               QStringLiteral("The request is larger than the relay accepts (%1 bytes of body; "
                              "security.maxBodyBytes).")
                   .arg(m_limits.maxBodyBytes));
}

void ClientListener::refuse(QTcpSocket *socket, int status, const QString &message)
{
    refuseWith(socket, status,
               status == 413 ? "Payload Too Large" : "Request Header Fields Too Large",
               QStringLiteral("request_too_large"), message);
}

void ClientListener::refuseWith(QTcpSocket *socket, int status, const QByteArray &reason,
                                const QString &code, const QString &message)
{
    Guard &guard = m_guards[socket];
    guard.refused = true;
    socket->readAll(); // QHttpServer never sees the rest
    const QByteArray body = ApiError { status, code, message }.toJson(guard.format);
    socket->write("HTTP/1.1 " + QByteArray::number(status) + ' ' + reason
                  + "\r\nContent-Type: application/json\r\nConnection: close\r\nContent-Length: "
                  + QByteArray::number(body.size()) + "\r\n\r\n" + body);
    // Closing now, with the client's bytes still arriving, would reset the connection and could
    // destroy the answer before the client reads it: drop what comes for a moment, then close.
    QTimer::singleShot(kLingerMs, socket, [socket] { socket->disconnectFromHost(); });
}

void ClientListener::closeIdleConnections()
{
    const auto sockets = m_sockets;
    for (const QPointer<QTcpSocket> &socket : sockets) {
        if (!socket || socket->property("relayResponses").toInt() > 0)
            continue;
        const Guard guard = m_guards.value(socket);
        if (guard.headStartedMs < 0 && guard.received == 0) // not in the middle of a request
            socket->disconnectFromHost();
    }
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
