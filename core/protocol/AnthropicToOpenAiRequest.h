#pragma once

#include "TranslatedRequest.h"

namespace relay {

// Anthropic Messages request -> OpenAI Chat Completions request.
//
// system (string or text blocks; cache_control has no OpenAI equivalent and is dropped) becomes
// the first message; tool_use blocks become tool_calls with JSON-string arguments; tool_result
// blocks become "tool" messages placed right after the assistant turn (is_error is kept as an
// "Error: " prefix; images in results follow in a user message); thinking blocks become
// reasoning_content (DeepSeek/Kimi convention) so providers that need them back get them;
// images become image_url parts (base64 as data: URLs). thinking.budget_tokens and top_k have
// no portable OpenAI field and are not sent.
//
// With `keepSignatures` (the result goes on to another translator, not to an OpenAI server)
// thinking signatures are kept: on the tool call that follows them as
// extra_content.google.thought_signature, otherwise as the message's "reasoning_signature";
// and a thinking budget is kept as "reasoning_budget".
class AnthropicToOpenAiRequest
{
public:
    static TranslatedRequest translate(const QJsonObject &request, bool keepSignatures = false);
    // Parses the body first; malformed JSON is reported, never guessed at.
    static TranslatedRequest translate(const QByteArray &json, bool keepSignatures = false);
};

} // namespace relay
