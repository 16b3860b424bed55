#pragma once

#include "types/HttpResponder.h"

#include <QHttpServerResponder>
#include <QPointer>
#include <QSet>
#include <QTcpSocket>

#include <optional>

namespace relay {

// An HttpResponder over whichever QHttpServerResponder API this Qt has (6.4: status line,
// headers and hand-framed chunks; 6.8: writeBeginChunked/writeChunk). Writes after the client
// has gone are dropped instead of reaching a deleted socket. It registers in `live`, the
// server's set, so that the server can detach it before its connection handlers go: Qt's
// responder reports its end to the handler (6.8 crashed on one destroyed after the server).
class QtHttpResponder final : public HttpResponder
{
public:
    // `headOnly` (a HEAD request): the headers a GET would get, never a body.
    QtHttpResponder(QHttpServerResponder &&responder, QTcpSocket *socket,
                    QSet<QtHttpResponder *> *live, bool headOnly);
    ~QtHttpResponder() override;
    Q_DISABLE_COPY_MOVE(QtHttpResponder)

    QTcpSocket *socket() const override { return m_socket; }
    bool isConnected() const override;
    void addHeaders(const HeaderList &headers) override { m_extraHeaders += headers; }
    void respond(int status, const HeaderList &headers, const QByteArray &body) override;
    void beginChunked(int status, const HeaderList &headers) override;
    void writeChunk(const QByteArray &data) override;
    void endChunked() override;
    // Lets go of the connection now; later writes are dropped.
    void detach();

private:
    std::optional<QHttpServerResponder> m_responder;
    QPointer<QTcpSocket> m_socket;
    QSet<QtHttpResponder *> *m_live;
    HeaderList m_extraHeaders;
    bool m_headOnly;
    bool m_started = false;
    bool m_ended = false;
};

} // namespace relay
