#pragma once

#include "JsonEventStream.h"
#include "OpenAiChunkWriter.h"

#include <QHash>
#include <QJsonObject>

namespace relay {

// Turns an Anthropic Messages stream (upstream) into an OpenAI chat-completions stream
// (client), event by event.
//
// text_delta -> content, thinking_delta -> reasoning_content, signature_delta ->
// reasoning_signature (sent back by the request translator), each tool_use block -> one
// tool_calls[] entry whose arguments stream from input_json_delta; stop_reason ->
// finish_reason, usage (cache reads counted as cached prompt tokens) -> the usage chunk when
// asked for, message_stop -> [DONE], ping -> an SSE comment. An error event, or a stream that
// ends before message_stop, becomes an OpenAI error chunk.
class AnthropicToOpenAiStream final : public JsonEventStream
{
public:
    AnthropicToOpenAiStream(QString model, bool includeUsage, QString id = {}, qint64 created = 0);

    QByteArray finish() override;
    QByteArray fail(const QString &message) override;
    QByteArray keepAlive() override { return OpenAiChunkWriter::keepAlive(); }

    static QString finishReason(const QString &anthropicStopReason);
    static QJsonObject usage(const QJsonObject &anthropicUsage);

private:
    void handle(const QJsonObject &event, QByteArray &out) override;
    void blockStart(const QJsonObject &event, QByteArray &out);
    void blockDelta(const QJsonObject &event, QByteArray &out);

    OpenAiChunkWriter m_writer;
    bool m_idFixed;
    QHash<int, int> m_toolOfBlock; // Anthropic block index -> OpenAI tool_calls index
    QString m_finishReason;
    QJsonObject m_usage; // Anthropic's fields, merged from message_start and message_delta
};

} // namespace relay
