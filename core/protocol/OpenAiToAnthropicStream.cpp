#include "OpenAiToAnthropicStream.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QRandomGenerator>

namespace relay {

namespace {
QString randomId(const QString &prefix)
{
    QString id = prefix;
    for (int i = 0; i < 24; ++i)
        id += QLatin1Char(
            "0123456789abcdefghijklmnopqrstuvwxyz"[QRandomGenerator::global()->bounded(36)]);
    return id;
}
} // namespace

OpenAiToAnthropicStream::OpenAiToAnthropicStream(QString model, QString messageId)
    : m_model(std::move(model))
    , m_id(messageId.isEmpty() ? randomId(QStringLiteral("msg_")) : std::move(messageId))
{ }

QByteArray OpenAiToAnthropicStream::event(const char *type, const QJsonObject &data)
{
    return QByteArray("event: ") + type
        + "\ndata: " + QJsonDocument(data).toJson(QJsonDocument::Compact) + "\n\n";
}

QByteArray OpenAiToAnthropicStream::keepAlive()
{
    // Anthropic's SDKs reject any event before message_start, so a ping starts the message.
    QByteArray out;
    if (m_done)
        return out;
    if (!m_started) {
        ensureStarted(out); // ends with a ping of its own
        return out;
    }
    return event("ping", { { QStringLiteral("type"), QStringLiteral("ping") } });
}

QString OpenAiToAnthropicStream::stopReason(const QString &finish)
{
    if (finish == u"length")
        return QStringLiteral("max_tokens");
    if (finish == u"tool_calls" || finish == u"function_call")
        return QStringLiteral("tool_use");
    if (finish == u"content_filter")
        return QStringLiteral("refusal");
    return QStringLiteral("end_turn");
}

bool OpenAiToAnthropicStream::handleMarker(const QByteArray &data, QByteArray &out)
{
    if (data != "[DONE]")
        return false;
    // An explicit end: complete even if no chunk named a finish reason.
    if (m_stopReason.isEmpty())
        m_stopReason = QStringLiteral("end_turn");
    complete(out);
    return true;
}

void OpenAiToAnthropicStream::ensureStarted(QByteArray &out)
{
    if (m_started)
        return;
    m_started = true;
    const QJsonObject message { { QStringLiteral("id"), m_id },
                                { QStringLiteral("type"), QStringLiteral("message") },
                                { QStringLiteral("role"), QStringLiteral("assistant") },
                                { QStringLiteral("model"), m_model },
                                { QStringLiteral("content"), QJsonArray() },
                                { QStringLiteral("stop_reason"), QJsonValue::Null },
                                { QStringLiteral("stop_sequence"), QJsonValue::Null },
                                { QStringLiteral("usage"),
                                  QJsonObject { { QStringLiteral("input_tokens"), 0 },
                                                { QStringLiteral("output_tokens"), 0 } } } };
    out += event("message_start",
                 { { QStringLiteral("type"), QStringLiteral("message_start") },
                   { QStringLiteral("message"), message } });
    out += event("ping", { { QStringLiteral("type"), QStringLiteral("ping") } });
}

void OpenAiToAnthropicStream::openBlock(Block kind, const QJsonObject &start, QByteArray &out)
{
    closeBlock(out);
    m_block = kind;
    ++m_blockIndex;
    out += event("content_block_start",
                 { { QStringLiteral("type"), QStringLiteral("content_block_start") },
                   { QStringLiteral("index"), m_blockIndex },
                   { QStringLiteral("content_block"), start } });
}

void OpenAiToAnthropicStream::closeBlock(QByteArray &out)
{
    if (m_block == Block::None)
        return;
    if (m_block == Block::Tool)
        m_closedTools.append(m_toolIndex);
    out += event("content_block_stop",
                 { { QStringLiteral("type"), QStringLiteral("content_block_stop") },
                   { QStringLiteral("index"), m_blockIndex } });
    m_block = Block::None;
}

void OpenAiToAnthropicStream::delta(const QJsonObject &delta, QByteArray &out)
{
    out += event("content_block_delta",
                 { { QStringLiteral("type"), QStringLiteral("content_block_delta") },
                   { QStringLiteral("index"), m_blockIndex },
                   { QStringLiteral("delta"), delta } });
}

void OpenAiToAnthropicStream::streamText(Block kind, const QString &type, const QString &text,
                                         QByteArray &out)
{
    // Text and thinking blocks differ only in names: "text"/"text_delta", "thinking"/...
    if (text.isEmpty())
        return;
    if (m_block != kind)
        openBlock(kind, { { QStringLiteral("type"), type }, { type, QString() } }, out);
    delta({ { QStringLiteral("type"), QString(type + QStringLiteral("_delta")) }, { type, text } },
          out);
}

void OpenAiToAnthropicStream::sign(const QString &signature, QByteArray &out)
{
    if (signature.isEmpty())
        return;
    // A signature without thinking text (Gemini signs its function calls) still needs a block.
    if (m_block != Block::Thinking)
        openBlock(Block::Thinking,
                  { { QStringLiteral("type"), QStringLiteral("thinking") },
                    { QStringLiteral("thinking"), QString() } },
                  out);
    delta({ { QStringLiteral("type"), QStringLiteral("signature_delta") },
            { QStringLiteral("signature"), signature } },
          out);
    closeBlock(out);
}

void OpenAiToAnthropicStream::handle(const QJsonObject &chunk, QByteArray &out)
{
    if (chunk.contains(u"error")) {
        const QJsonObject error = chunk.value(u"error").toObject();
        out += fail(error.value(u"message").toString(QStringLiteral("upstream error")));
        return;
    }
    ensureStarted(out);
    const QJsonValue usage = chunk.value(u"usage");
    if (usage.isObject())
        m_usage = usage.toObject();
    const QJsonArray choices = chunk.value(u"choices").toArray();
    if (choices.isEmpty())
        return;
    const QJsonObject choice = choices.at(0).toObject();
    const QJsonObject d = choice.value(u"delta").toObject();

    QString reasoning = d.value(u"reasoning_content").toString();
    if (reasoning.isEmpty())
        reasoning = d.value(u"reasoning").toString();
    streamText(Block::Thinking, QStringLiteral("thinking"), reasoning, out);
    sign(d.value(u"reasoning_signature").toString(), out);
    streamText(Block::Text, QStringLiteral("text"), d.value(u"content").toString(), out);
    const QJsonArray toolCalls = d.value(u"tool_calls").toArray();
    for (const QJsonValue &value : toolCalls) {
        const QJsonObject call = value.toObject();
        const int index = call.value(u"index").toInt(0);
        const QJsonObject function = call.value(u"function").toObject();
        if (m_block != Block::Tool || m_toolIndex != index) {
            if (m_closedTools.contains(index)) {
                out += fail(
                    QStringLiteral("the upstream interleaved the arguments of parallel tool "
                                   "calls, which an Anthropic stream cannot carry"));
                return;
            }
            QString id = call.value(u"id").toString();
            if (id.isEmpty())
                id = randomId(QStringLiteral("toolu_"));
            // Both close the open block before m_toolIndex moves on: it records which call ended.
            sign(call.value(u"extra_content")
                     .toObject()
                     .value(u"google")
                     .toObject()
                     .value(u"thought_signature")
                     .toString(),
                 out);
            closeBlock(out);
            m_toolIndex = index;
            openBlock(Block::Tool,
                      { { QStringLiteral("type"), QStringLiteral("tool_use") },
                        { QStringLiteral("id"), id },
                        { QStringLiteral("name"), function.value(u"name").toString() },
                        { QStringLiteral("input"), QJsonObject() } },
                      out);
        }
        const QString arguments = function.value(u"arguments").toString();
        if (!arguments.isEmpty())
            delta({ { QStringLiteral("type"), QStringLiteral("input_json_delta") },
                    { QStringLiteral("partial_json"), arguments } },
                  out);
    }
    const QJsonValue finish = choice.value(u"finish_reason");
    if (finish.isString())
        m_stopReason = stopReason(finish.toString());
}

void OpenAiToAnthropicStream::complete(QByteArray &out)
{
    if (m_stopReason.isEmpty()) {
        out += fail(QStringLiteral("the upstream ended the stream without a finish reason; the "
                                   "answer is incomplete"));
        return;
    }
    ensureStarted(out);
    closeBlock(out);
    QJsonObject usage { { QStringLiteral("output_tokens"),
                          m_usage.value(u"completion_tokens").toInt() } };
    if (m_usage.contains(u"prompt_tokens")) {
        const int cached
            = m_usage.value(u"prompt_tokens_details").toObject().value(u"cached_tokens").toInt();
        usage.insert(QStringLiteral("input_tokens"),
                     m_usage.value(u"prompt_tokens").toInt() - cached);
        if (cached > 0)
            usage.insert(QStringLiteral("cache_read_input_tokens"), cached);
    }
    out += event("message_delta",
                 { { QStringLiteral("type"), QStringLiteral("message_delta") },
                   { QStringLiteral("delta"),
                     QJsonObject { { QStringLiteral("stop_reason"), m_stopReason },
                                   { QStringLiteral("stop_sequence"), QJsonValue::Null } } },
                   { QStringLiteral("usage"), usage } });
    out += event("message_stop", { { QStringLiteral("type"), QStringLiteral("message_stop") } });
    m_done = true;
}

QByteArray OpenAiToAnthropicStream::finish()
{
    QByteArray out;
    if (!m_done)
        complete(out);
    return out;
}

QByteArray OpenAiToAnthropicStream::fail(const QString &message)
{
    return failWith(event("error",
                          { { QStringLiteral("type"), QStringLiteral("error") },
                            { QStringLiteral("error"),
                              QJsonObject { { QStringLiteral("type"), QStringLiteral("api_error") },
                                            { QStringLiteral("message"), message } } } }));
}

} // namespace relay
