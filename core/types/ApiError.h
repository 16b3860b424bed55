#pragma once

#include <QByteArray>
#include <QString>

namespace relay {

// The API a client speaks, for its errors: the Responses API has OpenAI's error body and its
// own stream error event.
enum class ClientFormat { OpenAi, Anthropic, Responses, Gemini };

// An error for the client: OpenAI {"error":{"message","type","param","code"}}, Anthropic
// {"type":"error","error":{"type","message"}} or Gemini {"error":{"code","message","status"}}.
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
    QString googleStatus() const; // Google's canonical code: "INVALID_ARGUMENT", ...
};

} // namespace relay
