#pragma once

#include <QByteArray>
#include <QString>

namespace relay {

// Folds an OpenAI chat-completions stream into the chat completion it describes: content and
// reasoning concatenated, tool calls assembled by index, the finish reason and usage kept.
class OpenAiStreamFolder
{
public:
    // Empty and *error set when the stream carried an error chunk or never finished.
    static QByteArray fold(const QByteArray &sse, QString *error);
};

} // namespace relay
