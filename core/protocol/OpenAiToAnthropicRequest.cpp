#include "OpenAiToAnthropicRequest.h"

#include "DataUrl.h"
#include "OpenAiRequestReader.h"

#include <QJsonArray>
#include <QJsonDocument>

namespace relay {

namespace {

QJsonObject textBlock(const QString &text)
{
    return { { QStringLiteral("type"), QStringLiteral("text") }, { QStringLiteral("text"), text } };
}

int thinkingBudget(const QString &effort)
{
    if (effort == u"minimal" || effort == u"low")
        return 1024;
    if (effort == u"medium")
        return 4096;
    if (effort == u"high")
        return 16384;
    return 0;
}

// Whether the last assistant turn calls tools without the signed thinking that Anthropic
// requires to open it when thinking is on (clients that drop reasoning_signature send these).
bool unsignedToolTurn(const QJsonArray &messages)
{
    for (qsizetype i = messages.size() - 1; i >= 0; --i) {
        const QJsonObject message = messages.at(i).toObject();
        if (message.value(u"role").toString() != u"assistant")
            continue;
        const QJsonArray blocks = message.value(u"content").toArray();
        bool calls = false;
        for (const QJsonValue &block : blocks)
            calls = calls || block.toObject().value(u"type").toString() == u"tool_use";
        return calls && blocks.at(0).toObject().value(u"type").toString() != u"thinking";
    }
    return false;
}

class Builder : public OpenAiRequestReader
{
public:
    using OpenAiRequestReader::OpenAiRequestReader;

    QJsonObject image(const QJsonObject &part, const QString &path)
    {
        const QString url = part.value(u"image_url").toObject().value(u"url").toString();
        DataUrl data;
        QJsonObject source;
        if (DataUrl::parse(url, &data)) {
            source = { { QStringLiteral("type"), QStringLiteral("base64") },
                       { QStringLiteral("media_type"), data.mimeType },
                       { QStringLiteral("data"), data.data } };
        } else if (url.startsWith(u"http://") || url.startsWith(u"https://")) {
            source = { { QStringLiteral("type"), QStringLiteral("url") },
                       { QStringLiteral("url"), url } };
        } else {
            error(path + QStringLiteral(".image_url.url"),
                  QStringLiteral("use an http(s) URL or a data:<type>;base64, URL"));
        }
        return { { QStringLiteral("type"), QStringLiteral("image") },
                 { QStringLiteral("source"), source } };
    }

    QJsonArray userBlocks(const QJsonValue &content, const QString &path)
    {
        QJsonArray blocks;
        if (!content.isArray()) {
            if (!content.toString().isEmpty())
                blocks.append(textBlock(content.toString()));
            return blocks;
        }
        const QJsonArray parts = content.toArray();
        for (qsizetype i = 0; i < parts.size(); ++i) {
            const QString partPath = path + QStringLiteral("[%1]").arg(i);
            const QJsonObject part = parts.at(i).toObject();
            const QString type = part.value(u"type").toString();
            if (type == u"text") {
                if (!part.value(u"text").toString().isEmpty())
                    blocks.append(textBlock(part.value(u"text").toString()));
            } else if (type == u"image_url") {
                blocks.append(image(part, partPath));
            } else {
                error(partPath + QStringLiteral(".type"),
                      QStringLiteral("\"%1\" parts cannot be sent to an Anthropic upstream; "
                                     "send text or images")
                          .arg(type));
            }
        }
        return blocks;
    }

