#include "AnthropicToOpenAiResponse.h"

#include "AnthropicToOpenAiStream.h"

#include <QDateTime>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

namespace relay {

QByteArray AnthropicToOpenAiResponse::translate(const QByteArray &body, const QString &model,
                                                QString *error)
{
    const QJsonObject in = QJsonDocument::fromJson(body).object();
    if (in.value(u"type").toString() != u"message" || !in.value(u"content").isArray()) {
        *error = QStringLiteral("the upstream's answer is not an Anthropic message");
        return {};
    }
    QString text;
    QString reasoning;
    QString signature;
    QJsonArray calls;
    const QJsonArray blocks = in.value(u"content").toArray();
    for (const QJsonValue &value : blocks) {
        const QJsonObject block = value.toObject();
        const QString type = block.value(u"type").toString();
        if (type == u"text") {
            text += block.value(u"text").toString();
        } else if (type == u"thinking") {
            reasoning += block.value(u"thinking").toString();
            signature = block.value(u"signature").toString();
        } else if (type == u"tool_use") {
            calls.append(QJsonObject {
                { QStringLiteral("id"), block.value(u"id").toString() },
                { QStringLiteral("type"), QStringLiteral("function") },
                { QStringLiteral("function"),
                  QJsonObject { { QStringLiteral("name"), block.value(u"name").toString() },
                                { QStringLiteral("arguments"),
                                  QString::fromUtf8(QJsonDocument(block.value(u"input").toObject())
                                                        .toJson(QJsonDocument::Compact)) } } } });
        }
    }
    QJsonObject message { { QStringLiteral("role"), QStringLiteral("assistant") },
                          { QStringLiteral("content"),
                            text.isEmpty() && !calls.isEmpty() ? QJsonValue(QJsonValue::Null)
                                                               : QJsonValue(text) } };
    if (!reasoning.isEmpty())
        message.insert(QStringLiteral("reasoning_content"), reasoning);
    if (!signature.isEmpty())
        message.insert(QStringLiteral("reasoning_signature"), signature);
    if (!calls.isEmpty())
        message.insert(QStringLiteral("tool_calls"), calls);
    const QJsonObject choice { { QStringLiteral("index"), 0 },
                               { QStringLiteral("message"), message },
                               { QStringLiteral("finish_reason"),
                                 AnthropicToOpenAiStream::finishReason(
                                     in.value(u"stop_reason").toString()) } };
    const QJsonObject out {
        { QStringLiteral("id"), QString(QStringLiteral("chatcmpl-") + in.value(u"id").toString()) },
        { QStringLiteral("object"), QStringLiteral("chat.completion") },
        { QStringLiteral("created"), QDateTime::currentSecsSinceEpoch() },
        { QStringLiteral("model"), model },
        { QStringLiteral("choices"), QJsonArray { choice } },
        { QStringLiteral("usage"), AnthropicToOpenAiStream::usage(in.value(u"usage").toObject()) }
    };
    return QJsonDocument(out).toJson(QJsonDocument::Compact);
}

} // namespace relay
