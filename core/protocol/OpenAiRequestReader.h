#pragma once

#include "TranslatedRequest.h"

#include <QJsonArray>

namespace relay {

// What the translators from OpenAI chat requests share: errors with their JSON paths, the text
// of a message's content, and turns of the same role merged (Anthropic and Gemini want user and
// assistant turns to alternate).
class OpenAiRequestReader
{
public:
    explicit OpenAiRequestReader(TranslatedRequest &out)
        : m_out(out)
    { }

    void error(const QString &path, const QString &message);
    // A string, or the text of text/refusal parts; other parts are reported.
    QString text(const QJsonValue &content, const QString &path);
    // `items` as a new turn of `role` (under `key`: "content" or "parts"), or appended to the
    // last turn when it has the same role.
    static void appendTurn(QJsonArray &turns, const QString &role, const QString &key,
                           const QJsonArray &items);

private:
    TranslatedRequest &m_out;
};

} // namespace relay
