#pragma once

#include <QString>
#include <optional>

namespace relay {

enum class Strategy { RoundRobin, Random, Weighted, Priority, LeastInflight };

QString strategyName(Strategy strategy);
std::optional<Strategy> strategyFromName(const QString &name);

} // namespace relay
