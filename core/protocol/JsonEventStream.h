#pragma once

#include "SseParser.h"
#include "StreamTranslator.h"

#include <QJsonObject>

namespace relay {

// The part every stream translator shares: SSE events whose data is a JSON object, fed one by
// one to handle(); data that is not JSON, or an event over the parser's limit, fails the
// stream; nothing is read once the translator is done.
class JsonEventStream : public StreamTranslator
{
public:
    QByteArray feed(const QByteArray &upstreamBytes) final;
    bool isDone() const final { return m_done; }
    bool failed() const final { return m_failed; }

protected:
    // A non-JSON data line the format defines (OpenAI's "[DONE]"); true if it was one.
    virtual bool handleMarker(const QByteArray &data, QByteArray &out);
    virtual void handle(const QJsonObject &event, QByteArray &out) = 0;
    // Marks the stream failed (once) and returns what to send, or nothing if already done.
    QByteArray failWith(const QByteArray &errorEvent);

    bool m_done = false;

private:
    SseParser m_parser;
    bool m_failed = false;
};

} // namespace relay