    QJsonArray assistantBlocks(const QJsonObject &message, const QString &path)
    {
        QJsonArray blocks;
        QString reasoning = message.value(u"reasoning_content").toString();
        if (reasoning.isEmpty())
            reasoning = message.value(u"reasoning").toString();
        const QString signature = message.value(u"reasoning_signature").toString();
        if (!signature.isEmpty())
            blocks.append(QJsonObject { { QStringLiteral("type"), QStringLiteral("thinking") },
                                        { QStringLiteral("thinking"), reasoning },
                                        { QStringLiteral("signature"), signature } });
        const QString content = text(message.value(u"content"), path + QStringLiteral(".content"));
        if (!content.isEmpty())
            blocks.append(textBlock(content));
        const QJsonArray calls = message.value(u"tool_calls").toArray();
        for (qsizetype i = 0; i < calls.size(); ++i) {
            const QString callPath = path + QStringLiteral(".tool_calls[%1]").arg(i);
            const QJsonObject call = calls.at(i).toObject();
            const QJsonObject function = call.value(u"function").toObject();
            const QString arguments = function.value(u"arguments").toString();
            QJsonObject input;
            if (!arguments.trimmed().isEmpty()) {
                const QJsonDocument doc = QJsonDocument::fromJson(arguments.toUtf8());
                if (!doc.isObject())
                    error(callPath + QStringLiteral(".function.arguments"),
                          QStringLiteral("must be a JSON object in a string"));
                input = doc.object();
            }
            if (call.value(u"id").toString().isEmpty())
                error(callPath + QStringLiteral(".id"), QStringLiteral("missing"));
            blocks.append(
                QJsonObject { { QStringLiteral("type"), QStringLiteral("tool_use") },
                              { QStringLiteral("id"), call.value(u"id") },
                              { QStringLiteral("name"), function.value(u"name").toString() },
                              { QStringLiteral("input"), input } });
        }
        return blocks;
    }

