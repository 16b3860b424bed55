#include "AnthropicToOpenAiRequest.h"

#include <QJsonArray>
#include <QJsonDocument>

namespace relay {

namespace {

class Translation
{
public:
    Translation(TranslatedRequest &out, bool keepSignatures)
        : m_out(out)
        , m_keepSignatures(keepSignatures)
    { }

    void error(const QString &path, const QString &message)
    {
        m_out.errors.append(path + QStringLiteral(": ") + message);
    }

    // Text of a string or of an array of text blocks (other blocks are reported).
    QString textOf(const QJsonValue &content, const QString &path)
    {
        if (content.isString())
            return content.toString();
        QStringList parts;
        const QJsonArray blocks = content.toArray();
        for (qsizetype i = 0; i < blocks.size(); ++i) {
            const QJsonObject block = blocks.at(i).toObject();
            if (block.value(u"type").toString() == u"text")
                parts.append(block.value(u"text").toString());
            else
                error(path + u'[' + QString::number(i) + u']',
                      QStringLiteral("only text blocks are allowed here"));
        }
        return parts.join(u"\n\n");
    }

    QJsonObject imagePart(const QJsonObject &block, const QString &path)
    {
        const QJsonObject source = block.value(u"source").toObject();
        const QString type = source.value(u"type").toString();
        QString url;
        if (type == u"base64") {
            url = QStringLiteral("data:") + source.value(u"media_type").toString()
                + QStringLiteral(";base64,") + source.value(u"data").toString();
        } else if (type == u"url") {
            url = source.value(u"url").toString();
        } else {
            error(path + QStringLiteral(".source.type"),
                  QStringLiteral("use \"base64\" or \"url\" for images"));
        }
        return { { QStringLiteral("type"), QStringLiteral("image_url") },
                 { QStringLiteral("image_url"), QJsonObject { { QStringLiteral("url"), url } } } };
    }

    // A system message among the others (Claude Code sends them mid-conversation): an OpenAI
    // system message in the same place, which keeps both its words and its position.
    void systemMessage(const QJsonValue &content, const QString &path, QJsonArray &messages)
    {
        const QString text = textOf(content, path);
        if (!text.isEmpty())
            messages.append(QJsonObject { { QStringLiteral("role"), QStringLiteral("system") },
                                          { QStringLiteral("content"), text } });
    }

    void userMessage(const QJsonValue &content, const QString &path, QJsonArray &messages)
    {
        if (content.isString()) {
            messages.append(QJsonObject { { QStringLiteral("role"), QStringLiteral("user") },
                                          { QStringLiteral("content"), content.toString() } });
            return;
        }
        if (!content.isArray()) {
            error(path, QStringLiteral("must be a string or an array of content blocks"));
            return;
        }
        QJsonArray parts; // what stays in the user message
        QJsonArray lateParts; // images returned by tools, shown after the tool messages
        const QJsonArray blocks = content.toArray();
        for (qsizetype i = 0; i < blocks.size(); ++i) {
            const QString blockPath = path + u'[' + QString::number(i) + u']';
            const QJsonObject block = blocks.at(i).toObject();
            const QString type = block.value(u"type").toString();
            if (type == u"text") {
                parts.append(
                    QJsonObject { { QStringLiteral("type"), QStringLiteral("text") },
                                  { QStringLiteral("text"), block.value(u"text").toString() } });
            } else if (type == u"image") {
                parts.append(imagePart(block, blockPath));
            } else if (type == u"tool_result") {
                messages.append(toolMessage(block, blockPath, lateParts));
            } else if (type == u"document") {
                error(blockPath,
                      QStringLiteral("document blocks cannot be sent to an OpenAI-format "
                                     "upstream; send the text instead"));
            } else {
                error(blockPath + QStringLiteral(".type"),
                      QStringLiteral("unknown block type \"%1\" in a user message").arg(type));
            }
        }
        for (const QJsonValue &part : std::as_const(lateParts))
            parts.append(part);
        if (parts.isEmpty())
            return;
        // A lone text part is sent as a plain string: the form every compatible server accepts.
        const bool plain
            = parts.size() == 1 && parts.at(0).toObject().value(u"type").toString() == u"text";
        messages.append(QJsonObject {
            { QStringLiteral("role"), QStringLiteral("user") },
            { QStringLiteral("content"),
              plain ? QJsonValue(parts.at(0).toObject().value(u"text")) : QJsonValue(parts) } });
    }

