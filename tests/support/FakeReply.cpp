#include "FakeReply.h"

#include <QJsonDocument>
#include <QRegularExpression>

namespace relay::test {

QByteArray FakeReply::json(const QJsonObject &object)
{
    return QJsonDocument(object).toJson(QJsonDocument::Compact);
}

FakeReply FakeReply::to(const FakeProvider::Turn &turn)
{
    FakeReply r;
    if (turn.thinking)
        r.reasoning = QStringLiteral("Thinking about: ") + turn.text;
    if (!turn.toolResults.isEmpty()) {
        r.text = QStringLiteral("Tool said: ") + turn.toolResults.join(QStringLiteral(" | "));
    } else if (!turn.tool.isEmpty()) {
        static const QRegularExpression directive(QStringLiteral(R"(\bcall (\w+) (\{[^\n]*\}))"));
        const QRegularExpressionMatch asked = directive.match(turn.allText);
        r.tool = asked.hasMatch() ? asked.captured(1) : turn.tool;
        r.args = asked.hasMatch() ? QJsonDocument::fromJson(asked.captured(2).toUtf8()).object()
                                  : QJsonObject { { QStringLiteral("query"), turn.text } };
    } else if (!turn.images.isEmpty()) {
        r.text = QStringLiteral("I see %1 image(s): %2")
                     .arg(turn.images.size())
                     .arg(turn.images.join(QStringLiteral(", ")));
    } else {
        r.text = QStringLiteral("Echo: ") + turn.text;
    }
    return r;
}

QStringList FakeReply::split(const QString &text)
{
    const qsizetype half = text.size() / 2;
    return { text.left(half), text.mid(half) };
}

} // namespace relay::test
