#include "ResponsesToChatRequest.h"

#include "OpenAiRequestReader.h"

#include <QJsonArray>
#include <QJsonObject>

namespace relay {

namespace {
QString indexed(const QString &path, qsizetype i)
{
    return path + u'[' + QString::number(i) + u']';
}

// Tools OpenAI runs on its own servers. A model without web search still answers, so those are
// left out; the others are what the request is for, and the translation refuses them.
bool isOptionalHostedTool(const QString &type)
{
    return type.startsWith(u"web_search");
}

class Translator
{
public:
    Translator(TranslatedRequest &out, bool keepSignatures)
        : m_out(out)
        , m_reader(out)
        , m_keepSignatures(keepSignatures)
    { }

    void translate(const QJsonObject &in)
    {
        QJsonObject &body = m_out.body;
        for (const char *stored : { "previous_response_id", "conversation", "prompt" }) {
            const QJsonValue value = in.value(QLatin1String(stored));
            if (!value.isUndefined() && !value.isNull())
                m_reader.error(
                    QLatin1String(stored),
                    QStringLiteral("refers to state kept at OpenAI, which this upstream does not "
                                   "have (it does not serve the Responses API); send the whole "
                                   "conversation in \"input\", or route the model to an upstream "
                                   "marked \"responsesApi\": true"));
        }
        if (in.value(u"background").toBool())
            m_reader.error(QStringLiteral("background"),
                           QStringLiteral("background responses need an upstream that serves the "
                                          "Responses API (\"responsesApi\": true)"));
        body.insert(QStringLiteral("model"), in.value(u"model"));

        const QJsonValue instructions = in.value(u"instructions");
        if (instructions.isString() && !instructions.toString().isEmpty())
            m_messages.append(message(QStringLiteral("system"), instructions.toString()));
        else if (!instructions.isUndefined() && !instructions.isNull() && !instructions.isString())
            m_reader.error(QStringLiteral("instructions"), QStringLiteral("must be a string"));

        const QJsonValue input = in.value(u"input");
        if (input.isUndefined() && !m_out.ok()) {
            // The conversation was to come from the stored state already refused.
        } else if (input.isString()) {
            m_messages.append(message(QStringLiteral("user"), input.toString()));
        } else if (input.isArray()) {
            const QJsonArray items = input.toArray();
            for (qsizetype i = 0; i < items.size(); ++i)
                item(items.at(i).toObject(), indexed(QStringLiteral("input"), i));
            flushAssistant();
        } else {
            m_reader.error(QStringLiteral("input"),
                           QStringLiteral("must be a string or an array of input items"));
        }
        body.insert(QStringLiteral("messages"), m_messages);

        tools(in.value(u"tools").toArray());
        if (in.contains(u"tool_choice"))
            toolChoice(in.value(u"tool_choice"));
        for (const char *same : { "temperature", "top_p", "parallel_tool_calls", "user" }) {
            const QJsonValue value = in.value(QLatin1String(same));
            if (!value.isUndefined() && !value.isNull())
                body.insert(QLatin1String(same), value);
        }
        if (in.value(u"max_output_tokens").isDouble())
            body.insert(QStringLiteral("max_tokens"), in.value(u"max_output_tokens"));
        const QJsonValue effort = in.value(u"reasoning").toObject().value(u"effort");
        if (effort.isString())
            body.insert(QStringLiteral("reasoning_effort"), effort);
        const QJsonObject format = in.value(u"text").toObject().value(u"format").toObject();
        const QString formatType = format.value(u"type").toString();
        if (formatType == u"json_schema") {
            QJsonObject schema { { QStringLiteral("name"), format.value(u"name") },
                                 { QStringLiteral("schema"), format.value(u"schema") } };
            if (format.contains(u"strict"))
                schema.insert(QStringLiteral("strict"), format.value(u"strict"));
            body.insert(QStringLiteral("response_format"),
                        QJsonObject { { QStringLiteral("type"), formatType },
                                      { QStringLiteral("json_schema"), schema } });
        } else if (formatType == u"json_object") {
            body.insert(QStringLiteral("response_format"),
                        QJsonObject { { QStringLiteral("type"), formatType } });
        }
        m_out.stream = in.value(u"stream").toBool();
        if (m_out.stream) {
            body.insert(QStringLiteral("stream"), true);
            body.insert(QStringLiteral("stream_options"),
                        QJsonObject { { QStringLiteral("include_usage"), true } });
        }
    }

private:
    static QJsonObject message(const QString &role, const QJsonValue &content)
    {
        return { { QStringLiteral("role"), role }, { QStringLiteral("content"), content } };
    }

