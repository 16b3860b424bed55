#include "RequestWindow.h"

#include <QDateTime>

namespace relay {

namespace {
constexpr qint64 kMinuteMs = 60 * 1000;
}

void RequestWindow::note(qint64 nowMs, qint64 dayStartMs)
{
    lastMinute(nowMs); // drops what has left the window
    m_starts.append(nowMs);
    if (m_dayStartMs != dayStartMs) {
        m_dayStartMs = dayStartMs;
        m_today = 0;
    }
    ++m_today;
}

void RequestWindow::addTokens(qint64 atMs, qint64 tokens)
{
    const qint64 second = atMs - atMs % 1000;
    if (!m_tokens.isEmpty() && m_tokens.constLast().first == second)
        m_tokens.last().second += tokens;
    else
        m_tokens.append({ second, tokens });
    m_tokenSum += tokens;
}

void RequestWindow::noteTokens(qint64 nowMs, qint64 tokens)
{
    if (tokens <= 0)
        return;
    tokensLastMinute(nowMs);
    addTokens(nowMs, tokens);
}

void RequestWindow::restore(qint64 atMs, int requests, qint64 tokens, qint64 nowMs,
                            qint64 dayStartMs)
{
    if (atMs > nowMs - kMinuteMs) {
        for (int i = 0; i < requests; ++i)
            m_starts.append(atMs);
        if (tokens > 0)
            addTokens(atMs, tokens);
    }
    if (atMs >= dayStartMs) {
        if (m_dayStartMs != dayStartMs) {
            m_dayStartMs = dayStartMs;
            m_today = 0;
        }
        m_today += requests;
    }
}

qint64 RequestWindow::tokensLastMinute(qint64 nowMs) const
{
    // A second's tokens leave once all of that second is over a minute old.
    while (!m_tokens.isEmpty() && m_tokens.constFirst().first + 1000 <= nowMs - kMinuteMs) {
        m_tokenSum -= m_tokens.constFirst().second;
        m_tokens.removeFirst();
    }
    return m_tokenSum;
}

int RequestWindow::lastMinute(qint64 nowMs) const
{
    while (!m_starts.isEmpty() && m_starts.constFirst() <= nowMs - kMinuteMs)
        m_starts.removeFirst();
    return static_cast<int>(m_starts.size());
}

qint64 RequestWindow::freeAtMs(const KeyLimits &limits, qint64 nowMs, qint64 dayStartMs,
                               qint64 nextResetMs, QString *why) const
{
    if (limits.rpd > 0 && today(dayStartMs) >= limits.rpd) {
        *why = QStringLiteral("at its daily limit (rpd %1) until %2")
                   .arg(limits.rpd)
                   .arg(QDateTime::fromMSecsSinceEpoch(nextResetMs).toUTC().toString(Qt::ISODate));
        return nextResetMs;
    }
    const int minute = lastMinute(nowMs);
    if (limits.rpm > 0 && minute >= limits.rpm) {
        // Free once enough of the minute's starts have aged out.
        const qint64 at = m_starts.at(minute - limits.rpm) + kMinuteMs;
        *why = QStringLiteral("at its per-minute limit (rpm %1)").arg(limits.rpm);
        return at;
    }
    qint64 tokens = limits.tpm > 0 ? tokensLastMinute(nowMs) : 0;
    if (limits.tpm > 0 && tokens >= limits.tpm) {
        // Free once enough of the minute's tokens have aged out.
        for (const auto &[at, n] : std::as_const(m_tokens)) {
            tokens -= n;
            if (tokens < limits.tpm) {
                *why = QStringLiteral("at its per-minute token limit (tpm %1)").arg(limits.tpm);
                return at + 1000 + kMinuteMs;
            }
        }
    }
    return 0;
}

} // namespace relay
