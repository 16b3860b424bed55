#pragma once

#include "config/UpstreamConfig.h"

#include <QList>
#include <QString>

namespace relay {

// The upstreams that may serve one request, in the order to try them. Copies, so a config
// reload during the request changes nothing for it.
struct RoutePlan
{
    QString model;
    QList<UpstreamConfig> upstreams;

    // Set when no upstream can serve the request now.
    int errorStatus = 0;
    QString errorCode;
    QString errorMessage;
    qint64 retryAtMs = 0; // when every candidate is cooling down: the earliest recovery

    bool ok() const { return !upstreams.isEmpty(); }
};

} // namespace relay