    // Input content parts as chat content: one string while they are all text.
    QJsonValue content(const QJsonValue &value, const QString &path, bool imagesAllowed)
    {
        if (value.isString())
            return value;
        if (!value.isArray()) {
            m_reader.error(path, QStringLiteral("must be a string or an array of content parts"));
            return QString();
        }
        QJsonArray parts;
        QStringList texts;
        bool onlyText = true;
        const QJsonArray in = value.toArray();
        for (qsizetype i = 0; i < in.size(); ++i) {
            const QJsonObject part = in.at(i).toObject();
            const QString type = part.value(u"type").toString();
            if (type == u"input_text" || type == u"output_text" || type == u"text") {
                texts.append(part.value(u"text").toString());
                parts.append(QJsonObject { { QStringLiteral("type"), QStringLiteral("text") },
                                           { QStringLiteral("text"), texts.last() } });
            } else if (type == u"refusal") {
                texts.append(part.value(u"refusal").toString());
                parts.append(QJsonObject { { QStringLiteral("type"), QStringLiteral("text") },
                                           { QStringLiteral("text"), texts.last() } });
            } else if (type == u"input_image" && imagesAllowed
                       && part.value(u"image_url").isString()) {
                QJsonObject image { { QStringLiteral("url"), part.value(u"image_url") } };
                if (part.value(u"detail").isString())
                    image.insert(QStringLiteral("detail"), part.value(u"detail"));
                parts.append(QJsonObject { { QStringLiteral("type"), QStringLiteral("image_url") },
                                           { QStringLiteral("image_url"), image } });
                onlyText = false;
            } else if (type == u"input_image" && imagesAllowed) {
                m_reader.error(indexed(path, i) + QStringLiteral(".image_url"),
                               QStringLiteral("an image must be given as a URL or data: URL "
                                              "(file_id refers to files kept at OpenAI)"));
            } else {
                m_reader.error(indexed(path, i) + QStringLiteral(".type"),
                               QStringLiteral("\"%1\" parts cannot be sent to a chat "
                                              "completions upstream here")
                                   .arg(type));
            }
        }
        if (onlyText)
            return texts.join(u"\n\n");
        return parts;
    }

    void item(const QJsonObject &item, const QString &path)
    {
        QString type = item.value(u"type").toString();
        if (type.isEmpty() && item.contains(u"role"))
            type = QStringLiteral("message");
        if (type == u"message") {
            QString role = item.value(u"role").toString();
            if (role == u"assistant") {
                m_assistantText.append(m_reader.text(
                    content(item.value(u"content"), path + QStringLiteral(".content"), false),
                    path + QStringLiteral(".content")));
                m_assistantOpen = true;
                return;
            }
            flushAssistant();
            if (role == u"developer" || role == u"system") {
                m_messages.append(message(
                    QStringLiteral("system"),
                    content(item.value(u"content"), path + QStringLiteral(".content"), false)));
            } else if (role == u"user") {
                m_messages.append(message(
                    role,
                    content(item.value(u"content"), path + QStringLiteral(".content"), true)));
            } else {
                m_reader.error(path + QStringLiteral(".role"),
                               QStringLiteral("unknown role \"%1\"").arg(role));
            }
        } else if (type == u"function_call") {
            const QString name = item.value(u"namespace").toString().isEmpty()
                ? item.value(u"name").toString()
                : ResponsesToChatRequest::qualifiedName(item.value(u"namespace").toString(),
                                                        item.value(u"name").toString());
            const QString callId = item.value(u"call_id").toString();
            if (callId.isEmpty())
                m_reader.error(path + QStringLiteral(".call_id"), QStringLiteral("missing"));
            QJsonObject call { { QStringLiteral("id"), callId },
                               { QStringLiteral("type"), QStringLiteral("function") },
                               { QStringLiteral("function"),
                                 QJsonObject { { QStringLiteral("name"), name },
                                               { QStringLiteral("arguments"),
                                                 item.value(u"arguments").toString() } } } };
            if (!m_signature.isEmpty()) {
                // Gemini signs its function calls; the signature rode on the reasoning item.
                call.insert(QStringLiteral("extra_content"),
                            QJsonObject { { QStringLiteral("google"),
                                            QJsonObject { { QStringLiteral("thought_signature"),
                                                            m_signature } } } });
                m_signature.clear();
            }
            m_toolCalls.append(call);
            m_assistantOpen = true;
        } else if (type == u"function_call_output") {
            flushAssistant();
            toolOutput(item, path);
        } else if (type == u"reasoning") {
            for (const char *key : { "summary", "content" }) {
                for (const QJsonValue &part : item.value(QLatin1String(key)).toArray()) {
                    const QString text = part.toObject().value(u"text").toString();
                    if (!text.isEmpty())
                        m_reasoning.append(text);
                }
            }
            // Only what the relay wrote is a signature; anything else is OpenAI's own
            // encrypted reasoning, which no other provider can read.
            const QString sealed = item.value(u"encrypted_content").toString();
            QString signature;
            if (m_keepSignatures && ResponsesToChatRequest::openSignature(sealed, &signature)) {
                if (sealed.startsWith(QLatin1String(ResponsesToChatRequest::kCallSignature)))
                    m_signature = signature;
                else
                    m_turnSignature = signature;
            }
            m_assistantOpen = true;
        } else if (type == u"item_reference") {
            m_reader.error(path,
                           QStringLiteral("refers to an item kept at OpenAI; send the item "
                                          "itself"));
        } else {
            m_reader.error(
                path + QStringLiteral(".type"),
                QStringLiteral("\"%1\" items have no chat completions equivalent").arg(type));
        }
    }

