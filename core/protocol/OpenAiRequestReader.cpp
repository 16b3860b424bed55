#include "OpenAiRequestReader.h"

#include <QJsonObject>

namespace relay {

void OpenAiRequestReader::error(const QString &path, const QString &message)
{
    m_out.errors.append(path + QStringLiteral(": ") + message);
}

QString OpenAiRequestReader::text(const QJsonValue &content, const QString &path)
{
    if (!content.isArray())
        return content.toString();
    QStringList texts;
    const QJsonArray parts = content.toArray();
    for (qsizetype i = 0; i < parts.size(); ++i) {
        const QJsonObject part = parts.at(i).toObject();
        const QString type = part.value(u"type").toString();
        if (type == u"text" || type == u"refusal")
            texts.append(part.value(type).toString());
        else
            error(path + QStringLiteral("[%1].type").arg(i),
                  QStringLiteral("only text parts are allowed here"));
    }
    return texts.join(u"\n\n");
}

void OpenAiRequestReader::appendTurn(QJsonArray &turns, const QString &role, const QString &key,
                                     const QJsonArray &items)
{
    if (items.isEmpty())
        return;
    if (!turns.isEmpty()) {
        QJsonObject last = turns.last().toObject();
        if (last.value(u"role").toString() == role) {
            QJsonArray merged = last.value(key).toArray();
            for (const QJsonValue &item : items)
                merged.append(item);
            last.insert(key, merged);
            turns.replace(turns.size() - 1, last);
            return;
        }
    }
    turns.append(QJsonObject { { QStringLiteral("role"), role }, { key, items } });
}

} // namespace relay
