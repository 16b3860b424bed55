#pragma once

#include "RelayCall.h"
#include "config/RouteRule.h"

#include <QJsonObject>
#include <QList>

namespace relay {

// Which of the config's routes a request takes: its traits are read from the client's body,
// each only when a rule asks about it, in the format the client speaks.
class TraitRouter
{
public:
    // The first rule the call matches, or null; only chat, Messages, Responses and
    // Gemini generate calls.
    static const RouteRule *match(const QList<RouteRule> &routes, const RelayCall &call);

    static bool wantsThinking(const RelayCall &call);
    static bool hasImages(const RelayCall &call);
    // About four characters per token over the body's strings, leaving out inline file data
    // (base64 images and documents), which providers count otherwise.
    static qint64 estimatedInputTokens(const QJsonObject &body);
};

} // namespace relay
