#pragma once

#include "types/ApiError.h"

#include <QJsonObject>
#include <QString>

namespace relay {

// What the client asked for: the API it speaks decides which translation each upstream type
// needs (ProtocolBridge).
enum class CallKind {
    Chat, // POST /v1/chat/completions
    Messages, // POST /v1/messages
    CountTokens, // POST /v1/messages/count_tokens
    Responses, // POST /v1/responses
    Gemini, // POST /v1beta/models/{model}:generateContent or :streamGenerateContent
    GeminiCountTokens, // POST /v1beta/models/{model}:countTokens
    Passthrough, // any other /v1/ path, relayed as it is
};

// What the front decided about a request before it is relayed.
struct RelayCall
{
    QString model; // as the client named it
    ClientFormat format = ClientFormat::OpenAi;
    CallKind kind = CallKind::Passthrough;
    QJsonObject body; // the client's body, parsed (not for Passthrough)
    bool stream = false;
    bool includeUsage = false; // an OpenAI client asked for the usage chunk
    // Set by a route of the config (TraitRouter): the only upstream allowed, and the trait and
    // client's model name that sent `model` elsewhere.
    QString upstream;
    QString route;
    QString clientModel;
};

} // namespace relay