    QJsonObject toolMessage(const QJsonObject &block, const QString &path, QJsonArray &lateParts)
    {
        const QJsonValue content = block.value(u"content");
        QStringList texts;
        if (content.isString()) {
            texts.append(content.toString());
        } else {
            const QJsonArray parts = content.toArray();
            for (qsizetype i = 0; i < parts.size(); ++i) {
                const QJsonObject part = parts.at(i).toObject();
                const QString type = part.value(u"type").toString();
                if (type == u"text")
                    texts.append(part.value(u"text").toString());
                else if (type == u"image")
                    lateParts.append(imagePart(part, path + QStringLiteral(".content[%1]").arg(i)));
                else if (type == u"tool_reference") // a client-side tool search's answer
                    // Deferred tools are offered from the start here (OpenAI defers nothing),
                    // so what the search found is already there to call.
                    texts.append(QStringLiteral("Tool \"%1\" is loaded; call it by name.")
                                     .arg(part.value(u"tool_name").toString()));
                else
                    error(path + QStringLiteral(".content[%1].type").arg(i),
                          QStringLiteral("tool results may hold text, images and tool "
                                         "references only"));
            }
        }
        QString text = texts.join(u"\n\n");
        if (block.value(u"is_error").toBool())
            text = QStringLiteral("Error: ") + text;
        const QString id = block.value(u"tool_use_id").toString();
        if (id.isEmpty())
            error(path + QStringLiteral(".tool_use_id"), QStringLiteral("missing"));
        return { { QStringLiteral("role"), QStringLiteral("tool") },
                 { QStringLiteral("tool_call_id"), id },
                 { QStringLiteral("content"), text } };
    }

    void assistantMessage(const QJsonValue &content, const QString &path, QJsonArray &messages)
    {
        QJsonObject message { { QStringLiteral("role"), QStringLiteral("assistant") } };
        if (content.isString()) {
            message.insert(QStringLiteral("content"), content.toString());
            messages.append(message);
            return;
        }
        QStringList texts;
        QStringList reasoning;
        QJsonArray toolCalls;
        QString signature; // of the last thinking block, until a tool call takes it
        const QJsonArray blocks = content.toArray();
        for (qsizetype i = 0; i < blocks.size(); ++i) {
            const QString blockPath = path + u'[' + QString::number(i) + u']';
            const QJsonObject block = blocks.at(i).toObject();
            const QString type = block.value(u"type").toString();
            if (type == u"text") {
                texts.append(block.value(u"text").toString());
            } else if (type == u"tool_use") {
                QJsonObject call {
                    { QStringLiteral("id"), block.value(u"id").toString() },
                    { QStringLiteral("type"), QStringLiteral("function") },
                    { QStringLiteral("function"),
                      QJsonObject {
                          { QStringLiteral("name"), block.value(u"name").toString() },
                          { QStringLiteral("arguments"),
                            QString::fromUtf8(QJsonDocument(block.value(u"input").toObject())
                                                  .toJson(QJsonDocument::Compact)) } } }
                };
                if (!signature.isEmpty()) {
                    // Gemini's own OpenAI-compatible field for a signed function call.
                    call.insert(QStringLiteral("extra_content"),
                                QJsonObject { { QStringLiteral("google"),
                                                QJsonObject { { QStringLiteral("thought_signature"),
                                                                signature } } } });
                    signature.clear();
                }
                toolCalls.append(call);
            } else if (type == u"thinking") {
                reasoning.append(block.value(u"thinking").toString());
                if (m_keepSignatures)
                    signature = block.value(u"signature").toString();
            } else if (type == u"redacted_thinking") {
                // Encrypted reasoning only Anthropic can read; nothing to pass to another provider.
            } else {
                error(
                    blockPath + QStringLiteral(".type"),
                    QStringLiteral("unknown block type \"%1\" in an assistant message").arg(type));
            }
        }
        message.insert(QStringLiteral("content"),
                       texts.isEmpty() ? QJsonValue(QJsonValue::Null)
                                       : QJsonValue(texts.join(QString())));
        if (!reasoning.isEmpty())
            message.insert(QStringLiteral("reasoning_content"), reasoning.join(QString()));
        if (!signature.isEmpty())
            message.insert(QStringLiteral("reasoning_signature"), signature);
        if (!toolCalls.isEmpty())
            message.insert(QStringLiteral("tool_calls"), toolCalls);
        messages.append(message);
    }

