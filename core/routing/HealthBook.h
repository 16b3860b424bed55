#pragma once

#include "Health.h"

#include <QHash>
#include <QSet>

namespace relay {

// Health of every key and upstream, keyed by KeyStore ref ("upstream/key") or upstream id.
// Survives config reloads for the entries that still exist.
class HealthBook
{
public:
    Health &key(const QString &keyRef) { return m_keys[keyRef]; }
    Health keyAt(const QString &keyRef) const { return m_keys.value(keyRef); }
    Health &upstream(const QString &upstreamId) { return m_upstreams[upstreamId]; }
    Health upstreamAt(const QString &upstreamId) const { return m_upstreams.value(upstreamId); }
    // One key's cooldown for one model (the upstream's name for it): where a provider limits
    // each model apart (OpenAI, Gemini), a 429 for one model leaves the key in use for others.
    Health &keyModel(const QString &keyRef, const QString &model)
    {
        return m_keyModels[keyRef][model];
    }
    QHash<QString, Health> keyModelsAt(const QString &keyRef) const
    {
        return m_keyModels.value(keyRef);
    }
    // The key's own cooldown (0 if none), else its cooldown for `model`.
    const Health *coolingFor(const QString &keyRef, const QString &model, qint64 nowMs) const;

    void forgetKeysExcept(const QSet<QString> &keyRefs);
    void forgetUpstreamsExcept(const QSet<QString> &upstreamIds);

private:
    QHash<QString, Health> m_keys;
    QHash<QString, Health> m_upstreams;
    QHash<QString, QHash<QString, Health>> m_keyModels;
};

} // namespace relay
