#include "OpenAiToGeminiRequest.h"

#include "DataUrl.h"
#include "GeminiSchema.h"
#include "OpenAiRequestReader.h"

#include <QHash>
#include <QJsonArray>
#include <QJsonDocument>

namespace relay {

namespace {

QString mimeFromUrl(const QString &url)
{
    const QString path = url.section(u'?', 0, 0).toLower();
    if (path.endsWith(u".png"))
        return QStringLiteral("image/png");
    if (path.endsWith(u".gif"))
        return QStringLiteral("image/gif");
    if (path.endsWith(u".webp"))
        return QStringLiteral("image/webp");
    if (path.endsWith(u".pdf"))
        return QStringLiteral("application/pdf");
    return QStringLiteral("image/jpeg");
}

int thinkingBudget(const QString &effort)
{
    if (effort == u"none")
        return 0;
    if (effort == u"minimal" || effort == u"low")
        return 1024;
    if (effort == u"medium")
        return 8192;
    if (effort == u"high")
        return 24576;
    return -1;
}

class Builder : public OpenAiRequestReader
{
public:
    using OpenAiRequestReader::OpenAiRequestReader;

    QJsonArray userParts(const QJsonValue &content, const QString &path)
    {
        QJsonArray parts;
        if (!content.isArray()) {
            if (!content.toString().isEmpty())
                parts.append(QJsonObject { { QStringLiteral("text"), content.toString() } });
            return parts;
        }
        const QJsonArray in = content.toArray();
        for (qsizetype i = 0; i < in.size(); ++i) {
            const QString partPath = path + QStringLiteral("[%1]").arg(i);
            const QJsonObject part = in.at(i).toObject();
            const QString type = part.value(u"type").toString();
            if (type == u"text") {
                if (!part.value(u"text").toString().isEmpty())
                    parts.append(QJsonObject { { QStringLiteral("text"), part.value(u"text") } });
            } else if (type == u"image_url") {
                const QString url = part.value(u"image_url").toObject().value(u"url").toString();
                DataUrl data;
                if (DataUrl::parse(url, &data)) {
                    parts.append(
                        QJsonObject { { QStringLiteral("inlineData"),
                                        QJsonObject { { QStringLiteral("mimeType"), data.mimeType },
                                                      { QStringLiteral("data"), data.data } } } });
                } else if (url.startsWith(u"http://") || url.startsWith(u"https://")) {
                    parts.append(QJsonObject {
                        { QStringLiteral("fileData"),
                          QJsonObject { { QStringLiteral("mimeType"), mimeFromUrl(url) },
                                        { QStringLiteral("fileUri"), url } } } });
                } else {
                    error(partPath + QStringLiteral(".image_url.url"),
                          QStringLiteral("use an http(s) URL or a data:<type>;base64, URL"));
                }
            } else {
                error(partPath + QStringLiteral(".type"),
                      QStringLiteral("\"%1\" parts cannot be sent to a Gemini upstream; send "
                                     "text or images")
                          .arg(type));
            }
        }
        return parts;
    }

    QJsonArray modelParts(const QJsonObject &message, const QString &path)
    {
        QJsonArray parts;
        QString signature = message.value(u"reasoning_signature").toString();
        const QString content = text(message.value(u"content"), path + QStringLiteral(".content"));
        if (!content.isEmpty()) {
            QJsonObject part { { QStringLiteral("text"), content } };
            if (!signature.isEmpty())
                part.insert(QStringLiteral("thoughtSignature"), signature);
            signature.clear();
            parts.append(part);
        }
        const QJsonArray calls = message.value(u"tool_calls").toArray();
        for (qsizetype i = 0; i < calls.size(); ++i) {
            const QString callPath = path + QStringLiteral(".tool_calls[%1]").arg(i);
            const QJsonObject call = calls.at(i).toObject();
            const QJsonObject function = call.value(u"function").toObject();
            const QString name = function.value(u"name").toString();
            const QString arguments = function.value(u"arguments").toString();
            QJsonObject args;
            if (!arguments.trimmed().isEmpty()) {
                const QJsonDocument doc = QJsonDocument::fromJson(arguments.toUtf8());
                if (!doc.isObject())
                    error(callPath + QStringLiteral(".function.arguments"),
                          QStringLiteral("must be a JSON object in a string"));
                args = doc.object();
            }
            const QString id = call.value(u"id").toString();
            m_callNames.insert(id, name);
            QJsonObject functionCall { { QStringLiteral("name"), name },
                                       { QStringLiteral("args"), args } };
            if (!id.isEmpty())
                functionCall.insert(QStringLiteral("id"), id);
            QJsonObject part { { QStringLiteral("functionCall"), functionCall } };
            QString callSignature = call.value(u"extra_content")
                                        .toObject()
                                        .value(u"google")
                                        .toObject()
                                        .value(u"thought_signature")
                                        .toString();
            if (callSignature.isEmpty() && i == 0)
                callSignature = signature.isEmpty()
                    ? QString::fromLatin1(OpenAiToGeminiRequest::kSkipSignature)
                    : signature;
            if (!callSignature.isEmpty())
                part.insert(QStringLiteral("thoughtSignature"), callSignature);
            parts.append(part);
        }
        return parts;
    }

