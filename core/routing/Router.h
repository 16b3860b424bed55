#pragma once

#include "HealthBook.h"
#include "Picker.h"
#include "RoutePlan.h"
#include "config/RelayConfig.h"

namespace relay {

class KeyStore;

// Turns a model name into an ordered list of upstreams, and an upstream into an ordered list
// of usable keys, skipping what is disabled, invalid or cooling down.
class Router
{
public:
    Router(HealthBook &health, Picker &picker, const KeyStore &keys);

    // `types`: the upstream types that can take the request (upstreamTypeBit() flags);
    // `onlyUpstream`: the id of the one upstream allowed (a route's), if any.
    RoutePlan plan(const RelayConfig &config, const QString &model, qint64 nowMs,
                   unsigned types = kAnyUpstreamType, const QString &onlyUpstream = {});
    // `model`: as the client named it; keys cooling down for it (per-model 429s) are left out.
    QList<KeyConfig> orderKeys(Strategy strategy, const UpstreamConfig &upstream,
                               const QString &model, qint64 nowMs);

    // When a key at its RPM or RPD limit frees up (0: it is not at one), and why.
    qint64 limitFreeAtMs(const UpstreamConfig &upstream, const KeyConfig &key, qint64 nowMs,
                         QString *why) const;

private:
    QList<KeyConfig> usableKeys(const UpstreamConfig &upstream, const QString &model,
                                qint64 nowMs) const;

    HealthBook &m_health;
    Picker &m_picker;
    const KeyStore &m_keys;
};

} // namespace relay
