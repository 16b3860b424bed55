#pragma once

#include "IncomingRequest.h"

#include <QTcpSocket>

namespace relay {

// Writes one response, whole or chunked. The relay writes through this interface; the HTTP
// front (server/QtHttpResponder) implements it over whichever QHttpServerResponder API this Qt
// has, so nothing below the front depends on QtHttpServer.
class HttpResponder
{
public:
    HttpResponder() = default;
    virtual ~HttpResponder() = default;
    Q_DISABLE_COPY_MOVE(HttpResponder)

    // The client's connection (watch it to stop work when the client goes); may be null.
    virtual QTcpSocket *socket() const = 0;
    virtual bool isConnected() const = 0;
    // Headers every response of this request carries (CORS), whoever writes it.
    virtual void addHeaders(const HeaderList &headers) = 0;
    virtual void respond(int status, const HeaderList &headers, const QByteArray &body) = 0;
    virtual void beginChunked(int status, const HeaderList &headers) = 0;
    virtual void writeChunk(const QByteArray &data) = 0;
    virtual void endChunked() = 0;

    void respondJson(int status, const QByteArray &json)
    {
        respond(status, { { "content-type", "application/json" } }, json);
    }
};

} // namespace relay
