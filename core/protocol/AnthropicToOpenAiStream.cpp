#include "AnthropicToOpenAiStream.h"

#include <QJsonArray>

namespace relay {

AnthropicToOpenAiStream::AnthropicToOpenAiStream(QString model, bool includeUsage, QString id,
                                                 qint64 created)
    : m_writer(std::move(model), includeUsage, id, created)
    , m_idFixed(!id.isEmpty())
{ }

QString AnthropicToOpenAiStream::finishReason(const QString &stop)
{
    if (stop == u"max_tokens" || stop == u"model_context_window_exceeded")
        return QStringLiteral("length");
    if (stop == u"tool_use")
        return QStringLiteral("tool_calls");
    if (stop == u"refusal")
        return QStringLiteral("content_filter");
    return QStringLiteral("stop"); // end_turn, stop_sequence, pause_turn
}

QJsonObject AnthropicToOpenAiStream::usage(const QJsonObject &in)
{
    const int read = in.value(u"cache_read_input_tokens").toInt();
    const int prompt = in.value(u"input_tokens").toInt() + read
        + in.value(u"cache_creation_input_tokens").toInt();
    const int completion = in.value(u"output_tokens").toInt();
    return { { QStringLiteral("prompt_tokens"), prompt },
             { QStringLiteral("completion_tokens"), completion },
             { QStringLiteral("total_tokens"), prompt + completion },
             { QStringLiteral("prompt_tokens_details"),
               QJsonObject { { QStringLiteral("cached_tokens"), read } } } };
}

void AnthropicToOpenAiStream::handle(const QJsonObject &event, QByteArray &out)
{
    const QString type = event.value(u"type").toString();
    if (type == u"message_start") {
        const QJsonObject message = event.value(u"message").toObject();
        if (!m_idFixed)
            m_writer.setId(QStringLiteral("chatcmpl-") + message.value(u"id").toString());
        m_usage = message.value(u"usage").toObject();
        out += m_writer.delta({ { QStringLiteral("content"), QString() } });
    } else if (type == u"content_block_start") {
        blockStart(event, out);
    } else if (type == u"content_block_delta") {
        blockDelta(event, out);
    } else if (type == u"message_delta") {
        const QJsonValue stop = event.value(u"delta").toObject().value(u"stop_reason");
        if (stop.isString())
            m_finishReason = finishReason(stop.toString());
        const QJsonObject usage = event.value(u"usage").toObject();
        for (auto it = usage.begin(); it != usage.end(); ++it)
            m_usage.insert(it.key(), it.value());
    } else if (type == u"message_stop") {
        if (m_finishReason.isEmpty())
            m_finishReason = QStringLiteral("stop");
        out += m_writer.finish(m_finishReason);
        out += m_writer.end(usage(m_usage));
        m_done = true;
    } else if (type == u"ping") {
        out += keepAlive();
    } else if (type == u"error") {
        out += fail(event.value(u"error")
                        .toObject()
                        .value(u"message")
                        .toString(QStringLiteral("upstream error")));
    }
    // content_block_stop and event types added later carry nothing an OpenAI client reads.
}

void AnthropicToOpenAiStream::blockStart(const QJsonObject &event, QByteArray &out)
{
    const QJsonObject block = event.value(u"content_block").toObject();
    const QString type = block.value(u"type").toString();
    if (type == u"tool_use") {
        const int tool = static_cast<int>(m_toolOfBlock.size());
        m_toolOfBlock.insert(event.value(u"index").toInt(), tool);
        const QJsonObject call { { QStringLiteral("index"), tool },
                                 { QStringLiteral("id"), block.value(u"id").toString() },
                                 { QStringLiteral("type"), QStringLiteral("function") },
                                 { QStringLiteral("function"),
                                   QJsonObject {
                                       { QStringLiteral("name"), block.value(u"name").toString() },
                                       { QStringLiteral("arguments"), QString() } } } };
        out += m_writer.delta({ { QStringLiteral("tool_calls"), QJsonArray { call } } });
    } else if (type == u"text" && !block.value(u"text").toString().isEmpty()) {
        out += m_writer.delta({ { QStringLiteral("content"), block.value(u"text") } });
    } else if (type == u"thinking" && !block.value(u"thinking").toString().isEmpty()) {
        out += m_writer.delta(
            { { QStringLiteral("reasoning_content"), block.value(u"thinking") } });
    }
}

void AnthropicToOpenAiStream::blockDelta(const QJsonObject &event, QByteArray &out)
{
    const QJsonObject delta = event.value(u"delta").toObject();
    const QString type = delta.value(u"type").toString();
    if (type == u"text_delta") {
        out += m_writer.delta({ { QStringLiteral("content"), delta.value(u"text") } });
    } else if (type == u"thinking_delta") {
        out += m_writer.delta(
            { { QStringLiteral("reasoning_content"), delta.value(u"thinking") } });
    } else if (type == u"signature_delta") {
        out += m_writer.delta(
            { { QStringLiteral("reasoning_signature"), delta.value(u"signature") } });
    } else if (type == u"input_json_delta") {
        if (delta.value(u"partial_json").toString().isEmpty())
            return;
        const int block = event.value(u"index").toInt();
        if (!m_toolOfBlock.contains(block)) {
            out += fail(QStringLiteral("the upstream sent tool arguments for a block that is not "
                                       "a tool call"));
            return;
        }
        const QJsonObject call {
            { QStringLiteral("index"), m_toolOfBlock.value(block) },
            { QStringLiteral("function"),
              QJsonObject { { QStringLiteral("arguments"), delta.value(u"partial_json") } } }
        };
        out += m_writer.delta({ { QStringLiteral("tool_calls"), QJsonArray { call } } });
    }
}

QByteArray AnthropicToOpenAiStream::finish()
{
    if (m_done)
        return {};
    return fail(QStringLiteral("the upstream ended the stream before message_stop; the answer "
                               "is incomplete"));
}

QByteArray AnthropicToOpenAiStream::fail(const QString &message)
{
    return failWith(OpenAiChunkWriter::error(message));
}

} // namespace relay
