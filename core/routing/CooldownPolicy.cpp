#include "CooldownPolicy.h"

#include <QDateTime>
#include <QJsonDocument>
#include <QJsonObject>
#include <algorithm>
#include <cctype>

namespace relay {

namespace {
QByteArray headerValue(const HeaderList &headers, const QByteArray &lowerName)
{
    for (const auto &[name, value] : headers) {
        if (name.toLower() == lowerName)
            return value.trimmed();
    }
    return {};
}

std::optional<qint64> parseHttpDateMs(const QByteArray &text)
{
    // IMF-fixdate ("Wed, 21 Oct 2015 07:28:00 GMT") is a subset of RFC 2822.
    // Qt's RFC 2822 parser wants a numeric zone.
    QString value = QString::fromLatin1(text);
    if (value.endsWith(QStringLiteral(" GMT")))
        value = value.chopped(3) + QStringLiteral("+0000");
    const QDateTime t = QDateTime::fromString(value, Qt::RFC2822Date);
    if (!t.isValid())
        return std::nullopt;
    return t.toMSecsSinceEpoch();
}
} // namespace

std::optional<qint64> CooldownPolicy::parseDurationMs(const QByteArray &text)
{
    if (text.isEmpty())
        return std::nullopt;
    double total = 0;
    qsizetype i = 0;
    bool any = false;
    while (i < text.size()) {
        qsizetype start = i;
        while (i < text.size()
               && (std::isdigit(static_cast<unsigned char>(text.at(i))) || text.at(i) == '.'))
            ++i;
        if (start == i)
            return std::nullopt;
        bool ok = false;
        const double number = text.mid(start, i - start).toDouble(&ok);
        if (!ok)
            return std::nullopt;
        qsizetype unitStart = i;
        while (i < text.size() && std::isalpha(static_cast<unsigned char>(text.at(i))))
            ++i;
        const QByteArray unit = text.mid(unitStart, i - unitStart);
        if (unit == "ms")
            total += number;
        else if (unit == "s" || unit.isEmpty())
            total += number * 1000;
        else if (unit == "m")
            total += number * 60000;
        else if (unit == "h")
            total += number * 3600000;
        else
            return std::nullopt;
        any = true;
    }
    if (!any)
        return std::nullopt;
    return static_cast<qint64>(total);
}

std::optional<qint64> CooldownPolicy::providerResetMs(const HeaderList &headers, qint64 nowMs)
{
    const QByteArray retryAfter = headerValue(headers, "retry-after");
    if (!retryAfter.isEmpty()) {
        bool ok = false;
        const double seconds = retryAfter.toDouble(&ok);
        if (ok && seconds >= 0)
            return nowMs + static_cast<qint64>(seconds * 1000);
        if (const auto at = parseHttpDateMs(retryAfter))
            return std::max(*at, nowMs);
    }

    // Prefer the reset of whichever budget is exhausted; else the soonest reset given.
    std::optional<qint64> exhausted;
    std::optional<qint64> soonest;
    auto consider = [&](qint64 at, const QByteArray &remainingHeader) {
        const QByteArray remaining = headerValue(headers, remainingHeader);
        if (remaining == "0")
            exhausted = std::max(exhausted.value_or(at), at);
        soonest = std::min(soonest.value_or(at), at);
    };
    for (const char *kind : { "requests", "tokens" }) {
        const QByteArray reset = headerValue(headers, "x-ratelimit-reset-" + QByteArray(kind));
        if (const auto ms = parseDurationMs(reset))
            consider(nowMs + *ms, "x-ratelimit-remaining-" + QByteArray(kind));
    }
    for (const char *kind : { "requests", "tokens", "input-tokens", "output-tokens" }) {
        const QByteArray prefix = "anthropic-ratelimit-" + QByteArray(kind);
        const QByteArray reset = headerValue(headers, prefix + "-reset");
        if (reset.isEmpty())
            continue;
        const QDateTime at = QDateTime::fromString(QString::fromLatin1(reset), Qt::ISODateWithMs);
        if (at.isValid())
            consider(std::max(at.toMSecsSinceEpoch(), nowMs), prefix + "-remaining");
    }
    return exhausted ? exhausted : soonest;
}

bool CooldownPolicy::isQuotaExhausted(const QByteArray &body)
{
    const QJsonObject error = QJsonDocument::fromJson(body).object().value(u"error").toObject();
    const QString code = error.value(u"code").toString();
    const QString type = error.value(u"type").toString();
    if (code == u"insufficient_quota" || type == u"insufficient_quota")
        return true;
    return body.contains("insufficient_quota") || body.contains("exceeded your current quota");
}

qint64 CooldownPolicy::backoffMs(int level, const RetrySettings &retry)
{
    const int shift = std::clamp(level, 0, 30);
    const qint64 ms = static_cast<qint64>(retry.backoffBaseMs) << shift;
    return std::min<qint64>(ms, retry.backoffMaxMs);
}

void CooldownPolicy::coolDown(Health &health, int status, const HeaderList &headers,
                              const QByteArray &body, const QString &cause,
                              const RetrySettings &retry, qint64 nowMs)
{
    ++health.failures;
    health.lastStatus = status;
    if (status == 429 && isQuotaExhausted(body)) {
        health.cooldownUntilMs = nowMs + qint64(retry.quotaCooldownSeconds) * 1000;
        health.cooldownReason = QStringLiteral("quota exhausted");
    } else if (const auto reset = providerResetMs(headers, nowMs)) {
        health.cooldownUntilMs = *reset;
        health.cooldownReason = QStringLiteral("rate limited until the provider's reset time");
    } else {
        health.cooldownUntilMs = nowMs + backoffMs(health.backoffLevel++, retry);
        health.cooldownReason = cause + QStringLiteral(", backing off");
    }
}

} // namespace relay
