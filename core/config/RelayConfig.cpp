#include "RelayConfig.h"

namespace relay {

const UpstreamConfig *RelayConfig::upstream(const QString &id) const
{
    for (const UpstreamConfig &u : upstreams) {
        if (u.id == id)
            return &u;
    }
    return nullptr;
}

} // namespace relay
