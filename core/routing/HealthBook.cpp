#include "HealthBook.h"

namespace relay {

namespace {
void retain(QHash<QString, Health> &map, const QSet<QString> &keep)
{
    for (auto it = map.begin(); it != map.end();) {
        if (keep.contains(it.key()) || it->inflight > 0)
            ++it;
        else
            it = map.erase(it);
    }
}
} // namespace

const Health *HealthBook::coolingFor(const QString &keyRef, const QString &model,
                                     qint64 nowMs) const
{
    const auto key = m_keys.constFind(keyRef);
    if (key != m_keys.cend() && key->coolingAt(nowMs))
        return &*key;
    const auto models = m_keyModels.constFind(keyRef);
    if (models == m_keyModels.cend() || model.isEmpty())
        return nullptr;
    const auto entry = models->constFind(model);
    return entry != models->cend() && entry->coolingAt(nowMs) ? &*entry : nullptr;
}

void HealthBook::forgetKeysExcept(const QSet<QString> &keyRefs)
{
    retain(m_keys, keyRefs);
    for (auto it = m_keyModels.begin(); it != m_keyModels.end();) {
        if (keyRefs.contains(it.key()))
            ++it;
        else
            it = m_keyModels.erase(it);
    }
}

void HealthBook::forgetUpstreamsExcept(const QSet<QString> &upstreamIds)
{
    retain(m_upstreams, upstreamIds);
}

} // namespace relay
