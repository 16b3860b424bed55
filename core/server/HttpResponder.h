#pragma once

#include "IncomingRequest.h"

#include <QHttpServerResponder>
#include <QPointer>
#include <QTcpSocket>

namespace relay {

// Writes one response, whole or chunked, over whichever QHttpServerResponder API this Qt has
// (6.4: status line, headers and hand-framed chunks; 6.8: writeBeginChunked/writeChunk).
// Writes after the client has gone are dropped instead of reaching a deleted socket.
class HttpResponder final
{
public:
    HttpResponder(QHttpServerResponder &&responder, QTcpSocket *socket);
    ~HttpResponder();
    Q_DISABLE_COPY_MOVE(HttpResponder)

    QTcpSocket *socket() const { return m_socket; }
    bool isConnected() const;

    // Headers every response of this request carries (CORS), whoever writes it.
    void addHeaders(const HeaderList &headers) { m_extraHeaders += headers; }
    void respond(int status, const HeaderList &headers, const QByteArray &body);
    void respondJson(int status, const QByteArray &json);
    void beginChunked(int status, const HeaderList &headers);
    void writeChunk(const QByteArray &data);
    void endChunked();

private:
    QHttpServerResponder m_responder;
    QPointer<QTcpSocket> m_socket;
    HeaderList m_extraHeaders;
    bool m_started = false;
    bool m_ended = false;
};

} // namespace relay