    void append(QJsonArray &messages, const QString &role, const QJsonArray &blocks)
    {
        appendTurn(messages, role, QStringLiteral("content"), blocks);
    }
};

} // namespace

TranslatedRequest OpenAiToAnthropicRequest::translate(const QJsonObject &in)
{
    TranslatedRequest out;
    Builder b(out);
    QJsonObject body;
    body.insert(QStringLiteral("model"), in.value(u"model").toString());

    QJsonArray system;
    QJsonArray messages;
    const QJsonArray list = in.value(u"messages").toArray();
    if (list.isEmpty())
        b.error(QStringLiteral("messages"), QStringLiteral("must be a non-empty array"));
    for (qsizetype i = 0; i < list.size(); ++i) {
        const QString path = QStringLiteral("messages[%1]").arg(i);
        const QJsonObject message = list.at(i).toObject();
        const QString role = message.value(u"role").toString();
        if (role == u"system" || role == u"developer") {
            const QString text
                = b.text(message.value(u"content"), path + QStringLiteral(".content"));
            if (!text.isEmpty())
                system.append(textBlock(text));
        } else if (role == u"user") {
            b.append(messages, role,
                     b.userBlocks(message.value(u"content"), path + QStringLiteral(".content")));
        } else if (role == u"assistant") {
            b.append(messages, role, b.assistantBlocks(message, path));
        } else if (role == u"tool") {
            const QString id = message.value(u"tool_call_id").toString();
            if (id.isEmpty())
                b.error(path + QStringLiteral(".tool_call_id"), QStringLiteral("missing"));
            const QString text
                = b.text(message.value(u"content"), path + QStringLiteral(".content"));
            b.append(messages, QStringLiteral("user"),
                     { QJsonObject { { QStringLiteral("type"), QStringLiteral("tool_result") },
                                     { QStringLiteral("tool_use_id"), id },
                                     { QStringLiteral("content"), text } } });
        } else {
            b.error(path + QStringLiteral(".role"),
                    QStringLiteral("must be system, developer, user, assistant or tool"));
        }
    }
    if (!system.isEmpty())
        body.insert(QStringLiteral("system"), system);
    body.insert(QStringLiteral("messages"), messages);

    int maxTokens = in.value(u"max_completion_tokens").toInt(in.value(u"max_tokens").toInt());
    int budget = thinkingBudget(in.value(u"reasoning_effort").toString());
    if (budget > 0 && unsignedToolTurn(messages))
        budget = 0; // Anthropic would refuse the request: thinking must open such a turn
    if (budget > 0) {
        if (maxTokens == 0)
            maxTokens = budget + kDefaultMaxTokens;
        if (maxTokens <= budget)
            b.error(QStringLiteral("max_tokens"),
                    QStringLiteral("must be above %1, the thinking budget of reasoning_effort "
                                   "\"%2\"")
                        .arg(budget)
                        .arg(in.value(u"reasoning_effort").toString()));
        body.insert(QStringLiteral("thinking"),
                    QJsonObject { { QStringLiteral("type"), QStringLiteral("enabled") },
                                  { QStringLiteral("budget_tokens"), budget } });
    } else {
        const QJsonValue temperature = in.value(u"temperature");
        if (temperature.isDouble())
            body.insert(QStringLiteral("temperature"), std::min(1.0, temperature.toDouble()));
        if (in.value(u"top_p").isDouble())
            body.insert(QStringLiteral("top_p"), in.value(u"top_p"));
    }
    body.insert(QStringLiteral("max_tokens"), maxTokens > 0 ? maxTokens : kDefaultMaxTokens);

    const QJsonValue stop = in.value(u"stop");
    QJsonArray stops = stop.isString() ? QJsonArray { stop } : stop.toArray();
    if (!stops.isEmpty())
        body.insert(QStringLiteral("stop_sequences"), stops);
    if (!in.value(u"user").toString().isEmpty())
        body.insert(QStringLiteral("metadata"),
                    QJsonObject { { QStringLiteral("user_id"), in.value(u"user") } });
    if (in.value(u"n").toInt(1) != 1)
        b.error(QStringLiteral("n"), QStringLiteral("an Anthropic upstream answers one choice"));
    const QString format = in.value(u"response_format").toObject().value(u"type").toString();
    if (!format.isEmpty() && format != u"text")
        b.error(QStringLiteral("response_format"),
                QStringLiteral("\"%1\" cannot be enforced by an Anthropic upstream; ask for JSON "
                               "in the prompt instead")
                    .arg(format));

    const QJsonArray tools = in.value(u"tools").toArray();
    QJsonArray anthropicTools;
    for (qsizetype i = 0; i < tools.size(); ++i) {
        const QJsonObject tool = tools.at(i).toObject();
        const QJsonObject function = tool.value(u"function").toObject();
        if (tool.value(u"type").toString() != u"function"
            || function.value(u"name").toString().isEmpty()) {
            b.error(QStringLiteral("tools[%1]").arg(i),
                    QStringLiteral("must be {\"type\":\"function\",\"function\":{\"name\":...}}"));
            continue;
        }
        QJsonObject schema = function.value(u"parameters").toObject();
        if (schema.isEmpty())
            schema = { { QStringLiteral("type"), QStringLiteral("object") },
                       { QStringLiteral("properties"), QJsonObject() } };
        QJsonObject entry { { QStringLiteral("name"), function.value(u"name") },
                            { QStringLiteral("input_schema"), schema } };
        if (!function.value(u"description").toString().isEmpty())
            entry.insert(QStringLiteral("description"), function.value(u"description"));
        anthropicTools.append(entry);
    }
    if (!anthropicTools.isEmpty())
        body.insert(QStringLiteral("tools"), anthropicTools);

    QJsonObject choice;
    const QJsonValue toolChoice = in.value(u"tool_choice");
    if (toolChoice.isString()) {
        const QString mode = toolChoice.toString();
        if (mode == u"required")
            choice.insert(QStringLiteral("type"), QStringLiteral("any"));
        else if (mode == u"auto" || mode == u"none")
            choice.insert(QStringLiteral("type"), mode);
        else
            b.error(QStringLiteral("tool_choice"), QStringLiteral("use auto, none or required"));
    } else if (toolChoice.isObject()) {
        choice = { { QStringLiteral("type"), QStringLiteral("tool") },
                   { QStringLiteral("name"),
                     toolChoice.toObject().value(u"function").toObject().value(u"name") } };
    }
    if (in.value(u"parallel_tool_calls") == QJsonValue(false) && !anthropicTools.isEmpty()) {
        if (choice.isEmpty())
            choice.insert(QStringLiteral("type"), QStringLiteral("auto"));
        choice.insert(QStringLiteral("disable_parallel_tool_use"), true);
    }
    if (!choice.isEmpty() && !anthropicTools.isEmpty())
        body.insert(QStringLiteral("tool_choice"), choice);

    out.stream = in.value(u"stream").toBool();
    if (out.stream)
        body.insert(QStringLiteral("stream"), true);
    out.body = body;
    return out;
}

} // namespace relay
