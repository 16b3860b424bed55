#pragma once

#include <QString>
#include <QStringList>
#include <optional>

namespace relay {

// One entry of the config's "routes": requests with a trait go to a model (and, if named, an
// upstream) of the user's choice instead of the one the client asked for. The first rule that
// matches wins, in file order.
struct RouteRule
{
    enum class Trait {
        Thinking, // the client asked the model to reason (reasoning_effort, thinking, reasoning)
        Images, // an image anywhere in the conversation
        LongInput, // estimated input tokens over `tokens`
        Background, // a client's small fast model (Claude Code's haiku requests)
    };

    Trait trait = Trait::Thinking;
    int tokens = 60000; // LongInput
    QStringList models { QStringLiteral("claude-*haiku*") }; // Background: names it catches
    QString model; // the model the request is relayed as
    QString upstream; // the only upstream it may go to; empty: any that serves `model`
};

// The names used in the config's "when": thinking, images, longInput, background.
QString routeTraitName(RouteRule::Trait trait);
std::optional<RouteRule::Trait> routeTraitFromName(const QString &name);

} // namespace relay
