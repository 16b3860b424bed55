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
    return 0;
}

} // namespace relay
