#include "Strategy.h"

#include <array>
#include <utility>

namespace relay {

namespace {
const std::array<std::pair<Strategy, const char16_t *>, 5> kNames { {
    { Strategy::RoundRobin, u"round-robin" },
    { Strategy::Random, u"random" },
    { Strategy::Weighted, u"weighted" },
    { Strategy::Priority, u"priority" },
    { Strategy::LeastInflight, u"least-inflight" },
} };
}

QString strategyName(Strategy strategy)
{
    for (const auto &[value, name] : kNames) {
        if (value == strategy)
            return QString::fromUtf16(name);
    }
    return {};
}

std::optional<Strategy> strategyFromName(const QString &name)
{
    for (const auto &[value, text] : kNames) {
        if (name == QString::fromUtf16(text))
            return value;
    }
    return std::nullopt;
}

} // namespace relay
