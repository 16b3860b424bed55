#include "HttpServerAdapter.h"

#include "ClientListener.h"
#include "QtHttpResponder.h"

#include <QHttpServerRequest>
#include <QMetaEnum>

namespace relay {

namespace {
bool isHead(const QHttpServerRequest &request)
{
    return request.method() == QHttpServerRequest::Method::Head;
}

IncomingRequest toIncoming(const QHttpServerRequest &request)
{
    IncomingRequest in;
    in.method = QByteArray(QMetaEnum::fromType<QHttpServerRequest::Method>().valueToKey(
                               static_cast<int>(request.method())))
                    .toUpper();
    const QUrl url = request.url();
    in.path = url.path();
    in.query = url.query(QUrl::FullyEncoded);
#if QTHTTPSERVER_VERSION >= QT_VERSION_CHECK(6, 8, 0)
    const QHttpHeaders &headers = request.headers();
    in.headers.reserve(headers.size());
    for (qsizetype i = 0; i < headers.size(); ++i) {
        const QLatin1StringView name = headers.nameAt(i);
        in.headers.append(
            { QByteArray(name.data(), name.size()).toLower(), headers.valueAt(i).toByteArray() });
    }
#else
    const auto headers = request.headers();
    in.headers.reserve(headers.size());
    for (const auto &[name, value] : headers)
        in.headers.append({ name.toLower(), value });
#endif
    in.body = request.body();
    in.remoteAddress = request.remoteAddress();
    return in;
}
} // namespace

HttpServerAdapter::HttpServerAdapter(QObject *parent)
    : QAbstractHttpServer(parent)
{ }

HttpServerAdapter::~HttpServerAdapter()
{
    // Responses still held (a probe or edit waiting for its answer) let go of their connection
    // while its handler is alive.
    for (QtHttpResponder *responder : std::as_const(m_liveResponders))
        responder->detach();
}

bool HttpServerAdapter::listenOn(const QHostAddress &address, quint16 port, QString *error,
                                 QAbstractSocket::SocketError *kind)
{
    // One listener for the whole run: closing and reopening it keeps the connections it has.
    const bool fresh = !m_listener;
    ClientListener *listener = fresh ? new ClientListener(this) : m_listener;
    const bool wasListening = listener->isListening();
    const QHostAddress oldAddress = listener->serverAddress();
    const quint16 oldPort = listener->serverPort();
    if (wasListening && oldAddress == address && oldPort == port && port != 0)
        return true;
    listener->close();
    if (!listener->listen(address, port)) {
        const auto socketError = listener->serverError();
        if (kind)
            *kind = socketError;
        if (socketError == QAbstractSocket::AddressInUseError) {
            *error = QStringLiteral("port %1 on %2 is already in use (another LLM Relay or another "
                                    "program?); start with --port N to pick a free port, or "
                                    "change listen.port in the config")
                         .arg(port)
                         .arg(address.toString());
        } else if (socketError == QAbstractSocket::SocketAccessError) {
#ifdef Q_OS_WIN
            // WSAEACCES: most often a range Windows keeps for Hyper-V, WSL or Docker, which
            // moves at every boot; users cannot see it without the netsh command.
            *error = QStringLiteral(
                         "Windows does not allow listening on %1:%2: the port is in a range "
                         "Windows reserves (Hyper-V, WSL or Docker; 'netsh interface ipv4 show "
                         "excludedportrange protocol=tcp' lists them) or another program holds "
                         "it exclusively; start with --port N to pick another port, or change "
                         "listen.port in the config")
                         .arg(address.toString())
                         .arg(port);
#else
            const QString why = port < 1024
                ? QStringLiteral("ports below 1024 need administrator rights")
                : QStringLiteral("a security policy refuses it");
            *error = QStringLiteral("not allowed to listen on %1:%2 (%3); start with --port N to "
                                    "pick another port, or change listen.port in the config")
                         .arg(address.toString())
                         .arg(port)
                         .arg(why);
#endif
        } else {
            *error = QStringLiteral("cannot listen on %1:%2: %3")
                         .arg(address.toString())
                         .arg(port)
                         .arg(listener->errorString());
        }
        if (fresh)
            delete listener;
        else if (wasListening)
            listener->listen(oldAddress, oldPort);
        return false;
    }
    if (fresh) {
        m_listener = listener;
        listener->setLimits(m_limits);
        connect(listener, &ClientListener::allClosed, this, &HttpServerAdapter::connectionsClosed);
        bind(listener);
    }
    return true;
}

bool HttpServerAdapter::isListening() const
{
    return m_listener && m_listener->isListening();
}

quint16 HttpServerAdapter::listeningPort() const
{
    return isListening() ? m_listener->serverPort() : 0;
}

void HttpServerAdapter::stopListening()
{
    if (m_listener) {
        m_listener->close();
        m_listener->closeIdleConnections();
    }
}

void HttpServerAdapter::closeConnections()
{
    if (m_listener)
        m_listener->closeConnectionsGracefully();
    else
        Q_EMIT connectionsClosed();
}

void HttpServerAdapter::setLimits(const ConnectionLimits &limits)
{
    m_limits = limits;
    if (m_listener)
        m_listener->setLimits(limits);
}

#if QTHTTPSERVER_VERSION >= QT_VERSION_CHECK(6, 8, 0)
bool HttpServerAdapter::handleRequest(const QHttpServerRequest &request,
                                      QHttpServerResponder &responder)
{
    QTcpSocket *socket = m_listener
        ? m_listener->socketFor(request.remoteAddress(), request.remotePort())
        : nullptr;
    if (m_listener && socket)
        m_listener->requestArrived(socket);
    handle(toIncoming(request),
           std::make_unique<QtHttpResponder>(std::move(responder), socket, &m_liveResponders,
                                             isHead(request)));
    return true;
}

void HttpServerAdapter::missingHandler(const QHttpServerRequest &request,
                                       QHttpServerResponder &responder)
{
    handleRequest(request, responder);
}
#else
bool HttpServerAdapter::handleRequest(const QHttpServerRequest &request, QTcpSocket *socket)
{
    if (m_listener)
        m_listener->requestArrived(socket);
    handle(toIncoming(request),
           std::make_unique<QtHttpResponder>(makeResponder(request, socket), socket,
                                             &m_liveResponders, isHead(request)));
    return true;
}

void HttpServerAdapter::missingHandler(const QHttpServerRequest &request, QTcpSocket *socket)
{
    handleRequest(request, socket);
}
#endif

} // namespace relay
