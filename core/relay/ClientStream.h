#pragma once

#include "protocol/StreamTranslator.h"
#include "types/ApiError.h"
#include "types/HttpResponder.h"

#include <memory>

namespace relay {

// The client's side of a stream once the first upstream bytes have arrived: the bytes go out
// as they come (through a translator when the formats differ), the stream's own end marker is
// watched, and a failure becomes an error event in the client's format followed by a proper
// end.
class ClientStream
{
public:
    // How an untranslated stream shows that it is complete.
    enum class EndMarker { None, ChatCompletion, AnthropicMessage, Response, GeminiResponse };

    ClientStream(HttpResponder &responder, ClientFormat format,
                 std::unique_ptr<StreamTranslator> translator, EndMarker marker);
    Q_DISABLE_COPY_MOVE(ClientStream)

    void begin(int status, const HeaderList &headers);
    // Upstream bytes in; returns how many bytes went to the client.
    qint64 forward(const QByteArray &data);
    // The translation gave up (the client already has its error event): stop relaying.
    bool broken() const { return m_translator && m_translator->failed(); }
    // The upstream ended without an error. Returns whether the client got a complete stream;
    // if not, fail() should follow.
    bool finishUpstream();
    void fail(const ApiError &error);
    // The upstream is silent: a comment or ping keeps the client from timing out.
    void keepAlive();
    void end();

private:
    void noteEnd(const QByteArray &data);

    HttpResponder &m_responder;
    ClientFormat m_format;
    std::unique_ptr<StreamTranslator> m_translator;
    EndMarker m_marker;
    QByteArray m_tail; // the end of the previous read: end markers may straddle two reads
    bool m_complete = false;
    bool m_atBoundary = true; // the client has whole events only (translators emit whole ones)
};

} // namespace relay
