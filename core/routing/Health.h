#pragma once

#include "RequestWindow.h"

#include <QString>

namespace relay {

// What the relay has learnt about one key or one upstream from recent attempts.
struct Health
{
    bool invalid = false; // 401/403: excluded until the user changes or re-enables the key
    QString invalidReason;
    qint64 cooldownUntilMs = 0; // epoch ms
    QString cooldownReason;
    int backoffLevel = 0;
    int inflight = 0;
    quint64 requests = 0;
    quint64 successes = 0;
    quint64 failures = 0;
    int lastStatus = 0;
    QString lastError; // the last failed attempt, as the exchange noted it
    RequestWindow window; // keys only: requests started, for RPM/RPD limits

    bool coolingAt(qint64 nowMs) const { return cooldownUntilMs > nowMs; }
};

} // namespace relay
