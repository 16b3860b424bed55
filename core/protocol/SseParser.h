#pragma once

#include <QByteArray>
#include <QList>

namespace relay {

struct SseEvent
{
    QByteArray type = "message"; // the "event:" field, or "message"
    QByteArray data; // "data:" lines joined with '\n'
    QByteArray id;

    bool operator==(const SseEvent &other) const
    {
        return type == other.type && data == other.data && id == other.id;
    }
};

// Incremental server-sent-events parser (WHATWG rules): bytes in, whole events out, however
// the bytes were split. Lines end in LF, CRLF or CR; ':' lines are comments; an event is
// dispatched at a blank line and only if it has data.
class SseParser
{
public:
    static constexpr qsizetype kMaxEventBytes = 16 * 1024 * 1024;

    QList<SseEvent> feed(const QByteArray &bytes);
    // Bytes of an event not yet ended by a blank line (a stream cut short leaves some).
    bool hasPartialEvent() const;
    // An event grew past kMaxEventBytes: the stream is not SSE, or hostile. Parsing stops.
    bool overflowed() const { return m_overflow; }
    int commentsSeen() const { return m_comments; } // keep-alives such as ": ping"

private:
    void processLine(const QByteArray &line, QList<SseEvent> &out);

    QByteArray m_head; // the first bytes, until a byte-order mark is ruled out
    QByteArray m_line;
    SseEvent m_event;
    bool m_hasData = false;
    bool m_sawField = false;
    bool m_lastWasCr = false;
    bool m_started = false;
    bool m_overflow = false;
    qsizetype m_eventBytes = 0;
    int m_comments = 0;
};

} // namespace relay
