#pragma once

#include "TranslatedRequest.h"

#include <QHash>

namespace relay {

// OpenAI Responses API request -> OpenAI Chat Completions request, for upstreams that serve only
// chat completions (and, through them, Anthropic and Gemini).
//
// `instructions` becomes the first system message; input items become messages: "message"
// items by role ("developer" as "system"), consecutive "function_call" items one assistant
// turn's tool_calls, "function_call_output" items tool messages, and "reasoning" items the next
// assistant turn's reasoning_content. Function tools are unwrapped; the functions of a
// "namespace" tool are offered under qualifiedName(). Hosted tools the provider would run
// (web_search and the like) cannot run anywhere but at OpenAI and are left out, listed in
// droppedTools(); every other item or tool type that has no chat equivalent is an error.
// `store`, `include`, `prompt_cache_key` and other bookkeeping fields have no chat meaning.
//
// With `keepSignatures` (the result goes on to the Anthropic or Gemini translator) the
// provider signatures the relay sealed into reasoning items' encrypted_content come back out: a
// signed function call's (Gemini) onto the call as extra_content.google.thought_signature, a
// signed turn's (Anthropic thinking) as the message's "reasoning_signature". Encrypted content
// the relay did not write is OpenAI's own and is dropped: no other provider can read it.
class ResponsesToChatRequest
{
public:
    static TranslatedRequest translate(const QJsonObject &request, bool keepSignatures = false);
    // The chat function name for a function of a namespace tool.
    static QString qualifiedName(const QString &nameSpace, const QString &name);
    // Chat function name -> {namespace, name} for the namespace tools of a request.
    static QHash<QString, QPair<QString, QString>> namespacedFunctions(const QJsonObject &request);
    // The hosted tool types translate() leaves out of this request.
    static QStringList droppedTools(const QJsonObject &request);

    // How a provider signature travels in encrypted_content: a kind prefix, then the signature.
    static constexpr const char *kCallSignature = "llm-relay.call-signature.";
    static constexpr const char *kTurnSignature = "llm-relay.turn-signature.";
    static QString sealSignature(const char *kind, const QString &signature);
    // The signature in a sealed encrypted_content; false for anything the relay did not seal.
    static bool openSignature(const QString &sealed, QString *signature);
};

} // namespace relay
