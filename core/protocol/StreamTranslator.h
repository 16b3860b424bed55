#pragma once

#include <QByteArray>
#include <QString>

namespace relay {

// One direction of a streaming translation: upstream SSE bytes in, client SSE bytes out, as
// each event arrives. A translator that gives up emits the client's own error event once and
// reports failed(); nothing follows it.
class StreamTranslator
{
public:
    virtual ~StreamTranslator() = default;

    virtual QByteArray feed(const QByteArray &upstreamBytes) = 0;
    // The upstream ended cleanly: closing events, or an error event if it was incomplete.
    virtual QByteArray finish() = 0;
    // The upstream broke off: an error event (once, and only if not already done).
    virtual QByteArray fail(const QString &message) = 0;
    // Something for the client while the upstream is silent, so it does not time out (may
    // start the client's message first: nothing else may precede that).
    virtual QByteArray keepAlive() = 0;
    virtual bool isDone() const = 0;
    virtual bool failed() const = 0;
};

} // namespace relay
