#include "GeminiToOpenAiRequest.h"

#include "OpenAiRequestReader.h"

#include <QJsonArray>
#include <QJsonDocument>

namespace relay {

namespace {

constexpr int kMaxSchemaDepth = 64;
const QLatin1String kSealPrefix("llm-relay.thinking.");

QString compact(const QJsonObject &object)
{
    return QString::fromUtf8(QJsonDocument(object).toJson(QJsonDocument::Compact));
}

// Gemini's OpenAPI subset ("OBJECT", nullable, propertyOrdering) as JSON Schema; a JSON Schema
// (parametersJsonSchema) comes through unchanged. Deeper than any real schema is cut off.
QJsonValue jsonSchema(const QJsonValue &value, int depth)
{
    if (value.isArray()) {
        QJsonArray out;
        for (const QJsonValue &v : value.toArray())
            out.append(jsonSchema(v, depth + 1));
        return out;
    }
    if (!value.isObject() || depth > kMaxSchemaDepth)
        return value.isObject() ? QJsonValue(QJsonObject()) : value;
    const QJsonObject in = value.toObject();
    QJsonObject out;
    for (auto it = in.begin(); it != in.end(); ++it) {
        const QString &key = it.key();
        if (key == u"propertyOrdering" || key == u"nullable") {
            continue;
        } else if (key == u"type" && it.value().isString()) {
            const QString type = it.value().toString().toLower();
            if (type != u"type_unspecified")
                out.insert(key, type);
        } else if (key == u"properties" || key == u"$defs" || key == u"definitions") {
            QJsonObject named; // names, each with its schema
            const QJsonObject schemas = it.value().toObject();
            for (auto p = schemas.begin(); p != schemas.end(); ++p)
                named.insert(p.key(), jsonSchema(p.value(), depth + 1));
            out.insert(key, named);
        } else if (key == u"enum" || key == u"required" || key == u"const" || key == u"default"
                   || key == u"example" || key == u"examples") {
            out.insert(key, it.value()); // values, not schemas
        } else {
            out.insert(key, jsonSchema(it.value(), depth + 1));
        }
    }
    if (in.value(u"nullable").toBool() && out.value(u"type").isString())
        out.insert(QStringLiteral("type"),
                   QJsonArray { out.value(u"type"), QStringLiteral("null") });
    return out;
}

QString effortOf(const QJsonObject &thinking)
{
    const QString level = thinking.value(u"thinkingLevel").toString().toLower();
    if (level == u"minimal" || level == u"low")
        return QStringLiteral("low");
    if (level == u"medium" || level == u"high")
        return level;
    if (!thinking.value(u"thinkingBudget").isDouble())
        return {};
    const int budget = thinking.value(u"thinkingBudget").toInt();
    if (budget == 0)
        return {};
    if (budget < 0) // Google's "dynamic": the model decides
        return QStringLiteral("medium");
    return budget <= 2048 ? QStringLiteral("low")
        : budget <= 8192  ? QStringLiteral("medium")
                          : QStringLiteral("high");
}

class Translation
{
public:
    Translation(TranslatedRequest &out, bool keepSignatures)
        : m_reader(out)
        , m_keepSignatures(keepSignatures)
    { }

    void systemInstruction(const QJsonValue &instruction)
    {
        QStringList texts;
        if (instruction.isString())
            texts.append(instruction.toString());
        const QJsonArray parts = instruction.toObject().value(u"parts").toArray();
        for (qsizetype i = 0; i < parts.size(); ++i) {
            const QJsonValue text = parts.at(i).toObject().value(u"text");
            if (text.isString())
                texts.append(text.toString());
            else
                m_reader.error(QStringLiteral("systemInstruction.parts[%1]").arg(i),
                               QStringLiteral("only text parts are allowed here"));
        }
        texts.removeAll(QString());
        if (!texts.isEmpty())
            m_messages.append(
                QJsonObject { { QStringLiteral("role"), QStringLiteral("system") },
                              { QStringLiteral("content"), texts.join(QStringLiteral("\n\n")) } });
    }