    QJsonValue toolChoice(const QJsonObject &choice)
    {
        const QString type = choice.value(u"type").toString();
        if (type == u"auto")
            return QStringLiteral("auto");
        if (type == u"any")
            return QStringLiteral("required");
        if (type == u"none")
            return QStringLiteral("none");
        if (type == u"tool")
            return QJsonObject {
                { QStringLiteral("type"), QStringLiteral("function") },
                { QStringLiteral("function"),
                  QJsonObject { { QStringLiteral("name"), choice.value(u"name").toString() } } }
            };
        error(QStringLiteral("tool_choice.type"), QStringLiteral("use auto, any, tool or none"));
        return QJsonValue::Undefined;
    }

private:
    TranslatedRequest &m_out;
    bool m_keepSignatures;
};

} // namespace

TranslatedRequest AnthropicToOpenAiRequest::translate(const QByteArray &json, bool keepSignatures)
{
    QJsonParseError parseError;
    const QJsonDocument doc = QJsonDocument::fromJson(json, &parseError);
    if (parseError.error != QJsonParseError::NoError || !doc.isObject()) {
        TranslatedRequest out;
        out.errors.append(QStringLiteral("body: not valid JSON (%1 at byte %2)")
                              .arg(parseError.error != QJsonParseError::NoError
                                       ? parseError.errorString()
                                       : QStringLiteral("not an object"))
                              .arg(parseError.offset));
        return out;
    }
    return translate(doc.object(), keepSignatures);
}

TranslatedRequest AnthropicToOpenAiRequest::translate(const QJsonObject &in, bool keepSignatures)
{
    TranslatedRequest out;
    Translation t(out, keepSignatures);
    QJsonObject body;
    const QJsonValue model = in.value(u"model");
    if (!model.isString() || model.toString().isEmpty())
        t.error(QStringLiteral("model"), QStringLiteral("must be a non-empty string"));
    body.insert(QStringLiteral("model"), model.toString());

    const QJsonValue maxTokens = in.value(u"max_tokens");
    if (!maxTokens.isDouble() || maxTokens.toDouble() < 1)
        t.error(QStringLiteral("max_tokens"), QStringLiteral("required: a positive whole number"));
    else
        body.insert(QStringLiteral("max_tokens"), maxTokens.toInteger());

    QJsonArray messages;
    QJsonValue system = in.value(u"system");
    if (system.isArray()) {
        // Claude Code's billing line is for Anthropic's accounting, not the model; elsewhere it
        // would only cost tokens and change the prompt's cached prefix with every release.
        QJsonArray blocks = system.toArray();
        if (blocks.at(0).toObject().value(u"text").toString().startsWith(
                u"x-anthropic-billing-header:"))
            blocks.removeFirst();
        system = blocks;
    }
    if (!system.isUndefined() && !system.isNull())
        t.systemMessage(system, QStringLiteral("system"), messages);
    const QJsonValue inMessages = in.value(u"messages");
    if (!inMessages.isArray() || inMessages.toArray().isEmpty())
        t.error(QStringLiteral("messages"),
                QStringLiteral("must be a non-empty array of messages"));
    const QJsonArray list = inMessages.toArray();
    for (qsizetype i = 0; i < list.size(); ++i) {
        const QString path = QStringLiteral("messages[%1]").arg(i);
        const QJsonObject message = list.at(i).toObject();
        const QString role = message.value(u"role").toString();
        const QJsonValue content = message.value(u"content");
        if (role == u"user")
            t.userMessage(content, path + QStringLiteral(".content"), messages);
        else if (role == u"assistant")
            t.assistantMessage(content, path + QStringLiteral(".content"), messages);
        else if (role == u"system")
            t.systemMessage(content, path + QStringLiteral(".content"), messages);
        else // in the words Anthropic itself answers with
            t.error(path + QStringLiteral(".role"),
                    QStringLiteral("Unexpected role \"%1\"; use \"user\" or \"assistant\" "
                                   "(or \"system\" for instructions)")
                        .arg(role));
    }
    body.insert(QStringLiteral("messages"), messages);

    for (const char16_t *name : { u"temperature", u"top_p" }) {
        const QJsonValue v = in.value(QStringView(name));
        if (v.isDouble())
            body.insert(QString::fromUtf16(name), v);
    }
    const QJsonArray stops = in.value(u"stop_sequences").toArray();
    if (!stops.isEmpty())
        body.insert(QStringLiteral("stop"), stops);
    const QString user = in.value(u"metadata").toObject().value(u"user_id").toString();
    if (!user.isEmpty())
        body.insert(QStringLiteral("user"), user);

    const QJsonArray tools = in.value(u"tools").toArray();
    if (!tools.isEmpty()) {
        QJsonArray functions;
        for (qsizetype i = 0; i < tools.size(); ++i) {
            const QJsonObject tool = tools.at(i).toObject();
            const QString name = tool.value(u"name").toString();
            if (name.isEmpty()) {
                t.error(QStringLiteral("tools[%1].name").arg(i), QStringLiteral("missing"));
                continue;
            }
            const QString type = tool.value(u"type").toString();
            if (!type.isEmpty() && type != u"custom") {
                t.error(QStringLiteral("tools[%1].type").arg(i),
                        QStringLiteral("\"%1\" is a tool Anthropic runs on its own servers; "
                                       "this upstream cannot run it (route the model to an "
                                       "Anthropic upstream, or leave the tool out)")
                            .arg(type));
                continue;
            }
            QJsonObject function { { QStringLiteral("name"), name },
                                   { QStringLiteral("parameters"),
                                     tool.value(u"input_schema").toObject() } };
            const QString description = tool.value(u"description").toString();
            if (!description.isEmpty())
                function.insert(QStringLiteral("description"), description);
            functions.append(QJsonObject { { QStringLiteral("type"), QStringLiteral("function") },
                                           { QStringLiteral("function"), function } });
        }
        body.insert(QStringLiteral("tools"), functions);
    }
    const QJsonObject choice = in.value(u"tool_choice").toObject();
    if (!choice.isEmpty()) {
        const QJsonValue mapped = t.toolChoice(choice);
        if (!mapped.isUndefined())
            body.insert(QStringLiteral("tool_choice"), mapped);
        if (choice.value(u"disable_parallel_tool_use").toBool() && !tools.isEmpty())
            body.insert(QStringLiteral("parallel_tool_calls"), false);
    }

    const QJsonObject thinking = in.value(u"thinking").toObject();
    if (keepSignatures && thinking.value(u"type").toString() == u"enabled")
        body.insert(QStringLiteral("reasoning_budget"), thinking.value(u"budget_tokens"));

    out.stream = in.value(u"stream").toBool();
    if (out.stream) {
        body.insert(QStringLiteral("stream"), true);
        // Usage arrives only when asked for; Anthropic clients always get it.
        body.insert(QStringLiteral("stream_options"),
                    QJsonObject { { QStringLiteral("include_usage"), true } });
    }
    out.body = body;
    return out;
}

} // namespace relay
