#pragma once

#include "protocol/SseParser.h"

#include <QJsonObject>

namespace relay {

// Reads the token counts an upstream reports, in any of the three formats, from a whole JSON
// answer or from the stream as it passes: OpenAI "usage", Anthropic "usage" and
// "message.usage", the Responses API's "response.usage", Gemini "usageMetadata". Streams
// report running totals, so the largest wins.
class UsageMeter
{
public:
    void feedStream(const QByteArray &bytes);
    void feedWhole(const QByteArray &body);
    qint64 input() const { return m_input; }
    qint64 output() const { return m_output; }

private:
    void take(const QJsonObject &object);

    SseParser m_sse;
    qint64 m_input = 0;
    qint64 m_output = 0;
};

} // namespace relay
