#pragma once

#include "JsonEventStream.h"
#include "OpenAiChunkWriter.h"

#include <QJsonObject>

namespace relay {

// Turns a Gemini streamGenerateContent?alt=sse stream (upstream) into an OpenAI
// chat-completions stream (client), event by event.
//
// Thought parts -> reasoning_content; text -> content; each functionCall part -> a whole
// tool_calls[] entry (Gemini never splits arguments), its thoughtSignature as
// extra_content.google.thought_signature (Gemini's own OpenAI-compatible field); a signature
// on any other part -> reasoning_signature. finishReason -> finish_reason (STOP with calls ->
// tool_calls, MAX_TOKENS -> length, safety reasons -> content_filter; a malformed function
// call is an error), usageMetadata -> usage with thoughts counted as reasoning tokens. Gemini
// streams simply end: the end after a finishReason is the [DONE], without one it is an error.
class GeminiToOpenAiStream final : public JsonEventStream
{
public:
    GeminiToOpenAiStream(QString model, bool includeUsage, QString id = {}, qint64 created = 0);

    QByteArray finish() override;
    QByteArray fail(const QString &message) override;
    QByteArray keepAlive() override { return OpenAiChunkWriter::keepAlive(); }

    // A whole generateContent answer as an OpenAI chat completion; empty and *error on failure.
    static QByteArray translateResponse(const QByteArray &geminiBody, const QString &model,
                                        QString *error);

private:
    void handle(const QJsonObject &response, QByteArray &out) override;
    void part(const QJsonObject &part, QByteArray &out);
    QJsonObject usage() const;

    OpenAiChunkWriter m_writer;
    bool m_idFixed;
    bool m_finished = false; // a finishReason arrived; the end of the stream completes it
    int m_toolCalls = 0;
    QJsonObject m_usage; // usageMetadata, the last one wins
};

} // namespace relay
