#include "RouteRule.h"

#include <array>
#include <utility>

namespace relay {

namespace {
const std::array<std::pair<RouteRule::Trait, const char16_t *>, 4> kNames { {
    { RouteRule::Trait::Thinking, u"thinking" },
    { RouteRule::Trait::Images, u"images" },
    { RouteRule::Trait::LongInput, u"longInput" },
    { RouteRule::Trait::Background, u"background" },
} };
}

QString routeTraitName(RouteRule::Trait trait)
{
    for (const auto &[value, name] : kNames) {
        if (value == trait)
            return QString::fromUtf16(name);
    }
    return {};
}

std::optional<RouteRule::Trait> routeTraitFromName(const QString &name)
{
    for (const auto &[value, text] : kNames) {
        if (name == QString::fromUtf16(text))
            return value;
    }
    return std::nullopt;
}

} // namespace relay
