#pragma once

#include <QByteArray>
#include <QString>

namespace relay {

// A whole OpenAI chat completion (upstream) as an Anthropic Messages response (client):
// reasoning_content -> thinking block, content -> text block, tool_calls -> tool_use blocks
// with parsed input, finish_reason -> stop_reason, usage -> input/output/cache-read tokens.
class OpenAiToAnthropicResponse
{
public:
    // On failure returns an empty array and sets *error (e.g. tool arguments that are not JSON).
    static QByteArray translate(const QByteArray &openAiBody, const QString &model, QString *error);
};

} // namespace relay