    QJsonObject functionResponse(const QJsonObject &message, const QString &path)
    {
        const QString id = message.value(u"tool_call_id").toString();
        if (!m_callNames.contains(id))
            error(path + QStringLiteral(".tool_call_id"),
                  QStringLiteral("\"%1\" answers no earlier tool call; Gemini needs the "
                                 "function's name")
                      .arg(id));
        const QString text
            = this->text(message.value(u"content"), path + QStringLiteral(".content"));
        const QJsonDocument doc = QJsonDocument::fromJson(text.toUtf8());
        const QJsonObject response
            = doc.isObject() ? doc.object() : QJsonObject { { QStringLiteral("result"), text } };
        QJsonObject functionResponse { { QStringLiteral("name"), m_callNames.value(id) },
                                       { QStringLiteral("response"), response } };
        if (!id.isEmpty())
            functionResponse.insert(QStringLiteral("id"), id);
        return { { QStringLiteral("functionResponse"), functionResponse } };
    }

    static void append(QJsonArray &contents, const QString &role, const QJsonArray &parts)
    {
        appendTurn(contents, role, QStringLiteral("parts"), parts);
    }

private:
    QHash<QString, QString> m_callNames; // tool call id -> function name
};

bool holdsFunctionResponses(const QJsonObject &turn)
{
    for (const QJsonValue &part : turn.value(u"parts").toArray()) {
        if (part.toObject().contains(u"functionResponse"))
            return true;
    }
    return false;
}

} // namespace

TranslatedRequest OpenAiToGeminiRequest::translate(const QJsonObject &in)
{
    TranslatedRequest out;
    Builder b(out);
    QJsonObject body;
    QJsonArray system;
    QJsonArray contents;
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
            // Gemini has instructions only before the conversation: one given later (Claude
            // Code's mid-conversation reminders) stays where it was said, as a user turn,
            // unless that turn holds tool results, which Gemini refuses to mix with text.
            if (text.isEmpty())
                continue;
            if (contents.isEmpty() || holdsFunctionResponses(contents.last().toObject()))
                system.append(QJsonObject { { QStringLiteral("text"), text } });
            else
                Builder::append(contents, QStringLiteral("user"),
                                { QJsonObject { { QStringLiteral("text"), text } } });
        } else if (role == u"user") {
            Builder::append(
                contents, QStringLiteral("user"),
                b.userParts(message.value(u"content"), path + QStringLiteral(".content")));
        } else if (role == u"assistant") {
            Builder::append(contents, QStringLiteral("model"), b.modelParts(message, path));
        } else if (role == u"tool") {
            Builder::append(contents, QStringLiteral("user"),
                            { b.functionResponse(message, path) });
        } else {
            b.error(path + QStringLiteral(".role"),
                    QStringLiteral("must be system, developer, user, assistant or tool"));
        }
    }
    if (!system.isEmpty())
        body.insert(QStringLiteral("systemInstruction"),
                    QJsonObject { { QStringLiteral("parts"), system } });
    body.insert(QStringLiteral("contents"), contents);

    QJsonObject generation;
    const QJsonValue maxTokens = in.contains(u"max_completion_tokens")
        ? in.value(u"max_completion_tokens")
        : in.value(u"max_tokens");
    if (maxTokens.isDouble())
        generation.insert(QStringLiteral("maxOutputTokens"), maxTokens);
    const std::pair<const char16_t *, QString> sampling[] = {
        { u"temperature", QStringLiteral("temperature") },
        { u"top_p", QStringLiteral("topP") },
        { u"n", QStringLiteral("candidateCount") },
        { u"seed", QStringLiteral("seed") },
        { u"presence_penalty", QStringLiteral("presencePenalty") },
        { u"frequency_penalty", QStringLiteral("frequencyPenalty") },
    };
    for (const auto &[from, to] : sampling) {
        const QJsonValue v = in.value(QStringView(from));
        if (v.isDouble())
            generation.insert(to, v);
    }
    if (in.value(u"n").toInt(1) != 1)
        b.error(QStringLiteral("n"), QStringLiteral("the relay streams one choice; use n = 1"));
    const QJsonValue stop = in.value(u"stop");
    const QJsonArray stops = stop.isString() ? QJsonArray { stop } : stop.toArray();
    if (!stops.isEmpty())
        generation.insert(QStringLiteral("stopSequences"), stops);
    const QJsonObject format = in.value(u"response_format").toObject();
    const QString formatType = format.value(u"type").toString();
    if (formatType == u"json_object" || formatType == u"json_schema") {
        generation.insert(QStringLiteral("responseMimeType"), QStringLiteral("application/json"));
        const QJsonObject schema
            = format.value(u"json_schema").toObject().value(u"schema").toObject();
        if (!schema.isEmpty())
            generation.insert(QStringLiteral("responseSchema"), GeminiSchema::clean(schema));
    }
    int budget = thinkingBudget(in.value(u"reasoning_effort").toString());
    if (in.value(u"reasoning_budget").isDouble())
        budget = in.value(u"reasoning_budget").toInt();
    if (budget >= 0) {
        QJsonObject thinking { { QStringLiteral("thinkingBudget"), budget } };
        if (budget > 0)
            thinking.insert(QStringLiteral("includeThoughts"), true);
        generation.insert(QStringLiteral("thinkingConfig"), thinking);
    }
    if (!generation.isEmpty())
        body.insert(QStringLiteral("generationConfig"), generation);

    const QJsonArray tools = in.value(u"tools").toArray();
    QJsonArray declarations;
    for (qsizetype i = 0; i < tools.size(); ++i) {
        const QJsonObject function = tools.at(i).toObject().value(u"function").toObject();
        if (function.value(u"name").toString().isEmpty()) {
            b.error(QStringLiteral("tools[%1].function.name").arg(i), QStringLiteral("missing"));
            continue;
        }
        QJsonObject declaration { { QStringLiteral("name"), function.value(u"name") } };
        if (!function.value(u"description").toString().isEmpty())
            declaration.insert(QStringLiteral("description"), function.value(u"description"));
        const QJsonObject parameters
            = GeminiSchema::clean(function.value(u"parameters").toObject());
        // Gemini refuses an object schema without properties; a function without arguments
        // simply declares none.
        if (parameters.contains(u"properties"))
            declaration.insert(QStringLiteral("parameters"), parameters);
        declarations.append(declaration);
    }
    if (!declarations.isEmpty())
        body.insert(QStringLiteral("tools"),
                    QJsonArray {
                        QJsonObject { { QStringLiteral("functionDeclarations"), declarations } } });

    const QJsonValue choice = in.value(u"tool_choice");
    QJsonObject config;
    if (choice.isString()) {
        const QString mode = choice.toString();
        if (mode == u"auto" || mode == u"none")
            config.insert(QStringLiteral("mode"), mode.toUpper());
        else if (mode == u"required")
            config.insert(QStringLiteral("mode"), QStringLiteral("ANY"));
        else
            b.error(QStringLiteral("tool_choice"), QStringLiteral("use auto, none or required"));
    } else if (choice.isObject()) {
        config
            = { { QStringLiteral("mode"), QStringLiteral("ANY") },
                { QStringLiteral("allowedFunctionNames"),
                  QJsonArray { choice.toObject().value(u"function").toObject().value(u"name") } } };
    }
    if (!config.isEmpty() && !declarations.isEmpty())
        body.insert(QStringLiteral("toolConfig"),
                    QJsonObject { { QStringLiteral("functionCallingConfig"), config } });

    out.stream = in.value(u"stream").toBool();
    out.body = body;
    return out;
}

} // namespace relay
