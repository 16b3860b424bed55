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

void HealthBook::forgetKeysExcept(const QSet<QString> &keyRefs)
{
    retain(m_keys, keyRefs);
}

void HealthBook::forgetUpstreamsExcept(const QSet<QString> &upstreamIds)
{
    retain(m_upstreams, upstreamIds);
}

} // namespace relay
