#pragma once

#include <QString>
#include <QTime>
#include <QTimeZone>

namespace relay {

// When a provider's daily quota resets: a time of day in a time zone ("00:00 UTC", or
// "00:00 America/Los_Angeles" for providers that count days in Pacific time).
struct DailyReset
{
    QTime time = QTime(0, 0);
    QTimeZone zone = QTimeZone::utc();

    // Parses "HH:MM" with an optional IANA zone id (UTC when absent); false if it is not one.
    static bool parse(const QString &text, DailyReset *out);
    QString toString() const;
    // The reset instant that began the current day, and the next one (epoch ms).
    qint64 dayStartMs(qint64 nowMs) const;
    qint64 nextResetMs(qint64 nowMs) const;
};

} // namespace relay
