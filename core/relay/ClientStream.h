#pragma once

#include "protocol/OpenAiToAnthropicStream.h"
#include "server/ApiError.h"
#include "server/HttpResponder.h"

#include <memory>

namespace relay {

// The client's side of a stream once the first upstream bytes have arrived: the bytes go out
// as they come (translated for Anthropic clients), the stream's own end marker is watched, and a
// failure becomes an error event in the client's format followed by a proper end.
class ClientStream
{
public:
    // `chatCompletion`: the upstream speaks OpenAI chat, whose streams say when they are done.
    ClientStream(HttpResponder &responder, ClientFormat format, const QString &model,
                 bool chatCompletion);
    Q_DISABLE_COPY_MOVE(ClientStream)

    void begin(int status, const HeaderList &headers);
    // Upstream bytes in; returns how many bytes went to the client.
    qint64 forward(const QByteArray &data);
    // The translation gave up (the client already has its error event): stop relaying.
    bool broken() const { return m_toAnthropic && m_toAnthropic->failed(); }
    // The upstream ended without an error. Returns whether the client got a complete stream;
    // if not, fail() should follow.
    bool finishUpstream();
    void fail(const ApiError &error);
    void end();

private:
    void noteEnd(const QByteArray &data);

    HttpResponder &m_responder;
    ClientFormat m_format;
    bool m_chatCompletion;
    std::unique_ptr<OpenAiToAnthropicStream> m_toAnthropic;
    QByteArray m_tail; // the end of the previous read: end markers may straddle two reads
    bool m_complete = false;
};

} // namespace relay
