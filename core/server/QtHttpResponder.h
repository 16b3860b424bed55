#pragma once

#include "types/HttpResponder.h"

#include <QHttpServerResponder>
#include <QPointer>
#include <QTcpSocket>

namespace relay {

// An HttpResponder over whichever QHttpServerResponder API this Qt has (6.4: status line,
// headers and hand-framed chunks; 6.8: writeBeginChunked/writeChunk). Writes after the client
// has gone are dropped instead of reaching a deleted socket.
class QtHttpResponder final : public HttpResponder
{
public:
    QtHttpResponder(QHttpServerResponder &&responder, QTcpSocket *socket);
    ~QtHttpResponder() override;
    Q_DISABLE_COPY_MOVE(QtHttpResponder)

    QTcpSocket *socket() const override { return m_socket; }
    bool isConnected() const override;
    void addHeaders(const HeaderList &headers) override { m_extraHeaders += headers; }
    void respond(int status, const HeaderList &headers, const QByteArray &body) override;
    void beginChunked(int status, const HeaderList &headers) override;
    void writeChunk(const QByteArray &data) override;
    void endChunked() override;

private:
    QHttpServerResponder m_responder;
    QPointer<QTcpSocket> m_socket;
    HeaderList m_extraHeaders;
    bool m_started = false;
    bool m_ended = false;
};

} // namespace relay
