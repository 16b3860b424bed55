#include "FakeProvider.h"

#include "FakeGeminiApi.h"
#include "FakeReply.h"
#include "FakeUpstream.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QSet>

namespace relay::test {

namespace {

using Turn = FakeProvider::Turn;

FakeAnswer badRequest(const QByteArray &body)
{
    return { 400, body, {} };
}

// ---- OpenAI -------------------------------------------------------------------------------

FakeAnswer openAiError(const QString &message)
{
    return badRequest(
        FakeReply::json({ { QStringLiteral("error"),
                            QJsonObject { { QStringLiteral("message"), message },
                                          { QStringLiteral("type"),
                                            QStringLiteral("invalid_request_error") } } } }));
}

QString openAiText(const QJsonValue &content, QStringList *images)
{
    if (content.isString())
        return content.toString();
    QStringList texts;
    for (const QJsonValue &v : content.toArray()) {
        const QJsonObject part = v.toObject();
        if (part.value(u"type").toString() == u"text")
            texts.append(part.value(u"text").toString());
        else if (part.value(u"type").toString() == u"image_url" && images) {
            const QString url = part.value(u"image_url").toObject().value(u"url").toString();
            images->append(url.startsWith(u"data:") ? url.mid(5).section(u';', 0, 0) : url);
        }
    }
    return texts.join(u' ');
}

// ---- Anthropic ----------------------------------------------------------------------------

FakeAnswer anthropicError(const QString &message)
{
    return badRequest(FakeReply::json(
        { { QStringLiteral("type"), QStringLiteral("error") },
          { QStringLiteral("error"),
            QJsonObject { { QStringLiteral("type"), QStringLiteral("invalid_request_error") },
                          { QStringLiteral("message"), message } } } }));
}

QByteArray anthropicEvent(const QJsonObject &data)
{
    return "event: " + data.value(u"type").toString().toUtf8() + "\ndata: " + FakeReply::json(data)
        + "\n\n";
}

} // namespace

FakeAnswer FakeProvider::answer(const ReceivedRequest &request)
{
    const QByteArray path = request.path.split('?').value(0);
    const QJsonObject body = QJsonDocument::fromJson(request.body).object();
    if (path == "/v1/chat/completions")
        return openAi(body);
    if (path == "/v1/messages") {
        if (request.headers.value("anthropic-version").isEmpty())
            return anthropicError(QStringLiteral("anthropic-version: header is required"));
        return anthropic(body);
    }
    if (path == "/v1/messages/count_tokens")
        return { 200, R"({"input_tokens":42})", {} };
    if (path.startsWith("/v1beta/models/")) {
        const QString call = QString::fromUtf8(path.mid(15));
        const QString model = call.section(u':', 0, 0);
        const QString method = call.section(u':', 1);
        if (method == u"streamGenerateContent" && !request.path.endsWith("alt=sse"))
            return { 400,
                     R"({"error":{"code":400,"message":"this fake only streams with alt=sse"}})",
                     {} };
        if (method == u"countTokens")
            return { 200, R"({"totalTokens":42})", {} };
        if (method != u"generateContent" && method != u"streamGenerateContent")
            return { 404, R"({"error":{"code":404,"message":"unknown method"}})", {} };
        return FakeGeminiApi::answer(body, model, method == u"streamGenerateContent");
    }
    return {};
}

FakeAnswer FakeProvider::openAi(const QJsonObject &body)
{
    const QJsonArray messages = body.value(u"messages").toArray();
    if (messages.isEmpty())
        return openAiError(QStringLiteral("messages: must be a non-empty array"));
    Turn turn;
    QSet<QString> callIds;
    qsizetype lastAssistant = -1;
    for (qsizetype i = 0; i < messages.size(); ++i) {
        const QJsonObject m = messages.at(i).toObject();
        const QString role = m.value(u"role").toString();
        if (role == u"assistant") {
            lastAssistant = i;
            for (const QJsonValue &call : m.value(u"tool_calls").toArray())
                callIds.insert(call.toObject().value(u"id").toString());
        } else if (role == u"tool" && !callIds.contains(m.value(u"tool_call_id").toString())) {
            return openAiError(
                QStringLiteral("messages[%1].tool_call_id: no such tool call").arg(i));
        } else if (role != u"system" && role != u"developer" && role != u"user"
                   && role != u"tool") {
            return openAiError(QStringLiteral("messages[%1].role: invalid").arg(i));
        }
    }
    for (qsizetype i = lastAssistant + 1; i < messages.size(); ++i) {
        const QJsonObject m = messages.at(i).toObject();
        if (m.value(u"role").toString() == u"tool")
            turn.toolResults.append(openAiText(m.value(u"content"), nullptr));
        else if (m.value(u"role").toString() == u"user")
            turn.text = openAiText(m.value(u"content"), &turn.images);
    }
    turn.allText = turn.text;
    turn.tool = body.value(u"tools")
                    .toArray()
                    .at(0)
                    .toObject()
                    .value(u"function")
                    .toObject()
                    .value(u"name")
                    .toString();
    const QString model = body.value(u"model").toString();
    turn.thinking = model.contains(u"think");
    const FakeReply r = FakeReply::to(turn);
    const QJsonObject usage { { QStringLiteral("prompt_tokens"), 11 },
                              { QStringLiteral("completion_tokens"), 7 },
                              { QStringLiteral("total_tokens"), 18 },
                              { QStringLiteral("prompt_tokens_details"),
                                QJsonObject { { QStringLiteral("cached_tokens"), 3 } } } };
    const QString finish = r.tool.isEmpty() ? QStringLiteral("stop") : QStringLiteral("tool_calls");
    const QString args = QString::fromUtf8(FakeReply::json(r.args));
    auto call = [&](const QString &arguments, bool first) {
        QJsonObject function { { QStringLiteral("arguments"), arguments } };
        QJsonObject c { { QStringLiteral("index"), 0 }, { QStringLiteral("function"), function } };
        if (first) {
            function.insert(QStringLiteral("name"), r.tool);
            c.insert(QStringLiteral("function"), function);
            c.insert(QStringLiteral("id"), QStringLiteral("call_fake1"));
            c.insert(QStringLiteral("type"), QStringLiteral("function"));
        }
        return c;
    };
    if (!body.value(u"stream").toBool()) {
        QJsonObject message { { QStringLiteral("role"), QStringLiteral("assistant") },
                              { QStringLiteral("content"),
                                r.text.isEmpty() ? QJsonValue() : QJsonValue(r.text) } };
        if (!r.reasoning.isEmpty())
            message.insert(QStringLiteral("reasoning_content"), r.reasoning);
        if (!r.tool.isEmpty()) {
            QJsonObject c = call(args, true);
            c.remove(QStringLiteral("index"));
            message.insert(QStringLiteral("tool_calls"), QJsonArray { c });
        }
        return { 200,
                 FakeReply::json({ { QStringLiteral("id"), QStringLiteral("chatcmpl-fake") },
                                   { QStringLiteral("object"), QStringLiteral("chat.completion") },
                                   { QStringLiteral("created"), 1700000000 },
                                   { QStringLiteral("model"), model },
                                   { QStringLiteral("choices"),
                                     QJsonArray { QJsonObject {
                                         { QStringLiteral("index"), 0 },
                                         { QStringLiteral("message"), message },
                                         { QStringLiteral("finish_reason"), finish } } } },
                                   { QStringLiteral("usage"), usage } }),
                 {} };
    }
    FakeAnswer a;
    auto chunk = [&](const QJsonObject &delta, const QJsonValue &finishReason = QJsonValue()) {
        a.events.append("data: "
                        + FakeReply::json(
                            { { QStringLiteral("id"), QStringLiteral("chatcmpl-fake") },
                              { QStringLiteral("object"), QStringLiteral("chat.completion.chunk") },
                              { QStringLiteral("created"), 1700000000 },
                              { QStringLiteral("model"), model },
                              { QStringLiteral("choices"),
                                QJsonArray { QJsonObject {
                                    { QStringLiteral("index"), 0 },
                                    { QStringLiteral("delta"), delta },
                                    { QStringLiteral("finish_reason"), finishReason } } } } })
                        + "\n\n");
    };
    chunk({ { QStringLiteral("role"), QStringLiteral("assistant") },
            { QStringLiteral("content"), QString() } });
    for (const QString &piece : FakeReply::split(r.reasoning))
        if (!piece.isEmpty())
            chunk({ { QStringLiteral("reasoning_content"), piece } });
    for (const QString &piece : FakeReply::split(r.text))
        if (!piece.isEmpty())
            chunk({ { QStringLiteral("content"), piece } });
    if (!r.tool.isEmpty()) {
        const QStringList pieces = FakeReply::split(args);
        chunk({ { QStringLiteral("tool_calls"), QJsonArray { call(pieces.at(0), true) } } });
        chunk({ { QStringLiteral("tool_calls"), QJsonArray { call(pieces.at(1), false) } } });
    }
    chunk({}, finish);
    if (body.value(u"stream_options").toObject().value(u"include_usage").toBool())
        a.events.append("data: "
                        + FakeReply::json(
                            { { QStringLiteral("id"), QStringLiteral("chatcmpl-fake") },
                              { QStringLiteral("object"), QStringLiteral("chat.completion.chunk") },
                              { QStringLiteral("choices"), QJsonArray() },
                              { QStringLiteral("usage"), usage } })
                        + "\n\n");
    a.events.append("data: [DONE]\n\n");
    return a;
}

FakeAnswer FakeProvider::anthropic(const QJsonObject &body)
{
    if (!body.value(u"max_tokens").isDouble())
        return anthropicError(QStringLiteral("max_tokens: Field required"));
    const QJsonArray messages = body.value(u"messages").toArray();
    if (messages.isEmpty())
        return anthropicError(QStringLiteral("messages: at least one message is required"));
    const bool thinkingOn
        = body.value(u"thinking").toObject().value(u"type").toString() == u"enabled";
    QSet<QString> previousToolUses;
    QString previousRole;
    for (qsizetype i = 0; i < messages.size(); ++i) {
        const QJsonObject m = messages.at(i).toObject();
        const QString role = m.value(u"role").toString();
        const QString at = QStringLiteral("messages.%1").arg(i);
        if (role != u"user" && role != u"assistant")
            return anthropicError(at
                                  + QStringLiteral(".role: Input should be 'user' or 'assistant'"));
        if (role == previousRole)
            return anthropicError(at + QStringLiteral(": roles must alternate"));
        if (i == 0 && role != u"user")
            return anthropicError(QStringLiteral("messages: first message must use the user role"));
        previousRole = role;
        const QJsonArray blocks = m.value(u"content").toArray();
        QSet<QString> toolUses;
        bool sawOther = false;
        for (qsizetype b = 0; b < blocks.size(); ++b) {
            const QJsonObject block = blocks.at(b).toObject();
            const QString type = block.value(u"type").toString();
            if (type == u"tool_use") {
                toolUses.insert(block.value(u"id").toString());
            } else if (type == u"tool_result") {
                if (sawOther)
                    return anthropicError(at
                                          + QStringLiteral(": tool_result blocks must come first"));
                if (!previousToolUses.remove(block.value(u"tool_use_id").toString()))
                    return anthropicError(
                        at + QStringLiteral(": unexpected tool_use_id in tool_result"));
            } else if (type == u"thinking") {
                if (block.value(u"signature").toString() != QLatin1String(kAnthropicSignature))
                    return anthropicError(
                        at + QStringLiteral(": Invalid signature in thinking block"));
            } else if (type == u"text") {
                if (block.value(u"text").toString().isEmpty())
                    return anthropicError(
                        at + QStringLiteral(": text content blocks must be non-empty"));
                sawOther = true;
            } else if (type == u"image") {
                const QString source = block.value(u"source").toObject().value(u"type").toString();
                if (source != u"base64" && source != u"url")
                    return anthropicError(at + QStringLiteral(": image source type"));
                sawOther = true;
            } else {
                return anthropicError(at + QStringLiteral(": unknown block type ") + type);
            }
        }
        if (role == u"user" && !previousToolUses.isEmpty())
            return anthropicError(at + QStringLiteral(": tool_use ids without tool_result"));
        if (role == u"assistant" && thinkingOn && !toolUses.isEmpty() && i == messages.size() - 2
            && blocks.at(0).toObject().value(u"type").toString() != u"thinking")
            return anthropicError(at
                                  + QStringLiteral(": Expected `thinking` or `redacted_thinking`, "
                                                   "but found `tool_use`"));
        previousToolUses = toolUses;
    }
    Turn turn;
    for (const QJsonValue &v : messages.last().toObject().value(u"content").toArray()) {
        const QJsonObject block = v.toObject();
        const QString type = block.value(u"type").toString();
        if (type == u"text") {
            turn.text = block.value(u"text").toString();
            turn.allText += turn.text + u'\n';
        } else if (type == u"image") {
            const QJsonObject source = block.value(u"source").toObject();
            turn.images.append(source.value(u"type").toString() == u"url"
                                   ? source.value(u"url").toString()
                                   : source.value(u"media_type").toString());
        } else if (type == u"tool_result") {
            const QJsonValue content = block.value(u"content");
            QString text = content.isString() ? content.toString() : QString();
            for (const QJsonValue &part : content.toArray())
                text += part.toObject().value(u"text").toString();
            turn.toolResults.append(text);
        }
    }
    if (messages.last().toObject().value(u"content").isString())
        turn.text = messages.last().toObject().value(u"content").toString();
    turn.tool = body.value(u"tools").toArray().at(0).toObject().value(u"name").toString();
    const QString model = body.value(u"model").toString();
    turn.thinking = model.contains(u"think");
    const FakeReply r = FakeReply::to(turn);
    const QString stop = r.tool.isEmpty() ? QStringLiteral("end_turn") : QStringLiteral("tool_use");
    const QJsonObject usage { { QStringLiteral("input_tokens"), 8 },
                              { QStringLiteral("cache_read_input_tokens"), 3 },
                              { QStringLiteral("output_tokens"), 7 } };
    if (!body.value(u"stream").toBool()) {
        QJsonArray content;
        if (!r.reasoning.isEmpty())
            content.append(QJsonObject {
                { QStringLiteral("type"), QStringLiteral("thinking") },
                { QStringLiteral("thinking"), r.reasoning },
                { QStringLiteral("signature"), QLatin1String(kAnthropicSignature) } });
        if (!r.text.isEmpty())
            content.append(QJsonObject { { QStringLiteral("type"), QStringLiteral("text") },
                                         { QStringLiteral("text"), r.text } });
        if (!r.tool.isEmpty())
            content.append(QJsonObject { { QStringLiteral("type"), QStringLiteral("tool_use") },
                                         { QStringLiteral("id"), QStringLiteral("toolu_fake1") },
                                         { QStringLiteral("name"), r.tool },
                                         { QStringLiteral("input"), r.args } });
        return { 200,
                 FakeReply::json({ { QStringLiteral("id"), QStringLiteral("msg_fake") },
                                   { QStringLiteral("type"), QStringLiteral("message") },
                                   { QStringLiteral("role"), QStringLiteral("assistant") },
                                   { QStringLiteral("model"), model },
                                   { QStringLiteral("content"), content },
                                   { QStringLiteral("stop_reason"), stop },
                                   { QStringLiteral("stop_sequence"), QJsonValue() },
                                   { QStringLiteral("usage"), usage } }),
                 {} };
    }
    FakeAnswer a;
    auto event = [&a](const QJsonObject &data) { a.events.append(anthropicEvent(data)); };
    event({ { QStringLiteral("type"), QStringLiteral("message_start") },
            { QStringLiteral("message"),
              QJsonObject { { QStringLiteral("id"), QStringLiteral("msg_fake") },
                            { QStringLiteral("type"), QStringLiteral("message") },
                            { QStringLiteral("role"), QStringLiteral("assistant") },
                            { QStringLiteral("model"), model },
                            { QStringLiteral("content"), QJsonArray() },
                            { QStringLiteral("usage"),
                              QJsonObject { { QStringLiteral("input_tokens"), 8 },
                                            { QStringLiteral("cache_read_input_tokens"), 3 },
                                            { QStringLiteral("output_tokens"), 1 } } } } } });
    event({ { QStringLiteral("type"), QStringLiteral("ping") } });
    int index = 0;
    auto block = [&](const QJsonObject &start, const QList<QJsonObject> &deltas) {
        event({ { QStringLiteral("type"), QStringLiteral("content_block_start") },
                { QStringLiteral("index"), index },
                { QStringLiteral("content_block"), start } });
        for (const QJsonObject &d : deltas)
            event({ { QStringLiteral("type"), QStringLiteral("content_block_delta") },
                    { QStringLiteral("index"), index },
                    { QStringLiteral("delta"), d } });
        event({ { QStringLiteral("type"), QStringLiteral("content_block_stop") },
                { QStringLiteral("index"), index++ } });
    };
    auto pieces = [](const QString &text, const QString &type, const QString &field) {
        QList<QJsonObject> out;
        for (const QString &piece : FakeReply::split(text))
            out.append({ { QStringLiteral("type"), type }, { field, piece } });
        return out;
    };
    if (!r.reasoning.isEmpty())
        block({ { QStringLiteral("type"), QStringLiteral("thinking") },
                { QStringLiteral("thinking"), QString() } },
              pieces(r.reasoning, QStringLiteral("thinking_delta"), QStringLiteral("thinking"))
                  << QJsonObject {
                         { QStringLiteral("type"), QStringLiteral("signature_delta") },
                         { QStringLiteral("signature"), QLatin1String(kAnthropicSignature) } });
    if (!r.text.isEmpty())
        block({ { QStringLiteral("type"), QStringLiteral("text") },
                { QStringLiteral("text"), QString() } },
              pieces(r.text, QStringLiteral("text_delta"), QStringLiteral("text")));
    if (!r.tool.isEmpty())
        block({ { QStringLiteral("type"), QStringLiteral("tool_use") },
                { QStringLiteral("id"), QStringLiteral("toolu_fake1") },
                { QStringLiteral("name"), r.tool },
                { QStringLiteral("input"), QJsonObject() } },
              pieces(QString::fromUtf8(FakeReply::json(r.args)), QStringLiteral("input_json_delta"),
                     QStringLiteral("partial_json")));
    event({ { QStringLiteral("type"), QStringLiteral("message_delta") },
            { QStringLiteral("delta"),
              QJsonObject { { QStringLiteral("stop_reason"), stop },
                            { QStringLiteral("stop_sequence"), QJsonValue() } } },
            { QStringLiteral("usage"), QJsonObject { { QStringLiteral("output_tokens"), 7 } } } });
    event({ { QStringLiteral("type"), QStringLiteral("message_stop") } });
    return a;
}

} // namespace relay::test
