#include "QtHttpResponder.h"

#include "ClientListener.h"

#include <QtHttpServer/qthttpserverversion.h>
#include <utility>

#if QTHTTPSERVER_VERSION >= QT_VERSION_CHECK(6, 8, 0)
#include <QHttpHeaders>
#define RELAY_QT68_RESPONDER 1
#endif

namespace relay {

namespace {
QHttpServerResponder::StatusCode statusCode(int status)
{
    return static_cast<QHttpServerResponder::StatusCode>(status);
}

#ifdef RELAY_QT68_RESPONDER
QHttpHeaders toQHttpHeaders(const HeaderList &headers)
{
    QHttpHeaders out;
    for (const auto &[name, value] : headers)
        out.append(name, value);
    return out;
}
#endif
} // namespace

QtHttpResponder::QtHttpResponder(QHttpServerResponder &&responder, QTcpSocket *socket,
                                 QSet<QtHttpResponder *> *live, bool headOnly)
    : m_responder(std::move(responder))
    , m_socket(socket)
    , m_live(live)
    , m_headOnly(headOnly)
{
    m_live->insert(this);
    ClientListener::responseStarted(socket);
}

QtHttpResponder::~QtHttpResponder()
{
    if (m_live)
        m_live->remove(this);
    ClientListener::responseEnded(m_socket);
}

void QtHttpResponder::detach()
{
    m_responder.reset();
    m_live = nullptr;
    m_started = m_ended = true;
}

bool QtHttpResponder::isConnected() const
{
    return m_responder && m_socket && m_socket->state() == QAbstractSocket::ConnectedState;
}

void QtHttpResponder::respond(int status, const HeaderList &given, const QByteArray &body)
{
    if (m_started || !isConnected())
        return;
    m_started = m_ended = true;
    const HeaderList headers = given + m_extraHeaders;
    // A body after HEAD's headers would be read as the next answer (Node's parser drops the
    // connection): nothing after them.
    const QByteArray sent = m_headOnly ? QByteArray() : body;
#ifdef RELAY_QT68_RESPONDER
    // Qt 6.8 adds the Content-Length of what it sends and takes no other, so a HEAD answer
    // says 0 there; 6.4 lets it say what a GET would get.
    m_responder->write(sent, toQHttpHeaders(headers), statusCode(status));
#else
    m_responder->writeStatusLine(statusCode(status));
    for (const auto &[name, value] : headers)
        m_responder->writeHeader(name, value);
    m_responder->writeHeader("Content-Length", QByteArray::number(body.size()));
    m_responder->writeBody(sent);
#endif
}

void QtHttpResponder::beginChunked(int status, const HeaderList &given)
{
    if (m_started || !isConnected())
        return;
    if (m_headOnly) { // the headers alone; the chunks that follow are dropped
        respond(status, given, {});
        return;
    }
    m_started = true;
    const HeaderList headers = given + m_extraHeaders;
#ifdef RELAY_QT68_RESPONDER
    m_responder->writeBeginChunked(toQHttpHeaders(headers), statusCode(status));
#else
    m_responder->writeStatusLine(statusCode(status));
    for (const auto &[name, value] : headers)
        m_responder->writeHeader(name, value);
    m_responder->writeHeader("Transfer-Encoding", "chunked");
    m_responder->writeBody(QByteArray());
#endif
}

void QtHttpResponder::writeChunk(const QByteArray &data)
{
    if (!m_started || m_ended || data.isEmpty() || !isConnected())
        return;
#ifdef RELAY_QT68_RESPONDER
    m_responder->writeChunk(data);
#else
    m_responder->writeBody(QByteArray::number(data.size(), 16) + "\r\n" + data + "\r\n");
#endif
}

void QtHttpResponder::endChunked()
{
    if (!m_started || m_ended)
        return;
    m_ended = true;
    if (!isConnected())
        return;
#ifdef RELAY_QT68_RESPONDER
    m_responder->writeEndChunked(QByteArray());
#else
    m_responder->writeBody("0\r\n\r\n");
#endif
}

} // namespace relay
