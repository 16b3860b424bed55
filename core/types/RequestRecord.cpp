#include "RequestRecord.h"

namespace relay {

namespace {
QString orDash(const QString &s)
{
    return s.isEmpty() ? QStringLiteral("-") : s;
}
} // namespace

QString RequestRecord::toLogLine() const
{
    QString line = QString::fromLatin1(method) + u' ' + path + u" model=" + orDash(model)
        + u" upstream=" + orDash(upstream) + u" key=" + orDash(keyLabel) + u" status="
        + QString::number(status) + u" attempts=" + QString::number(attempts) + u" latency_ms="
        + QString::number(latencyMs) + u" ttfb_ms="
        + (firstByteMs < 0 ? QStringLiteral("-") : QString::number(firstByteMs)) + u" bytes="
        + QString::number(bytes) + u" tokens_in=" + QString::number(tokensIn) + u" tokens_out="
        + QString::number(tokensOut) + (stream ? u" stream" : u"");
    if (!route.isEmpty())
        line += u" route=" + route;
    if (!error.isEmpty())
        line += u" error=\"" + error + u'"';
    return line;
}

} // namespace relay
