#pragma once

#include <QByteArray>
#include <QString>

namespace relay {

// Errors in OpenAI's format: {"error":{"message","type","param","code"}}.
struct ApiError
{
    int status = 500;
    QString code;
    QString message;

    QByteArray toJson() const;
    // A server-sent event carrying this error, for failures after a stream has begun.
    QByteArray toSseEvent() const;
    QString type() const;
};

} // namespace relay
