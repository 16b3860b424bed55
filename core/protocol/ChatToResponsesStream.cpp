#include "ChatToResponsesStream.h"

#include "OpenAiChunkWriter.h"
#include "OpenAiStreamFolder.h"
#include "ResponsesToChatRequest.h"

#include <QDateTime>
#include <QJsonDocument>

namespace relay {

namespace {
const QJsonArray kNoLogprobs;

QJsonObject textPart(const QString &type, const QString &text)
{
    QJsonObject part { { QStringLiteral("type"), type }, { QStringLiteral("text"), text } };
    if (type == u"output_text") {
        part.insert(QStringLiteral("annotations"), QJsonArray());
        part.insert(QStringLiteral("logprobs"), kNoLogprobs);
    }
    return part;
}

QJsonObject usage(const QJsonObject &chat)
{
    const int input = chat.value(u"prompt_tokens").toInt();
    const int output = chat.value(u"completion_tokens").toInt();
    return {
        { QStringLiteral("input_tokens"), input },
        { QStringLiteral("input_tokens_details"),
          QJsonObject { { QStringLiteral("cached_tokens"),
                          chat.value(u"prompt_tokens_details")
                              .toObject()
                              .value(u"cached_tokens")
                              .toInt() } } },
        { QStringLiteral("output_tokens"), output },
        { QStringLiteral("output_tokens_details"),
          QJsonObject { { QStringLiteral("reasoning_tokens"),
                          chat.value(u"completion_tokens_details")
                              .toObject()
                              .value(u"reasoning_tokens")
                              .toInt() } } },
        { QStringLiteral("total_tokens"), chat.value(u"total_tokens").toInt(input + output) },
    };
}
} // namespace

ChatToResponsesStream::ChatToResponsesStream(QString model, const QJsonObject &request,
                                             QString responseId, qint64 createdAt)
    : m_model(std::move(model))
    , m_id(responseId.isEmpty() ? OpenAiChunkWriter::randomId(QStringLiteral("resp_"))
                                : std::move(responseId))
    , m_createdAt(createdAt > 0 ? createdAt : QDateTime::currentSecsSinceEpoch())
    , m_namespaced(ResponsesToChatRequest::namespacedFunctions(request))
{
    m_echo = { { QStringLiteral("instructions"), request.value(u"instructions") },
               { QStringLiteral("tools"), request.value(u"tools").toArray() },
               { QStringLiteral("tool_choice"),
                 request.contains(u"tool_choice") ? request.value(u"tool_choice")
                                                  : QJsonValue(QStringLiteral("auto")) },
               { QStringLiteral("parallel_tool_calls"),
                 request.value(u"parallel_tool_calls").toBool(true) },
               { QStringLiteral("metadata"), request.value(u"metadata").toObject() },
               { QStringLiteral("store"), false } };
    for (const char *same : { "temperature", "top_p", "max_output_tokens", "reasoning", "text" }) {
        const QJsonValue value = request.value(QLatin1String(same));
        if (!value.isUndefined())
            m_echo.insert(QLatin1String(same), value);
    }
    if (m_echo.value(u"instructions").isUndefined())
        m_echo.insert(QStringLiteral("instructions"), QJsonValue::Null);
}

QByteArray ChatToResponsesStream::event(const QString &type, QJsonObject data)
{
    data.insert(QStringLiteral("type"), type);
    data.insert(QStringLiteral("sequence_number"), m_sequence++);
    return "event: " + type.toUtf8()
        + "\ndata: " + QJsonDocument(data).toJson(QJsonDocument::Compact) + "\n\n";
}

QJsonObject ChatToResponsesStream::response() const
{
    QJsonObject out = m_echo;
    out.insert(QStringLiteral("id"), m_id);
    out.insert(QStringLiteral("object"), QStringLiteral("response"));
    out.insert(QStringLiteral("created_at"), m_createdAt);
    out.insert(QStringLiteral("status"), m_status);
    out.insert(QStringLiteral("model"), m_model);
    out.insert(QStringLiteral("error"),
               m_error.isEmpty() ? QJsonValue(QJsonValue::Null) : QJsonValue(m_error));
    QJsonValue incomplete = QJsonValue::Null;
    if (m_status == u"incomplete")
        incomplete = QJsonObject { { QStringLiteral("reason"),
                                     m_finish == u"content_filter"
                                         ? QStringLiteral("content_filter")
                                         : QStringLiteral("max_output_tokens") } };
    out.insert(QStringLiteral("incomplete_details"), incomplete);
    QJsonArray output;
    for (const Item &item : m_items)
        output.append(itemJson(item));
    out.insert(QStringLiteral("output"), output);
    out.insert(QStringLiteral("usage"),
               m_usage.isEmpty() ? QJsonValue(QJsonValue::Null) : QJsonValue(usage(m_usage)));
    return out;
}

QJsonObject ChatToResponsesStream::itemJson(const Item &item) const
{
    QJsonObject json = item.json;
    const QString status = item.done ? QStringLiteral("completed") : QStringLiteral("in_progress");
    switch (item.kind) {
    case Kind::Message:
        json.insert(QStringLiteral("status"), status);
        json.insert(QStringLiteral("content"),
                    item.done || !item.text.isEmpty()
                        ? QJsonArray { textPart(QStringLiteral("output_text"), item.text) }
                        : QJsonArray());
        break;
    case Kind::Reasoning:
        json.insert(QStringLiteral("summary"),
                    item.text.isEmpty()
                        ? QJsonArray()
                        : QJsonArray { textPart(QStringLiteral("summary_text"), item.text) });
        break;
    case Kind::Function:
        json.insert(QStringLiteral("status"), status);
        json.insert(QStringLiteral("arguments"), item.text);
        break;
    }
    return json;
}

QByteArray ChatToResponsesStream::keepAlive()
{
    // Responses streams have no ping event; a comment is what OpenAI's SDKs skip.
    return m_done ? QByteArray() : QByteArrayLiteral(": keep-alive\n\n");
}

void ChatToResponsesStream::ensureStarted(QByteArray &out)
{
    if (m_started)
        return;
    m_started = true;
    out += event(QStringLiteral("response.created"),
                 { { QStringLiteral("response"), response() } });
    out += event(QStringLiteral("response.in_progress"),
                 { { QStringLiteral("response"), response() } });
}

int ChatToResponsesStream::open(Kind kind, QJsonObject json, QByteArray &out)
{
    static const char *const kPrefixes[] = { "rs_", "msg_", "fc_" };
    const int index = static_cast<int>(m_items.size());
    json.insert(QStringLiteral("id"),
                QString(QLatin1String(kPrefixes[static_cast<int>(kind)]) + m_id.mid(5) + u'_'
                        + QString::number(index)));
    m_items.append({ kind, json, {}, false });
    out += event(QStringLiteral("response.output_item.added"),
                 { { QStringLiteral("output_index"), index },
                   { QStringLiteral("item"), itemJson(m_items.last()) } });
    return index;
}

void ChatToResponsesStream::close(int index, QByteArray &out)
{
    Item &item = m_items[index];
    if (item.done)
        return;
    item.done = true;
    const QJsonObject where { { QStringLiteral("item_id"), item.json.value(u"id") },
                              { QStringLiteral("output_index"), index } };
    auto with = [&where](std::initializer_list<QPair<QString, QJsonValue>> fields) {
        QJsonObject data = where;
        for (const auto &[key, value] : fields)
            data.insert(key, value);
        return data;
    };
    if (item.kind == Kind::Message) {
        out += event(QStringLiteral("response.output_text.done"),
                     with({ { QStringLiteral("content_index"), 0 },
                            { QStringLiteral("text"), item.text },
                            { QStringLiteral("logprobs"), kNoLogprobs } }));
        out += event(QStringLiteral("response.content_part.done"),
                     with({ { QStringLiteral("content_index"), 0 },
                            { QStringLiteral("part"),
                              textPart(QStringLiteral("output_text"), item.text) } }));
    } else if (item.kind == Kind::Reasoning && !item.text.isEmpty()) {
        out += event(QStringLiteral("response.reasoning_summary_text.done"),
                     with({ { QStringLiteral("summary_index"), 0 },
                            { QStringLiteral("text"), item.text } }));
        out += event(QStringLiteral("response.reasoning_summary_part.done"),
                     with({ { QStringLiteral("summary_index"), 0 },
                            { QStringLiteral("part"),
                              textPart(QStringLiteral("summary_text"), item.text) } }));
    } else if (item.kind == Kind::Function) {
        out += event(QStringLiteral("response.function_call_arguments.done"),
                     with({ { QStringLiteral("name"), item.json.value(u"name") },
                            { QStringLiteral("arguments"), item.text } }));
    }
    out += event(
        QStringLiteral("response.output_item.done"),
        { { QStringLiteral("output_index"), index }, { QStringLiteral("item"), itemJson(item) } });
}

void ChatToResponsesStream::closeOpenText(QByteArray &out)
{
    if (m_textItem < 0)
        return;
    close(m_textItem, out);
    m_textItem = -1;
}

void ChatToResponsesStream::appendText(Kind kind, const QString &text, QByteArray &out)
{
    if (text.isEmpty())
        return;
    const bool message = kind == Kind::Message;
    if (m_textItem < 0 || m_items.at(m_textItem).kind != kind) {
        closeOpenText(out);
        m_textItem = message
            ? open(kind,
                   { { QStringLiteral("type"), QStringLiteral("message") },
                     { QStringLiteral("role"), QStringLiteral("assistant") } },
                   out)
            : open(kind, { { QStringLiteral("type"), QStringLiteral("reasoning") } }, out);
    }
    Item &item = m_items[m_textItem];
    QJsonObject where {
        { QStringLiteral("item_id"), item.json.value(u"id") },
        { QStringLiteral("output_index"), m_textItem },
        { message ? QStringLiteral("content_index") : QStringLiteral("summary_index"), 0 }
    };
    if (item.text.isEmpty()) {
        QJsonObject added = where;
        added.insert(QStringLiteral("part"),
                     message ? textPart(QStringLiteral("output_text"), QString())
                             : textPart(QStringLiteral("summary_text"), QString()));
        out += event(message ? QStringLiteral("response.content_part.added")
                             : QStringLiteral("response.reasoning_summary_part.added"),
                     added);
    }
    item.text += text;
    where.insert(QStringLiteral("delta"), text);
    if (message)
        where.insert(QStringLiteral("logprobs"), kNoLogprobs);
    out += event(message ? QStringLiteral("response.output_text.delta")
                         : QStringLiteral("response.reasoning_summary_text.delta"),
                 where);
}

void ChatToResponsesStream::sign(const char *kind, const QString &signature, QByteArray &out)
{
    if (signature.isEmpty())
        return;
    // A signature without reasoning text (Gemini signs its function calls) gets an item of its
    // own, closed at once: the client sends it back just before the call it signs.
    const bool own = m_textItem < 0 || m_items.at(m_textItem).kind != Kind::Reasoning;
    if (own) {
        closeOpenText(out);
        m_textItem = open(Kind::Reasoning,
                          { { QStringLiteral("type"), QStringLiteral("reasoning") } }, out);
    }
    m_items[m_textItem].json.insert(QStringLiteral("encrypted_content"),
                                    ResponsesToChatRequest::sealSignature(kind, signature));
    if (own)
        closeOpenText(out);
}

void ChatToResponsesStream::toolCall(const QJsonObject &call, QByteArray &out)
{
    const int chatIndex = call.value(u"index").toInt(0);
    const QJsonObject function = call.value(u"function").toObject();
    auto found = m_toolItems.constFind(chatIndex);
    int index;
    if (found == m_toolItems.constEnd()) {
        // An open reasoning item takes the call's signature; sign() closes it.
        sign(ResponsesToChatRequest::kCallSignature,
             call.value(u"extra_content")
                 .toObject()
                 .value(u"google")
                 .toObject()
                 .value(u"thought_signature")
                 .toString(),
             out);
        closeOpenText(out);
        QString callId = call.value(u"id").toString();
        if (callId.isEmpty())
            callId = OpenAiChunkWriter::randomId(QStringLiteral("call_"));
        const QString name = function.value(u"name").toString();
        QJsonObject json { { QStringLiteral("type"), QStringLiteral("function_call") },
                           { QStringLiteral("call_id"), callId },
                           { QStringLiteral("name"), name } };
        const auto qualified = m_namespaced.constFind(name);
        if (qualified != m_namespaced.constEnd()) {
            json.insert(QStringLiteral("namespace"), qualified->first);
            json.insert(QStringLiteral("name"), qualified->second);
        }
        index = open(Kind::Function, json, out);
        m_toolItems.insert(chatIndex, index);
    } else {
        index = *found;
    }
    const QString arguments = function.value(u"arguments").toString();
    if (arguments.isEmpty())
        return;
    Item &item = m_items[index];
    item.text += arguments;
    out += event(QStringLiteral("response.function_call_arguments.delta"),
                 { { QStringLiteral("item_id"), item.json.value(u"id") },
                   { QStringLiteral("output_index"), index },
                   { QStringLiteral("delta"), arguments } });
}

bool ChatToResponsesStream::handleMarker(const QByteArray &data, QByteArray &out)
{
    if (data != "[DONE]")
        return false;
    if (m_finish.isEmpty())
        m_finish = QStringLiteral("stop"); // an explicit end, even without a finish reason
    complete(out);
    return true;
}

void ChatToResponsesStream::handle(const QJsonObject &chunk, QByteArray &out)
{
    if (chunk.contains(u"error")) {
        out += fail(chunk.value(u"error")
                        .toObject()
                        .value(u"message")
                        .toString(QStringLiteral("upstream error")));
        return;
    }
    ensureStarted(out);
    if (chunk.value(u"usage").isObject())
        m_usage = chunk.value(u"usage").toObject();
    const QJsonObject choice = chunk.value(u"choices").toArray().at(0).toObject();
    const QJsonObject delta = choice.value(u"delta").toObject();
    QString reasoning = delta.value(u"reasoning_content").toString();
    if (reasoning.isEmpty())
        reasoning = delta.value(u"reasoning").toString();
    appendText(Kind::Reasoning, reasoning, out);
    sign(ResponsesToChatRequest::kTurnSignature, delta.value(u"reasoning_signature").toString(),
         out);
    appendText(Kind::Message, delta.value(u"content").toString(), out);
    for (const QJsonValue &call : delta.value(u"tool_calls").toArray())
        toolCall(call.toObject(), out);
    if (choice.value(u"finish_reason").isString())
        m_finish = choice.value(u"finish_reason").toString();
}

void ChatToResponsesStream::complete(QByteArray &out)
{
    if (m_finish.isEmpty()) {
        out += fail(QStringLiteral("the upstream ended the stream without a finish reason; the "
                                   "answer is incomplete"));
        return;
    }
    ensureStarted(out);
    closeOpenText(out);
    for (int i = 0; i < m_items.size(); ++i)
        close(i, out);
    const bool cut = m_finish == u"length" || m_finish == u"content_filter";
    m_status = cut ? QStringLiteral("incomplete") : QStringLiteral("completed");
    out += event(cut ? QStringLiteral("response.incomplete") : QStringLiteral("response.completed"),
                 { { QStringLiteral("response"), response() } });
    m_done = true;
}

QByteArray ChatToResponsesStream::finish()
{
    QByteArray out;
    if (!m_done)
        complete(out);
    return out;
}

QByteArray ChatToResponsesStream::fail(const QString &message)
{
    if (m_done)
        return {};
    QByteArray out;
    ensureStarted(out);
    m_status = QStringLiteral("failed");
    m_error = { { QStringLiteral("code"), QStringLiteral("server_error") },
                { QStringLiteral("message"), message } };
    out += event(QStringLiteral("response.failed"), { { QStringLiteral("response"), response() } });
    return failWith(out);
}

QByteArray ChatToResponsesStream::translateResponse(const QByteArray &completion,
                                                    const QString &model,
                                                    const QJsonObject &request, QString *error,
                                                    const QString &responseId, qint64 createdAt)
{
    // The stream translator is the one place that knows how chat turns map to output items.
    const QByteArray chunks = OpenAiStreamFolder::unfold(completion, error);
    if (!error->isEmpty())
        return {};
    ChatToResponsesStream stream(model, request, responseId, createdAt);
    stream.feed(chunks);
    stream.finish();
    if (stream.failed()) {
        *error = stream.m_error.value(u"message").toString();
        return {};
    }
    return QJsonDocument(stream.response()).toJson(QJsonDocument::Compact);
}

} // namespace relay
