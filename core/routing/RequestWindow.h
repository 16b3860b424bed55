#pragma once

#include "config/KeyConfig.h"

#include <QList>

namespace relay {

// The requests one key has started in the last minute (RPM) and since its provider's day began
// (RPD), and the tokens it was reported to use in the last minute (TPM). The store restores it
// after a restart from its per-minute counts.
class RequestWindow
{
public:
    void note(qint64 nowMs, qint64 dayStartMs);
    void noteTokens(qint64 nowMs, qint64 tokens);
    // Counts recorded at atMs before a restart (oldest first).
    void restore(qint64 atMs, int requests, qint64 tokens, qint64 nowMs, qint64 dayStartMs);
    int lastMinute(qint64 nowMs) const;
    qint64 tokensLastMinute(qint64 nowMs) const;
    int today(qint64 dayStartMs) const { return m_dayStartMs == dayStartMs ? m_today : 0; }
    // When a key at one of its limits may be used again: 0 if it may now; otherwise the epoch
    // ms, with *why naming the limit.
    qint64 freeAtMs(const KeyLimits &limits, qint64 nowMs, qint64 dayStartMs, qint64 nextResetMs,
                    QString *why) const;

private:
    mutable QList<qint64> m_starts; // within the last minute, oldest first
    void addTokens(qint64 atMs, qint64 tokens);
    // Tokens per second (start of the second, how many), oldest first, and their sum: a busy
    // key notes thousands of requests a minute, and the sum is read on every routing decision.
    mutable QList<QPair<qint64, qint64>> m_tokens;
    mutable qint64 m_tokenSum = 0;
    qint64 m_dayStartMs = 0;
    int m_today = 0;
};

} // namespace relay
