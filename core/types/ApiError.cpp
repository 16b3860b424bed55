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

QString ApiError::anthropicType() const
{
    switch (status) {
    case 400:
    case 405:
    case 415:
        return QStringLiteral("invalid_request_error");
    case 401:
        return QStringLiteral("authentication_error");
    case 403:
        return QStringLiteral("permission_error");
    case 404:
        return QStringLiteral("not_found_error");
    case 413:
        return QStringLiteral("request_too_large");
    case 429:
        return QStringLiteral("rate_limit_error");
    case 529:
        return QStringLiteral("overloaded_error");
    default:
        return QStringLiteral("api_error");
    }
}

QString ApiError::googleStatus() const
{
    switch (status) {
    case 400:
    case 405:
    case 413:
    case 415:
        return QStringLiteral("INVALID_ARGUMENT");
    case 401:
        return QStringLiteral("UNAUTHENTICATED");
    case 403:
        return QStringLiteral("PERMISSION_DENIED");
    case 404:
        return QStringLiteral("NOT_FOUND");
    case 409:
        return QStringLiteral("ABORTED");
    case 429:
        return QStringLiteral("RESOURCE_EXHAUSTED");
    case 502:
    case 503:
        return QStringLiteral("UNAVAILABLE");
    case 504:
        return QStringLiteral("DEADLINE_EXCEEDED");
    default:
        return QStringLiteral("INTERNAL");
    }
}

QByteArray ApiError::toJson(ClientFormat format) const
{
    if (format == ClientFormat::Gemini) {
        const QJsonObject error { { QStringLiteral("code"), status },
                                  { QStringLiteral("message"), message },
                                  { QStringLiteral("status"), googleStatus() } };
        return QJsonDocument(QJsonObject { { QStringLiteral("error"), error } })
            .toJson(QJsonDocument::Compact);
    }
    if (format == ClientFormat::Anthropic) {
        const QJsonObject error { { QStringLiteral("type"), anthropicType() },
                                  { QStringLiteral("message"), message } };
        return QJsonDocument(QJsonObject { { QStringLiteral("type"), QStringLiteral("error") },
                                           { QStringLiteral("error"), error } })
            .toJson(QJsonDocument::Compact);
    }
    const QJsonObject error { { QStringLiteral("message"), message },
                              { QStringLiteral("type"), type() },
                              { QStringLiteral("param"), QJsonValue::Null },
                              { QStringLiteral("code"), code } };
    return QJsonDocument(QJsonObject { { QStringLiteral("error"), error } })
        .toJson(QJsonDocument::Compact);
}

QByteArray ApiError::toSseEvent(ClientFormat format) const
{
    if (format == ClientFormat::Anthropic)
        return "event: error\ndata: " + toJson(format) + "\n\n";
    if (format == ClientFormat::Responses) {
        const QJsonObject event { { QStringLiteral("type"), QStringLiteral("error") },
                                  { QStringLiteral("code"), code },
                                  { QStringLiteral("message"), message },
                                  { QStringLiteral("param"), QJsonValue::Null } };
        return "event: error\ndata: " + QJsonDocument(event).toJson(QJsonDocument::Compact)
            + "\n\n";
    }
    return "data: " + toJson(format) + "\n\n";
}

} // namespace relay