    void content(const QJsonObject &content, const QString &path)
    {
        const QString role = content.value(u"role").toString();
        if (!content.value(u"parts").isArray()) {
            m_reader.error(path + QStringLiteral(".parts"),
                           QStringLiteral("must be an array of parts"));
            return;
        }
        const QJsonArray parts = content.value(u"parts").toArray();
        if (role.isEmpty() || role == u"user" || role == u"function")
            userTurn(parts, path + QStringLiteral(".parts"));
        else if (role == u"model")
            modelTurn(parts, path + QStringLiteral(".parts"));
        else // in the words Google itself answers with
            m_reader.error(path + QStringLiteral(".role"),
                           QStringLiteral("Please use a valid role: user, model."));
    }

    QJsonArray messages() const { return m_messages; }

    void tools(const QJsonArray &tools, QJsonObject &body)
    {
        QJsonArray functions;
        for (qsizetype i = 0; i < tools.size(); ++i) {
            const QJsonObject tool = tools.at(i).toObject();
            for (auto it = tool.begin(); it != tool.end(); ++it) {
                const QString path = QStringLiteral("tools[%1].%2").arg(i).arg(it.key());
                if (it.key() != u"functionDeclarations") {
                    m_reader.error(path,
                                   QStringLiteral("a tool Google runs on its own servers; this "
                                                  "upstream cannot run it (route the model to a "
                                                  "Gemini upstream, or leave the tool out)"));
                    continue;
                }
                const QJsonArray declarations = it.value().toArray();
                for (qsizetype j = 0; j < declarations.size(); ++j)
                    functions.append(function(declarations.at(j).toObject(),
                                              path + QStringLiteral("[%1]").arg(j)));
            }
        }
        if (!functions.isEmpty())
            body.insert(QStringLiteral("tools"), functions);
    }

    void toolConfig(const QJsonObject &config, QJsonObject &body)
    {
        const QJsonObject calling = config.value(u"functionCallingConfig").toObject();
        if (calling.isEmpty())
            return;
        const QString mode = calling.value(u"mode").toString().toUpper();
        const QJsonArray allowed = calling.value(u"allowedFunctionNames").toArray();
        if (mode.isEmpty() || mode == u"AUTO" || mode == u"VALIDATED"
            || mode == u"MODE_UNSPECIFIED") {
            body.insert(QStringLiteral("tool_choice"), QStringLiteral("auto"));
        } else if (mode == u"NONE") {
            body.insert(QStringLiteral("tool_choice"), QStringLiteral("none"));
        } else if (mode == u"ANY" && allowed.size() == 1) {
            body.insert(QStringLiteral("tool_choice"),
                        QJsonObject { { QStringLiteral("type"), QStringLiteral("function") },
                                      { QStringLiteral("function"),
                                        QJsonObject { { QStringLiteral("name"),
                                                        allowed.at(0).toString() } } } });
        } else if (mode == u"ANY") {
            body.insert(QStringLiteral("tool_choice"), QStringLiteral("required"));
        } else {
            m_reader.error(QStringLiteral("toolConfig.functionCallingConfig.mode"),
                           QStringLiteral("use AUTO, ANY, NONE or VALIDATED"));
        }
    }

