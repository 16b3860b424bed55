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

QByteArray OpenAiStreamFolder::unfold(const QByteArray &completion, QString *error)
{
    const QJsonObject in = QJsonDocument::fromJson(completion).object();
    const QJsonObject choice = in.value(u"choices").toArray().at(0).toObject();
    if (!choice.value(u"message").isObject()) {
        *error = QStringLiteral("the upstream's answer has no message");
        return {};
    }
    QJsonObject head = in;
    head.remove(QStringLiteral("choices"));
    head.remove(QStringLiteral("usage"));
    head.insert(QStringLiteral("object"), QStringLiteral("chat.completion.chunk"));
    auto chunk = [&head](const QJsonObject &delta, const QJsonValue &finish) -> QByteArray {
        QJsonObject out = head;
        out.insert(QStringLiteral("choices"),
                   QJsonArray { QJsonObject { { QStringLiteral("index"), 0 },
                                              { QStringLiteral("delta"), delta },
                                              { QStringLiteral("finish_reason"), finish } } });
        return "data: " + QJsonDocument(out).toJson(QJsonDocument::Compact) + "\n\n";
    };
    QJsonObject message = choice.value(u"message").toObject();
    const QJsonArray calls = message.take(QStringLiteral("tool_calls")).toArray();
    if (message.value(u"content").isNull())
        message.remove(QStringLiteral("content"));
    QByteArray out = chunk(message, QJsonValue::Null);
    for (qsizetype i = 0; i < calls.size(); ++i) {
        QJsonObject call = calls.at(i).toObject();
        call.insert(QStringLiteral("index"), i);
        out += chunk({ { QStringLiteral("tool_calls"), QJsonArray { call } } }, QJsonValue::Null);
    }
    out += chunk({}, choice.value(u"finish_reason"));
    if (in.value(u"usage").isObject()) {
        QJsonObject usage = head;
        usage.insert(QStringLiteral("choices"), QJsonArray());
        usage.insert(QStringLiteral("usage"), in.value(u"usage"));
        out += "data: " + QJsonDocument(usage).toJson(QJsonDocument::Compact) + "\n\n";
    }
    return out + "data: [DONE]\n\n";
}

} // namespace relay