    void toolOutput(const QJsonObject &item, const QString &path)
    {
        const QString callId = item.value(u"call_id").toString();
        if (callId.isEmpty())
            m_reader.error(path + QStringLiteral(".call_id"), QStringLiteral("missing"));
        const QJsonValue output
            = content(item.value(u"output"), path + QStringLiteral(".output"), true);
        QJsonObject tool { { QStringLiteral("role"), QStringLiteral("tool") },
                           { QStringLiteral("tool_call_id"), callId } };
        if (output.isString()) {
            tool.insert(QStringLiteral("content"), output);
            m_messages.append(tool);
            return;
        }
        // A tool message carries text only: its images follow in a user message.
        QStringList texts;
        QJsonArray images;
        for (const QJsonValue &part : output.toArray()) {
            if (part.toObject().value(u"type").toString() == u"text")
                texts.append(part.toObject().value(u"text").toString());
            else
                images.append(part);
        }
        tool.insert(QStringLiteral("content"), texts.join(u"\n\n"));
        m_messages.append(tool);
        m_messages.append(message(QStringLiteral("user"), images));
    }

    void flushAssistant()
    {
        if (!m_assistantOpen)
            return;
        QJsonObject assistant { { QStringLiteral("role"), QStringLiteral("assistant") },
                                { QStringLiteral("content"),
                                  m_assistantText.isEmpty()
                                      ? QJsonValue(QJsonValue::Null)
                                      : QJsonValue(m_assistantText.join(u"\n\n")) } };
        if (!m_reasoning.isEmpty())
            assistant.insert(QStringLiteral("reasoning_content"), m_reasoning.join(u"\n\n"));
        if (!m_turnSignature.isEmpty())
            assistant.insert(QStringLiteral("reasoning_signature"), m_turnSignature);
        if (!m_toolCalls.isEmpty())
            assistant.insert(QStringLiteral("tool_calls"), m_toolCalls);
        m_messages.append(assistant);
        m_assistantText.clear();
        m_reasoning.clear();
        m_signature.clear();
        m_turnSignature.clear();
        m_toolCalls = {};
        m_assistantOpen = false;
    }

    static QJsonObject function(const QJsonObject &tool, const QString &name)
    {
        QJsonObject function { { QStringLiteral("name"), name } };
        if (tool.value(u"description").isString())
            function.insert(QStringLiteral("description"), tool.value(u"description"));
        function.insert(QStringLiteral("parameters"),
                        tool.value(u"parameters").isObject()
                            ? tool.value(u"parameters")
                            : QJsonObject { { QStringLiteral("type"), QStringLiteral("object") },
                                            { QStringLiteral("properties"), QJsonObject() } });
        if (tool.value(u"strict").isBool())
            function.insert(QStringLiteral("strict"), tool.value(u"strict"));
        return { { QStringLiteral("type"), QStringLiteral("function") },
                 { QStringLiteral("function"), function } };
    }