    void generationConfig(const QJsonObject &config, QJsonObject &body)
    {
        static const QList<QPair<QLatin1String, QLatin1String>> kSame {
            { QLatin1String("temperature"), QLatin1String("temperature") },
            { QLatin1String("topP"), QLatin1String("top_p") },
            { QLatin1String("maxOutputTokens"), QLatin1String("max_tokens") },
            { QLatin1String("seed"), QLatin1String("seed") },
            { QLatin1String("presencePenalty"), QLatin1String("presence_penalty") },
            { QLatin1String("frequencyPenalty"), QLatin1String("frequency_penalty") },
        };
        for (const auto &[gemini, openAi] : kSame) {
            if (config.value(gemini).isDouble())
                body.insert(openAi, config.value(gemini));
        }
        const QJsonArray stops = config.value(u"stopSequences").toArray();
        if (!stops.isEmpty())
            body.insert(QStringLiteral("stop"), stops);
        if (config.value(u"candidateCount").toInt(1) != 1)
            m_reader.error(QStringLiteral("generationConfig.candidateCount"),
                           QStringLiteral("only 1 candidate can be asked of this upstream"));
        if (config.value(u"responseMimeType").toString() == u"application/json") {
            QJsonValue schema = config.value(u"responseJsonSchema");
            if (!schema.isObject())
                schema = jsonSchema(config.value(u"responseSchema"), 0);
            if (schema.isObject())
                body.insert(
                    QStringLiteral("response_format"),
                    QJsonObject {
                        { QStringLiteral("type"), QStringLiteral("json_schema") },
                        { QStringLiteral("json_schema"),
                          QJsonObject { { QStringLiteral("name"), QStringLiteral("response") },
                                        { QStringLiteral("schema"), schema } } } });
            else
                body.insert(
                    QStringLiteral("response_format"),
                    QJsonObject { { QStringLiteral("type"), QStringLiteral("json_object") } });
        }
        // Like thinking from Anthropic clients: an OpenAI-type model may refuse the field.
        const QString effort = effortOf(config.value(u"thinkingConfig").toObject());
        if (m_keepSignatures && !effort.isEmpty())
            body.insert(QStringLiteral("reasoning_effort"), effort);
    }

private:
    struct OpenCall
    {
        QString id;
        QString name;
    };

    QJsonObject function(const QJsonObject &declaration, const QString &path)
    {
        const QString name = declaration.value(u"name").toString();
        if (name.isEmpty())
            m_reader.error(path + QStringLiteral(".name"), QStringLiteral("missing"));
        QJsonValue parameters = declaration.value(u"parametersJsonSchema");
        if (!parameters.isObject())
            parameters = jsonSchema(declaration.value(u"parameters"), 0);
        if (!parameters.isObject())
            parameters = QJsonObject { { QStringLiteral("type"), QStringLiteral("object") },
                                       { QStringLiteral("properties"), QJsonObject() } };
        QJsonObject function { { QStringLiteral("name"), name },
                               { QStringLiteral("parameters"), parameters } };
        const QString description = declaration.value(u"description").toString();
        if (!description.isEmpty())
            function.insert(QStringLiteral("description"), description);
        return { { QStringLiteral("type"), QStringLiteral("function") },
                 { QStringLiteral("function"), function } };
    }

    void userTurn(const QJsonArray &parts, const QString &path)
    {
        QJsonArray content;
        for (qsizetype i = 0; i < parts.size(); ++i) {
            const QString partPath = path + QStringLiteral("[%1]").arg(i);
            const QJsonObject part = parts.at(i).toObject();
            if (part.contains(u"text")) {
                if (!part.value(u"thought").toBool() && !part.value(u"text").toString().isEmpty())
                    content.append(QJsonObject { { QStringLiteral("type"), QStringLiteral("text") },
                                                 { QStringLiteral("text"), part.value(u"text") } });
            } else if (part.contains(u"inlineData") || part.contains(u"fileData")) {
                image(part, partPath, content);
            } else if (part.contains(u"functionResponse")) {
                // Tool messages go right after the call; the turn's own text follows them.
                toolMessage(part.value(u"functionResponse").toObject(),
                            partPath + QStringLiteral(".functionResponse"));
            } else {
                m_reader.error(partPath,
                               QStringLiteral("%1 parts cannot be sent to this upstream; send "
                                              "text, images and function responses")
                                   .arg(part.keys().value(0, QStringLiteral("empty"))));
            }
        }
        if (content.isEmpty())
            return;
        const QJsonValue value = content.size() == 1 ? content.at(0).toObject().value(u"text")
                                                     : QJsonValue(QJsonValue::Undefined);
        m_messages.append(QJsonObject {
            { QStringLiteral("role"), QStringLiteral("user") },
            { QStringLiteral("content"), value.isString() ? value : QJsonValue(content) } });
    }

