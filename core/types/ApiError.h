#pragma once

#include <QByteArray>
#include <QString>

namespace relay {

// The API a client speaks; errors go back in that API's format.
// The API a client speaks, for its errors: the Responses API has OpenAI's error body and its
// own stream error event.
enum class ClientFormat { OpenAi, Anthropic, Responses };

// An error for the client: OpenAI {"error":{"message","type","param","code"}} or Anthropic
// {"type":"error","error":{"type","message"}}.
struct ApiError
{
    int status = 500;
    QString code;
    QString message;

    QByteArray toJson(ClientFormat format = ClientFormat::OpenAi) const;
    // A server-sent event carrying this error, for failures after a stream has begun.
    QByteArray toSseEvent(ClientFormat format = ClientFormat::OpenAi) const;
    QString type() const;
    QString anthropicType() const;
};

} // namespace relay
