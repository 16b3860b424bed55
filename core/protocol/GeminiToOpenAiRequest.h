#pragma once

#include "TranslatedRequest.h"

namespace relay {

// Gemini generateContent request -> OpenAI Chat Completions request, for Gemini-format clients
// (the Google SDKs, Gemini CLI) on upstreams of the other types. The model comes from the URL.
//
// systemInstruction -> the first system message; "user"/"model" contents -> user/assistant
// messages; functionCall parts -> tool_calls (the part's id, or "call_N" in order), and the
// functionResponse parts that answer them -> tool messages, matched by id or else by name in
// call order; thought parts -> reasoning_content; images (inlineData, fileData) -> image_url
// parts; functionDeclarations (parameters in Gemini's OpenAPI subset, or parametersJsonSchema)
// -> function tools with JSON Schema types; toolConfig -> tool_choice; generationConfig ->
// sampling fields and response_format. Tools Google runs itself (googleSearch, codeExecution,
// urlContext, ...) and content kept at Google (cachedContent) cannot be translated and are
// errors, as are parts with no chat equivalent.
//
// With `keepSignatures` (the result goes on to the Anthropic translator) thinkingConfig becomes
// reasoning_effort, and a signed Anthropic thinking turn sealed into a thoughtSignature by
// OpenAiToGeminiStream comes back as the assistant's reasoning_content and reasoning_signature.
class GeminiToOpenAiRequest
{
public:
    static TranslatedRequest translate(const QJsonObject &request, bool stream,
                                       bool keepSignatures = false);

    // A thinking turn (its text and the provider's signature) as an opaque thoughtSignature,
    // which Gemini clients send back with the function call it came with.
    static QString sealThinking(const QString &thinking, const QString &signature);
    // False for any signature the relay did not seal (Google's own).
    static bool openThinking(const QString &sealed, QString *thinking, QString *signature);
};

} // namespace relay