    void image(const QJsonObject &part, const QString &path, QJsonArray &content)
    {
        const bool inline_ = part.contains(u"inlineData");
        const QJsonObject data = part.value(inline_ ? u"inlineData" : u"fileData").toObject();
        const QString mime = data.value(u"mimeType").toString();
        const QString uri = data.value(u"fileUri").toString();
        if (!mime.startsWith(u"image/") && (inline_ || !mime.isEmpty())) {
            m_reader.error(
                path + (inline_ ? QStringLiteral(".inlineData") : QStringLiteral(".fileData"))
                    + QStringLiteral(".mimeType"),
                QStringLiteral("\"%1\" cannot be sent to this upstream; send images, "
                               "or route the model to a Gemini upstream")
                    .arg(mime));
            return;
        }
        const QString url = inline_
            ? QStringLiteral("data:%1;base64,%2").arg(mime, data.value(u"data").toString())
            : uri;
        content.append(QJsonObject {
            { QStringLiteral("type"), QStringLiteral("image_url") },
            { QStringLiteral("image_url"), QJsonObject { { QStringLiteral("url"), url } } } });
    }

    void toolMessage(const QJsonObject &response, const QString &path)
    {
        const QString id = response.value(u"id").toString();
        const QString name = response.value(u"name").toString();
        qsizetype match = -1;
        for (qsizetype i = 0; i < m_openCalls.size() && match < 0; ++i) {
            if (!id.isEmpty() ? m_openCalls.at(i).id == id : m_openCalls.at(i).name == name)
                match = i;
        }
        if (match < 0) {
            m_reader.error(
                path,
                QStringLiteral("answers no earlier functionCall (name \"%1\"%2)")
                    .arg(name, id.isEmpty() ? QString() : QStringLiteral(", id \"") + id + u'"'));
            return;
        }
        const QString callId = m_openCalls.takeAt(match).id;
        m_messages.append(QJsonObject {
            { QStringLiteral("role"), QStringLiteral("tool") },
            { QStringLiteral("tool_call_id"), callId },
            { QStringLiteral("content"), compact(response.value(u"response").toObject()) } });
    }

    void modelTurn(const QJsonArray &parts, const QString &path)
    {
        QStringList texts;
        QStringList thoughts;
        QString sealedThinking;
        QString signature;
        QJsonArray calls;
        for (qsizetype i = 0; i < parts.size(); ++i) {
            const QString partPath = path + QStringLiteral("[%1]").arg(i);
            const QJsonObject part = parts.at(i).toObject();
            QString thinking;
            QString sealed;
            if (m_keepSignatures
                && GeminiToOpenAiRequest::openThinking(part.value(u"thoughtSignature").toString(),
                                                       &thinking, &sealed)) {
                sealedThinking = thinking;
                signature = sealed;
            }
            if (part.contains(u"text")) {
                (part.value(u"thought").toBool() ? thoughts : texts)
                    .append(part.value(u"text").toString());
            } else if (part.contains(u"functionCall")) {
                const QJsonObject call = part.value(u"functionCall").toObject();
                QString id = call.value(u"id").toString();
                if (id.isEmpty())
                    id = QStringLiteral("call_%1").arg(++m_callCount);
                const QString name = call.value(u"name").toString();
                m_openCalls.append({ id, name });
                calls.append(QJsonObject {
                    { QStringLiteral("id"), id },
                    { QStringLiteral("type"), QStringLiteral("function") },
                    { QStringLiteral("function"),
                      QJsonObject { { QStringLiteral("name"), name },
                                    { QStringLiteral("arguments"),
                                      compact(call.value(u"args").toObject()) } } } });
            } else if (!part.contains(u"thoughtSignature") || part.size() > 1) {
                m_reader.error(partPath,
                               QStringLiteral("%1 parts cannot be sent to this upstream; a model "
                                              "turn may hold text and function calls")
                                   .arg(part.keys().value(0, QStringLiteral("empty"))));
            }
        }
        texts.removeAll(QString());
        const QString reasoning = signature.isEmpty() ? thoughts.join(QString()) : sealedThinking;
        if (texts.isEmpty() && calls.isEmpty() && reasoning.isEmpty())
            return;
        QJsonObject message { { QStringLiteral("role"), QStringLiteral("assistant") },
                              { QStringLiteral("content"),
                                texts.isEmpty() ? QJsonValue(QJsonValue::Null)
                                                : QJsonValue(texts.join(QString())) } };
        if (!reasoning.isEmpty())
            message.insert(QStringLiteral("reasoning_content"), reasoning);
        if (!signature.isEmpty())
            message.insert(QStringLiteral("reasoning_signature"), signature);
        if (!calls.isEmpty())
            message.insert(QStringLiteral("tool_calls"), calls);
        m_messages.append(message);
    }

