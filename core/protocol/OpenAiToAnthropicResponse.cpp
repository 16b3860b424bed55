#include "OpenAiToAnthropicResponse.h"

#include "OpenAiToAnthropicStream.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

namespace relay {

namespace {
QJsonObject thinkingBlock(const QString &text, const QString &signature)
{
    QJsonObject block { { QStringLiteral("type"), QStringLiteral("thinking") },
                        { QStringLiteral("thinking"), text } };
    if (!signature.isEmpty())
        block.insert(QStringLiteral("signature"), signature);
    return block;
}
} // namespace

QByteArray OpenAiToAnthropicResponse::translate(const QByteArray &body, const QString &model,
                                                QString *error)
{
    const QJsonDocument doc = QJsonDocument::fromJson(body);
    if (!doc.isObject()) {
        *error = QStringLiteral("the upstream's answer is not JSON");
        return {};
    }
    const QJsonObject in = doc.object();
    const QJsonArray choices = in.value(u"choices").toArray();
    if (choices.isEmpty()) {
        *error = QStringLiteral("the upstream answered without any choice");
        return {};
    }
    const QJsonObject choice = choices.at(0).toObject();
    const QJsonObject message = choice.value(u"message").toObject();

    QJsonArray content;
    QString reasoning = message.value(u"reasoning_content").toString();
    if (reasoning.isEmpty())
        reasoning = message.value(u"reasoning").toString();
    const QString signature = message.value(u"reasoning_signature").toString();
    if (!reasoning.isEmpty() || !signature.isEmpty())
        content.append(thinkingBlock(reasoning, signature));
    const QString text = message.value(u"content").toString();
    if (!text.isEmpty())
        content.append(QJsonObject { { QStringLiteral("type"), QStringLiteral("text") },
                                     { QStringLiteral("text"), text } });
    const QJsonArray calls = message.value(u"tool_calls").toArray();
    for (const QJsonValue &value : calls) {
        const QJsonObject call = value.toObject();
        const QJsonObject function = call.value(u"function").toObject();
        const QString arguments = function.value(u"arguments").toString();
        QJsonObject input;
        if (!arguments.trimmed().isEmpty()) {
            QJsonParseError parseError;
            const QJsonDocument doc = QJsonDocument::fromJson(arguments.toUtf8(), &parseError);
            if (parseError.error != QJsonParseError::NoError || !doc.isObject()) {
                *error
                    = QStringLiteral("the upstream returned arguments for tool \"%1\" that are not "
                                     "a JSON object")
                          .arg(function.value(u"name").toString());
                return {};
            }
            input = doc.object();
        }
        // A Gemini upstream signs function calls; the signature travels in a thinking block.
        const QString callSignature = call.value(u"extra_content")
                                          .toObject()
                                          .value(u"google")
                                          .toObject()
                                          .value(u"thought_signature")
                                          .toString();
        if (!callSignature.isEmpty())
            content.append(thinkingBlock(QString(), callSignature));
        content.append(QJsonObject { { QStringLiteral("type"), QStringLiteral("tool_use") },
                                     { QStringLiteral("id"), call.value(u"id").toString() },
                                     { QStringLiteral("name"), function.value(u"name").toString() },
                                     { QStringLiteral("input"), input } });
    }

    const QJsonObject usageIn = in.value(u"usage").toObject();
    const int cached
        = usageIn.value(u"prompt_tokens_details").toObject().value(u"cached_tokens").toInt();
    QJsonObject usage {
        { QStringLiteral("input_tokens"), usageIn.value(u"prompt_tokens").toInt() - cached },
        { QStringLiteral("output_tokens"), usageIn.value(u"completion_tokens").toInt() }
    };
    if (cached > 0)
        usage.insert(QStringLiteral("cache_read_input_tokens"), cached);

    QString id = in.value(u"id").toString();
    if (!id.startsWith(u"msg_"))
        id = QStringLiteral("msg_") + id;
    const QJsonObject out { { QStringLiteral("id"), id },
                            { QStringLiteral("type"), QStringLiteral("message") },
                            { QStringLiteral("role"), QStringLiteral("assistant") },
                            { QStringLiteral("model"), model },
                            { QStringLiteral("content"), content },
                            { QStringLiteral("stop_reason"),
                              OpenAiToAnthropicStream::stopReason(
                                  choice.value(u"finish_reason").toString()) },
                            { QStringLiteral("stop_sequence"), QJsonValue::Null },
                            { QStringLiteral("usage"), usage } };
    return QJsonDocument(out).toJson(QJsonDocument::Compact);
}

} // namespace relay
