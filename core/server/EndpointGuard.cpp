#include "EndpointGuard.h"

#include <QHostAddress>

namespace relay {

bool EndpointGuard::hostAllowed(const QByteArray &hostHeader, const QStringList &allowedHosts)
{
    if (hostHeader.isEmpty())
        return true; // HTTP/1.0 clients; browsers always send Host
    QString host = QString::fromLatin1(hostHeader).trimmed().toLower();
    if (host.startsWith(u'[')) {
        host = host.mid(1, host.indexOf(u']') - 1);
    } else if (host.count(u':') == 1) {
        host = host.section(u':', 0, 0);
    }
    if (host.endsWith(u'.'))
        host.chop(1);
    // An address cannot be re-pointed by DNS; a name can.
    if (!QHostAddress(host).isNull() || host == u"localhost" || host.endsWith(u".localhost"))
        return true;
    for (const QString &allowed : allowedHosts) {
        const QString pattern = allowed.toLower();
        if (pattern == host || (pattern.startsWith(u"*.") && host.endsWith(pattern.mid(1))))
            return true;
    }
    return false;
}

bool EndpointGuard::originAllowed(const QByteArray &origin, const QStringList &corsOrigins)
{
    if (origin.isEmpty())
        return false;
    const QString value = QString::fromLatin1(origin).trimmed();
    for (const QString &allowed : corsOrigins) {
        if (allowed == u"*" || allowed.compare(value, Qt::CaseInsensitive) == 0)
            return true;
    }
    return false;
}

bool EndpointGuard::isPreflight(const IncomingRequest &request)
{
    return request.method == "OPTIONS" && !request.header("origin").isEmpty()
        && !request.header("access-control-request-method").isEmpty();
}

HeaderList EndpointGuard::preflightHeaders(const IncomingRequest &request)
{
    QByteArray allowHeaders = request.header("access-control-request-headers");
    if (allowHeaders.isEmpty())
        allowHeaders = "authorization, content-type, x-api-key, anthropic-version";
    HeaderList headers = responseHeaders(request.header("origin"));
    headers += { { "access-control-allow-methods", "GET, POST, PUT, PATCH, DELETE, OPTIONS" },
                 { "access-control-allow-headers", allowHeaders },
                 { "access-control-max-age", "600" } };
    // Chrome asks before a public page may reach a loopback or LAN address.
    if (request.header("access-control-request-private-network").toLower() == "true")
        headers.append({ QByteArrayLiteral("access-control-allow-private-network"),
                         QByteArrayLiteral("true") });
    return headers;
}

HeaderList EndpointGuard::responseHeaders(const QByteArray &origin)
{
    return { { "access-control-allow-origin", origin.trimmed() },
             { "vary", "Origin" },
             { "access-control-expose-headers",
               "retry-after, x-request-id, request-id, x-relay-upstream, x-relay-key" } };
}

} // namespace relay
