#include "DailyReset.h"

#include <QDateTime>
#include <QRegularExpression>

namespace relay {

bool DailyReset::parse(const QString &text, DailyReset *out)
{
    static const QRegularExpression re(QStringLiteral("^(\\d{1,2}):(\\d{2})(?:\\s+(\\S+))?$"));
    const auto match = re.match(text.trimmed());
    if (!match.hasMatch())
        return false;
    const QTime time(match.captured(1).toInt(), match.captured(2).toInt());
    const QByteArray zoneId = match.captured(3).toUtf8();
    const QTimeZone zone = zoneId.isEmpty() ? QTimeZone::utc() : QTimeZone(zoneId);
    if (!time.isValid() || !zone.isValid())
        return false;
    out->time = time;
    out->zone = zone;
    return true;
}

QString DailyReset::toString() const
{
    return time.toString(QStringLiteral("HH:mm")) + u' ' + QString::fromUtf8(zone.id());
}

qint64 DailyReset::dayStartMs(qint64 nowMs) const
{
    const QDateTime now = QDateTime::fromMSecsSinceEpoch(nowMs, zone);
    QDateTime start(now.date(), time, zone);
    if (start > now)
        start = QDateTime(now.date().addDays(-1), time, zone);
    return start.toMSecsSinceEpoch();
}

qint64 DailyReset::nextResetMs(qint64 nowMs) const
{
    const QDateTime start = QDateTime::fromMSecsSinceEpoch(dayStartMs(nowMs), zone);
    // A calendar day later, not 24 hours: days around a DST change are 23 or 25 hours long.
    return QDateTime(start.date().addDays(1), time, zone).toMSecsSinceEpoch();
}

} // namespace relay
