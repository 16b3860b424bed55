#pragma once

#include "JsonEventStream.h"

#include <QByteArray>
#include <QJsonObject>
#include <QString>

namespace relay {

// Turns an OpenAI chat-completions stream (upstream) into an Anthropic Messages stream (client),
// event by event as the upstream's chunks arrive.
//
// content -> text block, reasoning_content / reasoning -> thinking block, each tool call -> a
// tool_use block whose arguments stream as input_json_delta; finish_reason and the usage chunk
// become message_delta; [DONE] (or the end of the upstream) becomes message_stop. A stream that
// ends without a finish_reason, or an upstream error chunk, becomes an Anthropic error event.
// A reasoning signature (delta.reasoning_signature, or a tool call's
// extra_content.google.thought_signature from a Gemini upstream) closes the thinking block as a
// signature_delta, so the client sends it back on the next turn.
class OpenAiToAnthropicStream final : public JsonEventStream
{
public:
    // `model` is the name the client asked for; `messageId` is "msg_..." (random if empty).
    explicit OpenAiToAnthropicStream(QString model, QString messageId = {});

    // Upstream bytes in, client bytes out (possibly empty).
    QByteArray finish() override;
    QByteArray fail(const QString &message) override;
    QByteArray keepAlive() override;

    static QByteArray event(const char *type, const QJsonObject &data);
    static QString stopReason(const QString &openAiFinishReason);

private:
    enum class Block { None, Text, Thinking, Tool };

    bool handleMarker(const QByteArray &data, QByteArray &out) override;
    void handle(const QJsonObject &chunk, QByteArray &out) override;
    void ensureStarted(QByteArray &out);
    void openBlock(Block kind, const QJsonObject &start, QByteArray &out);
    void closeBlock(QByteArray &out);
    void delta(const QJsonObject &delta, QByteArray &out);
    void streamText(Block kind, const QString &type, const QString &text, QByteArray &out);
    void sign(const QString &signature, QByteArray &out);
    void complete(QByteArray &out);

    QString m_model;
    QString m_id;
    bool m_started = false;
    Block m_block = Block::None;
    int m_blockIndex = -1;
    int m_toolIndex = -1; // OpenAI tool_calls[].index of the open tool block
    QList<int> m_closedTools;
    QString m_stopReason;
    QJsonObject m_usage;
};

} // namespace relay
