#pragma once

#include <QByteArray>
#include <QString>

namespace relay {

// Folds an OpenAI chat-completions stream into the chat completion it describes (content and
// reasoning concatenated, tool calls assembled by index, the finish reason and usage kept), and
// unfolds a completion into the stream that says the same.
class OpenAiStreamFolder
{
public:
    // Empty and *error set when the stream carried an error chunk or never finished.
    static QByteArray fold(const QByteArray &sse, QString *error);
    // Empty and *error set when `completion` is not a chat completion with a choice.
    static QByteArray unfold(const QByteArray &completion, QString *error);
};

} // namespace relay