    OpenAiRequestReader m_reader;
    bool m_keepSignatures;
    QJsonArray m_messages;
    QList<OpenCall> m_openCalls; // called, not yet answered, in call order
    int m_callCount = 0;
};

} // namespace

TranslatedRequest GeminiToOpenAiRequest::translate(const QJsonObject &in, bool stream,
                                                   bool keepSignatures)
{
    TranslatedRequest out;
    Translation t(out, keepSignatures);
    OpenAiRequestReader reader(out);
    if (in.contains(u"cachedContent"))
        reader.error(QStringLiteral("cachedContent"),
                     QStringLiteral("cached content lives at Google; send the contents "
                                    "themselves, or route the model to a Gemini upstream"));
    const QJsonValue system = in.value(u"systemInstruction");
    if (!system.isUndefined() && !system.isNull())
        t.systemInstruction(system);
    const QJsonArray contents = in.value(u"contents").toArray();
    if (contents.isEmpty())
        reader.error(QStringLiteral("contents"),
                     QStringLiteral("must be a non-empty array of contents"));
    for (qsizetype i = 0; i < contents.size(); ++i)
        t.content(contents.at(i).toObject(), QStringLiteral("contents[%1]").arg(i));

    QJsonObject body;
    body.insert(QStringLiteral("messages"), t.messages());
    t.tools(in.value(u"tools").toArray(), body);
    t.toolConfig(in.value(u"toolConfig").toObject(), body);
    t.generationConfig(in.value(u"generationConfig").toObject(), body);
    out.stream = stream;
    if (stream) {
        body.insert(QStringLiteral("stream"), true);
        // The last Gemini event carries usageMetadata: ask for the usage chunk.
        body.insert(QStringLiteral("stream_options"),
                    QJsonObject { { QStringLiteral("include_usage"), true } });
    }
    out.body = body;
    return out;
}

QString GeminiToOpenAiRequest::sealThinking(const QString &thinking, const QString &signature)
{
    const QByteArray json
        = QJsonDocument(QJsonObject { { QStringLiteral("thinking"), thinking },
                                      { QStringLiteral("signature"), signature } })
              .toJson(QJsonDocument::Compact);
    return kSealPrefix
        + QString::fromLatin1(
               json.toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals));
}

bool GeminiToOpenAiRequest::openThinking(const QString &sealed, QString *thinking,
                                         QString *signature)
{
    if (!sealed.startsWith(kSealPrefix))
        return false;
    const auto decoded = QByteArray::fromBase64Encoding(
        sealed.mid(kSealPrefix.size()).toLatin1(),
        QByteArray::Base64UrlEncoding | QByteArray::AbortOnBase64DecodingErrors);
    if (!decoded)
        return false;
    const QJsonObject object = QJsonDocument::fromJson(*decoded).object();
    *thinking = object.value(u"thinking").toString();
    *signature = object.value(u"signature").toString();
    return !signature->isEmpty();
}

} // namespace relay
