#pragma once

#include "Health.h"
#include "config/RelayConfig.h"
#include "types/IncomingRequest.h"

#include <QByteArray>
#include <optional>

namespace relay {

// How long a key (or upstream) stays out of rotation after a failure.
class CooldownPolicy
{
public:
    // When the provider told us when to come back: Retry-After (seconds or HTTP date),
    // OpenAI's x-ratelimit-reset-* durations, Anthropic's anthropic-ratelimit-*-reset times.
    static std::optional<qint64> providerResetMs(const HeaderList &headers, qint64 nowMs);
    // A 429 that means the account is out of credit rather than briefly throttled.
    static bool isQuotaExhausted(const QByteArray &body);
    static qint64 backoffMs(int level, const RetrySettings &retry);
    // Records a failed attempt on `health` and sets its cooldown: the quota cooldown for an
    // exhausted quota, else the provider's reset time, else exponential backoff. `cause` names
    // the failure in the status ("HTTP 503", "network failure").
    static void coolDown(Health &health, int status, const HeaderList &headers,
                         const QByteArray &body, const QString &cause, const RetrySettings &retry,
                         qint64 nowMs);
    // "1s", "6m0s", "20ms", "1h2m3.5s" -> milliseconds.
    static std::optional<qint64> parseDurationMs(const QByteArray &text);
};

} // namespace relay
