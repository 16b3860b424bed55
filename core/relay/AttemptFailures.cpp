#include "AttemptFailures.h"

#include <algorithm>

namespace relay {

void AttemptFailures::add(Kind kind, const QString &note)
{
    m_kinds.append(kind);
    m_notes.append(note);
}

bool AttemptFailures::all(Kind kind) const
{
    return std::all_of(m_kinds.cbegin(), m_kinds.cend(), [kind](Kind k) { return k == kind; });
}

ApiError AttemptFailures::verdict(const QString &model, const RoutePlan &now, qint64 nowMs,
                                  qint64 *retryAtMs) const
{
    *retryAtMs = 0;
    if (m_kinds.isEmpty()) {
        *retryAtMs = now.retryAtMs;
        if (now.ok())
            return { 503, QStringLiteral("no_usable_key"),
                     QStringLiteral("No usable key could be selected; retry.") };
        return { now.errorStatus, now.errorCode, now.errorMessage };
    }
    const QString summary = QStringLiteral("All %1 attempt(s) for \"%2\" failed: %3")
                                .arg(m_kinds.size())
                                .arg(model, m_notes.join(QStringLiteral("; ")));
    if (all(Kind::RateLimited) || (m_kinds.contains(Kind::RateLimited) && now.errorStatus == 429)) {
        *retryAtMs = now.errorStatus == 429 ? now.retryAtMs : nowMs + 1000;
        return { 429, QStringLiteral("all_keys_rate_limited"),
                 summary + QStringLiteral(". Retry after the time in the Retry-After header.") };
    }
    if (all(Kind::Timeout))
        return { 504, QStringLiteral("upstream_timeout"), summary };
    return { 502, QStringLiteral("upstream_failed"), summary };
}

} // namespace relay
