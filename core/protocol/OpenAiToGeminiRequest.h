#pragma once

#include "TranslatedRequest.h"

namespace relay {

// OpenAI Chat Completions request -> Gemini generateContent request (the model goes in the
// URL, not the body).
//
// system/developer messages -> systemInstruction; user/assistant -> "user"/"model" contents
// (neighbours of the same role merged); tool_calls -> functionCall parts carrying their
// thoughtSignature (extra_content.google.thought_signature, or the message's
// reasoning_signature); the first call of a turn that has none gets Google's documented
// "skip_thought_signature_validator", so replayed history from other models is accepted;
// tool messages -> functionResponse parts named after the call they answer; images ->
// inlineData (data: URLs) or fileData (http URLs); tools -> functionDeclarations with cleaned
// schemas (GeminiSchema); sampling fields -> generationConfig; reasoning_effort (or the
// "reasoning_budget" a previous translation left) -> thinkingConfig with thoughts included.
class OpenAiToGeminiRequest
{
public:
    static constexpr const char *kSkipSignature = "skip_thought_signature_validator";

    static TranslatedRequest translate(const QJsonObject &request);
};

} // namespace relay
