#pragma once

#include <QByteArray>
#include <QString>

namespace relay {

// A whole Anthropic Messages response (upstream) as an OpenAI chat completion (client):
// text blocks -> content, thinking -> reasoning_content (+ reasoning_signature), tool_use ->
// tool_calls with JSON-string arguments, stop_reason -> finish_reason, usage -> prompt and
// completion tokens with cache reads as cached tokens.
class AnthropicToOpenAiResponse
{
public:
    // On failure returns an empty array and sets *error.
    static QByteArray translate(const QByteArray &anthropicBody, const QString &model,
                                QString *error);
};

} // namespace relay
