#include "RelaySnapshot.h"

namespace relay {

QString keyStateName(KeyState state)
{
    switch (state) {
    case KeyState::Ok:
        return QStringLiteral("ok");
    case KeyState::Limited:
        return QStringLiteral("limited");
    case KeyState::Cooldown:
        return QStringLiteral("cooldown");
    case KeyState::Invalid:
        return QStringLiteral("invalid");
    case KeyState::Disabled:
        return QStringLiteral("disabled");
    case KeyState::MissingSecret:
        return QStringLiteral("missing-secret");
    }
    return {};
}

QString relayStateName(RelayState state)
{
    switch (state) {
    case RelayState::Starting:
        return QStringLiteral("starting");
    case RelayState::Healthy:
        return QStringLiteral("healthy");
    case RelayState::Degraded:
        return QStringLiteral("degraded");
    case RelayState::Down:
        return QStringLiteral("down");
    case RelayState::Paused:
        return QStringLiteral("paused");
    case RelayState::Stopped:
        return QStringLiteral("stopped");
    }
    return {};
}

int RelaySnapshot::usableKeys() const
{
    int n = 0;
    for (const UpstreamSnapshot &u : upstreams) {
        for (const KeySnapshot &k : u.keys)
            n += u.enabled && k.usable() ? 1 : 0;
    }
    return n;
}

int RelaySnapshot::unusableKeys() const
{
    int n = 0;
    for (const UpstreamSnapshot &u : upstreams) {
        for (const KeySnapshot &k : u.keys)
            n += u.enabled && k.enabled && !k.usable() ? 1 : 0;
    }
    return n;
}

} // namespace relay
