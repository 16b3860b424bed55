#include "ApiError.h"

#include <QJsonDocument>
#include <QJsonObject>

namespace relay {

QString ApiError::type() const
{
    switch (status) {
    case 400:
    case 404:
    case 405:
    case 413:
    case 415:
        return QStringLiteral("invalid_request_error");
    case 401:
        return QStringLiteral("authentication_error");
    case 403:
        return QStringLiteral("permission_error");
    case 429:
        return QStringLiteral("rate_limit_error");
    case 502:
    case 504:
        return QStringLiteral("upstream_error");
    default:
        return QStringLiteral("server_error");
    }
}

QByteArray ApiError::toJson() const
{
    const QJsonObject error { { QStringLiteral("message"), message },
                              { QStringLiteral("type"), type() },
                              { QStringLiteral("param"), QJsonValue::Null },
                              { QStringLiteral("code"), code } };
    return QJsonDocument(QJsonObject { { QStringLiteral("error"), error } })
        .toJson(QJsonDocument::Compact);
}

QByteArray ApiError::toSseEvent() const
{
    return "data: " + toJson() + "\n\n";
}

} // namespace relay
