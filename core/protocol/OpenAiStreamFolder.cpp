#include "OpenAiStreamFolder.h"

#include "SseParser.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QMap>

namespace relay {

QByteArray OpenAiStreamFolder::fold(const QByteArray &sse, QString *error)
{
    SseParser parser;
    QJsonObject head;
    QJsonObject message { { QStringLiteral("role"), QStringLiteral("assistant") } };
    QString content;
    QString reasoning;
    QMap<int, QJsonObject> calls;
    QMap<int, QString> arguments;
    QJsonValue finish;
    QJsonValue usage;
    const QList<SseEvent> events = parser.feed(sse);
    for (const SseEvent &e : events) {
        if (e.data == "[DONE]")
            break;
        const QJsonObject chunk = QJsonDocument::fromJson(e.data).object();
        if (chunk.contains(u"error")) {
            *error = chunk.value(u"error").toObject().value(u"message").toString();
            return {};
        }
        if (head.isEmpty())
            head = chunk;
        if (chunk.value(u"usage").isObject())
            usage = chunk.value(u"usage");
        const QJsonArray choices = chunk.value(u"choices").toArray();
        if (choices.isEmpty())
            continue;
        const QJsonObject choice = choices.at(0).toObject();
        const QJsonObject delta = choice.value(u"delta").toObject();
        content += delta.value(u"content").toString();
        reasoning += delta.value(u"reasoning_content").toString();
        if (delta.contains(u"reasoning_signature"))
            message.insert(QStringLiteral("reasoning_signature"),
                           delta.value(u"reasoning_signature"));
        const QJsonArray deltaCalls = delta.value(u"tool_calls").toArray();
        for (const QJsonValue &value : deltaCalls) {
            QJsonObject call = value.toObject();
            const int index = call.value(u"index").toInt();
            arguments[index] += call.value(u"function").toObject().value(u"arguments").toString();
            if (!calls.contains(index)) {
                call.remove(QStringLiteral("index"));
                calls.insert(index, call);
            }
        }
        if (choice.value(u"finish_reason").isString())
            finish = choice.value(u"finish_reason");
    }
    if (!finish.isString()) {
        *error = QStringLiteral("the upstream's answer has no finish reason");
        return {};
    }
    message.insert(QStringLiteral("content"),
                   content.isEmpty() && !calls.isEmpty() ? QJsonValue(QJsonValue::Null)
                                                         : QJsonValue(content));
    if (!reasoning.isEmpty())
        message.insert(QStringLiteral("reasoning_content"), reasoning);
    if (!calls.isEmpty()) {
        QJsonArray list;
        for (auto it = calls.begin(); it != calls.end(); ++it) {
            QJsonObject call = it.value();
            QJsonObject function = call.value(u"function").toObject();
            function.insert(QStringLiteral("arguments"), arguments.value(it.key()));
            call.insert(QStringLiteral("function"), function);
            list.append(call);
        }
        message.insert(QStringLiteral("tool_calls"), list);
    }
    QJsonObject out { { QStringLiteral("id"), head.value(u"id") },
                      { QStringLiteral("object"), QStringLiteral("chat.completion") },
                      { QStringLiteral("created"), head.value(u"created") },
                      { QStringLiteral("model"), head.value(u"model") },
                      { QStringLiteral("choices"),
                        QJsonArray {
                            QJsonObject { { QStringLiteral("index"), 0 },
                                          { QStringLiteral("message"), message },
                                          { QStringLiteral("finish_reason"), finish } } } } };
    if (usage.isObject())
        out.insert(QStringLiteral("usage"), usage);
    return QJsonDocument(out).toJson(QJsonDocument::Compact);
}

} // namespace relay
