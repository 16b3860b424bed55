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

    void forgetKeysExcept(const QSet<QString> &keyRefs);
    void forgetUpstreamsExcept(const QSet<QString> &upstreamIds);

private:
    QHash<QString, Health> m_keys;
    QHash<QString, Health> m_upstreams;
};

} // namespace relay
