#include "UpstreamConnection.h"

#include <QSslSocket>

namespace relay {

namespace {
constexpr qsizetype kMaxHeadBytes = 64 * 1024;
}

UpstreamConnection::UpstreamConnection(bool tls, QString host, quint16 port,
                                       const QNetworkProxy &proxy, QObject *parent)
    : QObject(parent)
    // Plain upstreams get a plain socket: QSslSocket in clear mode copies every byte twice.
    , m_socket(tls ? new QSslSocket(this) : new QTcpSocket(this))
    , m_tls(tls)
    , m_host(std::move(host))
    , m_port(port)
{
    m_socket->setProxy(proxy);
    if (tls)
        connect(static_cast<QSslSocket *>(m_socket), &QSslSocket::encrypted, this,
                &UpstreamConnection::onConnected);
    else
        connect(m_socket, &QTcpSocket::connected, this, &UpstreamConnection::onConnected);
    connect(m_socket, &QTcpSocket::readyRead, this, &UpstreamConnection::onReadyRead);
    connect(m_socket, &QTcpSocket::disconnected, this, &UpstreamConnection::onDisconnected);
    connect(m_socket, &QTcpSocket::errorOccurred, this, &UpstreamConnection::onError);
}

UpstreamConnection::~UpstreamConnection()
{
    m_socket->disconnect(this);
}

bool UpstreamConnection::isReusable() const
{
    return m_state == State::Idle && m_socket->state() == QAbstractSocket::ConnectedState;
}

void UpstreamConnection::start(UpstreamReply *reply, const QByteArray &request, bool reused)
{
    m_reply = reply;
    reply->attach(this);
    m_request = request;
    m_reused = reused;
    m_gotBytes = false;
    m_in.clear();
    m_headRequest = request.startsWith("HEAD ");
    if (m_socket->state() == QAbstractSocket::ConnectedState) {
        sendRequest();
        return;
    }
    m_state = State::Connecting;
    m_socket->setSocketOption(QAbstractSocket::LowDelayOption, 1);
    if (m_tls)
        static_cast<QSslSocket *>(m_socket)->connectToHostEncrypted(m_host, m_port);
    else
        m_socket->connectToHost(m_host, m_port);
}

void UpstreamConnection::onConnected()
{
    m_socket->setSocketOption(QAbstractSocket::LowDelayOption, 1);
    if (m_state == State::Connecting)
        sendRequest();
}

void UpstreamConnection::sendRequest()
{
    m_state = State::AwaitingHead;
    m_socket->write(m_request);
    if (m_reply)
        Q_EMIT m_reply->requestSent();
}

void UpstreamConnection::abandon(UpstreamReply *reply)
{
    if (reply != m_reply)
        return;
    m_reply = nullptr;
    closeSocket();
}

void UpstreamConnection::closeSocket()
{
    if (m_state == State::Closed)
        return;
    m_state = State::Closed;
    m_socket->abort();
    Q_EMIT closed(this);
}

void UpstreamConnection::fail(UpstreamReply::Error error, const QString &text)
{
    QPointer<UpstreamReply> reply = m_reply;
    m_reply = nullptr;
    const bool stale = m_reused && !m_gotBytes && error == UpstreamReply::Error::ConnectionClosed;
    closeSocket();
    if (!reply)
        return;
    if (stale) {
        Q_EMIT staleFailure(reply, m_request);
        return;
    }
    reply->finish(error, text);
}

void UpstreamConnection::onDisconnected()
{
    if (m_state == State::Body && m_bodyMode == BodyMode::UntilClose) {
        m_in += m_socket->readAll();
        parseBody();
        if (m_reply)
            complete();
        return;
    }
    if (m_state == State::Idle || m_state == State::Done) {
        closeSocket();
        return;
    }
    if (m_state == State::Closed)
        return;
    fail(UpstreamReply::Error::ConnectionClosed,
         m_gotBytes ? QStringLiteral("the upstream closed the connection mid-response")
                    : QStringLiteral("the upstream closed the connection without answering"));
}

void UpstreamConnection::onError()
{
    const auto error = m_socket->error();
    if (error == QAbstractSocket::RemoteHostClosedError) {
        onDisconnected();
        return;
    }
    if (m_state == State::Closed)
        return;
    if (m_state == State::Idle || m_state == State::Done) {
        closeSocket();
        return;
    }
    UpstreamReply::Error kind = UpstreamReply::Error::ConnectFailed;
    QString text = m_socket->errorString();
    switch (error) {
    case QAbstractSocket::HostNotFoundError:
        kind = UpstreamReply::Error::HostNotFound;
        text = QStringLiteral("DNS lookup failed for %1").arg(m_host);
        break;
    case QAbstractSocket::ConnectionRefusedError:
        text = QStringLiteral("connection refused by %1:%2").arg(m_host).arg(m_port);
        break;
    case QAbstractSocket::SslHandshakeFailedError:
    case QAbstractSocket::SslInternalError:
    case QAbstractSocket::SslInvalidUserDataError:
        kind = UpstreamReply::Error::Tls;
        text = QStringLiteral("TLS handshake with %1 failed: %2")
                   .arg(m_host, m_socket->errorString());
        break;
    case QAbstractSocket::ProxyAuthenticationRequiredError:
    case QAbstractSocket::ProxyConnectionRefusedError:
    case QAbstractSocket::ProxyConnectionClosedError:
    case QAbstractSocket::ProxyConnectionTimeoutError:
    case QAbstractSocket::ProxyNotFoundError:
    case QAbstractSocket::ProxyProtocolError:
        kind = UpstreamReply::Error::Proxy;
        text = QStringLiteral("proxy error: %1").arg(m_socket->errorString());
        break;
    default:
        break;
    }
    fail(kind, text);
}

void UpstreamConnection::onReadyRead()
{
    m_in += m_socket->readAll();
    if (m_state == State::Idle || m_state == State::Done) {
        // Bytes nobody asked for: the stream is out of step, never reuse it.
        closeSocket();
        return;
    }
    if (!m_reply) {
        closeSocket();
        return;
    }
    m_gotBytes = true;
    if (m_state == State::AwaitingHead && !parseHead())
        return;
    if (m_state == State::Body)
        parseBody();
}

bool UpstreamConnection::parseHead()
{
    while (true) {
        if (m_in.size() >= 5 && !m_in.startsWith("HTTP/")) {
            fail(UpstreamReply::Error::Protocol,
                 QStringLiteral("the upstream answered with something that is not HTTP"));
            return false;
        }
        const qsizetype end = m_in.indexOf("\r\n\r\n");
        if (end < 0) {
            if (m_in.size() > kMaxHeadBytes)
                fail(UpstreamReply::Error::Protocol, QStringLiteral("response headers too large"));
            return false;
        }
        const QByteArray head = m_in.left(end + 2); // every line ends with CRLF
        m_in.remove(0, end + 4);
        qsizetype lineEnd = head.indexOf('\n');
        const QByteArray statusLine = head.left(lineEnd).trimmed();
        const qsizetype firstSpace = statusLine.indexOf(' ');
        bool ok = false;
        const int status = statusLine.mid(firstSpace + 1, 3).toInt(&ok);
        if (firstSpace < 0 || !ok || status < 100 || status > 999) {
            fail(UpstreamReply::Error::Protocol,
                 QStringLiteral("malformed status line from the upstream"));
            return false;
        }
        if (status >= 100 && status < 200 && status != 101)
            continue; // interim response (100 Continue, 103 Early Hints)
        HeaderList headers;
        QByteArray transferEncoding, contentLength, connection;
        while (lineEnd >= 0 && lineEnd + 1 < head.size()) {
            const qsizetype start = lineEnd + 1;
            lineEnd = head.indexOf('\n', start);
            const qsizetype colon = head.indexOf(':', start);
            if (colon < 0 || lineEnd < 0 || colon > lineEnd)
                continue;
            QByteArray name = head.sliced(start, colon - start).trimmed().toLower();
            QByteArray value = head.sliced(colon + 1, lineEnd - colon - 1).trimmed();
            if (name == "transfer-encoding")
                transferEncoding = value.toLower();
            else if (name == "content-length")
                contentLength = value;
            else if (name == "connection")
                connection = value.toLower();
            headers.append({ std::move(name), std::move(value) });
        }
        m_keepAlive = statusLine.startsWith("HTTP/1.1") ? !connection.contains("close")
                                                        : connection.contains("keep-alive");
        if (m_headRequest || status == 204 || status == 304) {
            m_bodyMode = BodyMode::None;
        } else if (transferEncoding.contains("chunked")) {
            m_bodyMode = BodyMode::Chunked;
            m_chunkState = ChunkState::Size;
        } else if (!contentLength.isEmpty()) {
            m_remaining = contentLength.toLongLong(&ok);
            if (!ok || m_remaining < 0) {
                fail(UpstreamReply::Error::Protocol, QStringLiteral("bad Content-Length"));
                return false;
            }
            m_bodyMode = m_remaining ? BodyMode::Length : BodyMode::None;
        } else {
            m_bodyMode = BodyMode::UntilClose;
            m_keepAlive = false;
        }
        m_state = State::Body;
        QPointer<UpstreamReply> reply = m_reply;
        reply->setHead(status, std::move(headers));
        if (!reply || m_reply != reply)
            return false; // aborted from a slot
        if (m_bodyMode == BodyMode::None) {
            complete();
            return false;
        }
        return true;
    }
}

void UpstreamConnection::parseBody()
{
    QByteArray decoded;
    bool done = false;
    switch (m_bodyMode) {
    case BodyMode::Length: {
        const qsizetype take = static_cast<qsizetype>(qMin<qint64>(m_remaining, m_in.size()));
        decoded = m_in.left(take);
        m_in.remove(0, take);
        m_remaining -= take;
        done = m_remaining == 0;
        break;
    }
    case BodyMode::UntilClose:
        decoded.swap(m_in);
        break;
    case BodyMode::Chunked:
        while (!done) {
            if (m_chunkState == ChunkState::Size || m_chunkState == ChunkState::Trailer) {
                const qsizetype eol = m_in.indexOf("\r\n");
                if (eol < 0)
                    break;
                const QByteArray line = m_in.left(eol);
                m_in.remove(0, eol + 2);
                if (m_chunkState == ChunkState::Trailer) {
                    done = line.isEmpty();
                    continue;
                }
                const qsizetype semicolon = line.indexOf(';');
                bool ok = false;
                m_remaining
                    = (semicolon < 0 ? line : line.left(semicolon)).trimmed().toLongLong(&ok, 16);
                if (!ok || m_remaining < 0) {
                    fail(UpstreamReply::Error::Protocol,
                         QStringLiteral("bad chunk size from the upstream"));
                    return;
                }
                m_chunkState = m_remaining == 0 ? ChunkState::Trailer : ChunkState::Data;
            } else if (m_chunkState == ChunkState::Data) {
                if (m_in.isEmpty())
                    break;
                const qsizetype take
                    = static_cast<qsizetype>(qMin<qint64>(m_remaining, m_in.size()));
                decoded += m_in.left(take);
                m_in.remove(0, take);
                m_remaining -= take;
                if (m_remaining == 0)
                    m_chunkState = ChunkState::DataEnd;
            } else { // DataEnd: the CRLF after a chunk's data
                if (m_in.size() < 2)
                    break;
                m_in.remove(0, 2);
                m_chunkState = ChunkState::Size;
            }
        }
        break;
    case BodyMode::None:
        done = true;
        break;
    }
    if (!decoded.isEmpty()) {
        QPointer<UpstreamReply> reply = m_reply;
        reply->appendBody(decoded);
        if (!reply || m_reply != reply)
            return;
    }
    if (done)
        complete();
}

void UpstreamConnection::complete()
{
    QPointer<UpstreamReply> reply = m_reply;
    m_reply = nullptr;
    const bool reusable
        = m_keepAlive && m_in.isEmpty() && m_socket->state() == QAbstractSocket::ConnectedState;
    if (reusable)
        m_state = State::Idle;
    else
        closeSocket();
    if (reply)
        reply->finish(UpstreamReply::Error::None, {});
    if (reusable && m_state == State::Idle)
        Q_EMIT idle(this);
}

} // namespace relay
