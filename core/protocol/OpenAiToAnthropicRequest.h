#pragma once

#include "TranslatedRequest.h"

namespace relay {

// OpenAI Chat Completions request -> Anthropic Messages request.
//
// system and developer messages become "system" (wherever they stood); tool messages become
// tool_result blocks in a user turn (consecutive ones share it); tool_calls become tool_use
// blocks with parsed input; reasoning_content with a reasoning_signature becomes a signed
// thinking block (unsigned reasoning cannot be replayed to Anthropic and is dropped); images
// become base64 or url sources. max_tokens is required by Anthropic: max_completion_tokens or
// max_tokens, else kDefaultMaxTokens. reasoning_effort low/medium/high enables thinking with a
// budget of 1024/4096/16384 tokens (then temperature and top_p are not sent, as Anthropic
// requires), except when the last assistant turn called tools without a signed thinking block:
// Anthropic refuses thinking for such a turn, so that request goes without thinking. temperature is
// capped at 1 (Anthropic's range is 0-1). n > 1, non-text response_format, audio and file parts are
// refused with a clear error.
class OpenAiToAnthropicRequest
{
public:
    static constexpr int kDefaultMaxTokens = 8192;

    static TranslatedRequest translate(const QJsonObject &request);
};

} // namespace relay