    void tools(const QJsonArray &tools)
    {
        QJsonArray out;
        for (qsizetype i = 0; i < tools.size(); ++i) {
            const QJsonObject tool = tools.at(i).toObject();
            const QString type = tool.value(u"type").toString();
            const QString path = indexed(QStringLiteral("tools"), i);
            if (type == u"function") {
                out.append(function(tool, tool.value(u"name").toString()));
            } else if (type == u"namespace") {
                const QJsonArray nested = tool.value(u"tools").toArray();
                for (qsizetype j = 0; j < nested.size(); ++j) {
                    const QJsonObject inner = nested.at(j).toObject();
                    if (inner.value(u"type").toString() != u"function") {
                        m_reader.error(indexed(path + QStringLiteral(".tools"), j)
                                           + QStringLiteral(".type"),
                                       QStringLiteral("only function tools can be translated"));
                        continue;
                    }
                    out.append(function(
                        inner,
                        ResponsesToChatRequest::qualifiedName(tool.value(u"name").toString(),
                                                              inner.value(u"name").toString())));
                }
            } else if (!isOptionalHostedTool(type)) {
                m_reader.error(path + QStringLiteral(".type"),
                               QStringLiteral("\"%1\" tools run only at OpenAI; this upstream "
                                              "serves chat completions, where only function "
                                              "tools exist")
                                   .arg(type));
            }
        }
        if (!out.isEmpty())
            m_out.body.insert(QStringLiteral("tools"), out);
    }

    void toolChoice(const QJsonValue &choice)
    {
        if (choice.isString()) {
            m_out.body.insert(QStringLiteral("tool_choice"), choice);
            return;
        }
        const QJsonObject object = choice.toObject();
        if (object.value(u"type").toString() == u"function") {
            m_out.body.insert(QStringLiteral("tool_choice"),
                              QJsonObject { { QStringLiteral("type"), QStringLiteral("function") },
                                            { QStringLiteral("function"),
                                              QJsonObject { { QStringLiteral("name"),
                                                              object.value(u"name") } } } });
            return;
        }
        m_reader.error(QStringLiteral("tool_choice"),
                       QStringLiteral("only \"auto\", \"none\", \"required\" or a function can be "
                                      "translated"));
    }

    TranslatedRequest &m_out;
    OpenAiRequestReader m_reader;
    bool m_keepSignatures;
    QJsonArray m_messages;
    // The assistant turn being gathered: Responses spreads one over several items.
    bool m_assistantOpen = false;
    QStringList m_assistantText;
    QStringList m_reasoning;
    QString m_signature; // for the next function call (Gemini signs its calls)
    QString m_turnSignature; // for the turn's reasoning (Anthropic signs thinking)
    QJsonArray m_toolCalls;
};
} // namespace

TranslatedRequest ResponsesToChatRequest::translate(const QJsonObject &request, bool keepSignatures)
{
    TranslatedRequest out;
    Translator(out, keepSignatures).translate(request);
    return out;
}

QString ResponsesToChatRequest::qualifiedName(const QString &nameSpace, const QString &name)
{
    // Chat function names allow letters, digits, '_' and '-' only.
    if (nameSpace.endsWith(u"__"))
        return nameSpace + name;
    return nameSpace + QStringLiteral("__") + name;
}

QString ResponsesToChatRequest::sealSignature(const char *kind, const QString &signature)
{
    return QLatin1String(kind) + signature;
}

bool ResponsesToChatRequest::openSignature(const QString &sealed, QString *signature)
{
    for (const char *kind : { kCallSignature, kTurnSignature }) {
        if (sealed.startsWith(QLatin1String(kind))) {
            *signature = sealed.mid(qsizetype(qstrlen(kind)));
            return !signature->isEmpty();
        }
    }
    return false;
}

QHash<QString, QPair<QString, QString>>
ResponsesToChatRequest::namespacedFunctions(const QJsonObject &request)
{
    QHash<QString, QPair<QString, QString>> out;
    for (const QJsonValue &value : request.value(u"tools").toArray()) {
        const QJsonObject tool = value.toObject();
        if (tool.value(u"type").toString() != u"namespace")
            continue;
        const QString nameSpace = tool.value(u"name").toString();
        for (const QJsonValue &inner : tool.value(u"tools").toArray()) {
            const QString name = inner.toObject().value(u"name").toString();
            out.insert(qualifiedName(nameSpace, name), { nameSpace, name });
        }
    }
    return out;
}

QStringList ResponsesToChatRequest::droppedTools(const QJsonObject &request)
{
    QStringList out;
    for (const QJsonValue &value : request.value(u"tools").toArray()) {
        const QString type = value.toObject().value(u"type").toString();
        if (isOptionalHostedTool(type) && !out.contains(type))
            out.append(type);
    }
    return out;
}

} // namespace relay
