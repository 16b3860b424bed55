#include "SseParser.h"

namespace relay {

QList<SseEvent> SseParser::feed(const QByteArray &input)
{
    QList<SseEvent> out;
    if (m_overflow)
        return out;
    QByteArray bytes = input;
    qsizetype i = 0;
    if (!m_started) {
        // A UTF-8 byte-order mark before the first line is ignored; it may arrive split.
        static const QByteArray bom("\xEF\xBB\xBF");
        m_head += input;
        if (m_head.size() < bom.size() && bom.startsWith(m_head))
            return out;
        m_started = true;
        bytes = m_head;
        m_head.clear();
        if (bytes.startsWith(bom))
            i = bom.size();
    }
    for (; i < bytes.size(); ++i) {
        const char c = bytes.at(i);
        if (c == '\n' && m_lastWasCr) {
            m_lastWasCr = false; // the LF of a CRLF already ended the line
            continue;
        }
        m_lastWasCr = c == '\r';
        if (c == '\r' || c == '\n') {
            processLine(m_line, out);
            m_line.clear();
            continue;
        }
        // Take the rest of the line in one piece.
        qsizetype end = i;
        while (end < bytes.size() && bytes.at(end) != '\r' && bytes.at(end) != '\n')
            ++end;
        m_line.append(bytes.constData() + i, end - i);
        m_eventBytes += end - i;
        if (m_eventBytes > kMaxEventBytes) {
            m_overflow = true;
            return out;
        }
        i = end - 1;
    }
    return out;
}

void SseParser::processLine(const QByteArray &line, QList<SseEvent> &out)
{
    if (line.isEmpty()) {
        if (m_hasData) {
            if (m_event.data.endsWith('\n'))
                m_event.data.chop(1);
            out.append(m_event);
        }
        const QByteArray lastId = m_event.id; // the last event id carries over, per the spec
        m_event = SseEvent();
        m_event.id = lastId;
        m_hasData = m_sawField = false;
        m_eventBytes = 0;
        return;
    }
    if (line.startsWith(':')) {
        ++m_comments;
        return;
    }
    m_sawField = true;
    const qsizetype colon = line.indexOf(':');
    const QByteArray field = colon < 0 ? line : line.left(colon);
    QByteArray value = colon < 0 ? QByteArray() : line.mid(colon + 1);
    if (value.startsWith(' '))
        value.remove(0, 1);
    if (field == "data") {
        m_event.data += value;
        m_event.data += '\n';
        m_hasData = true;
    } else if (field == "event") {
        m_event.type = value.isEmpty() ? QByteArray("message") : value;
    } else if (field == "id") {
        if (!value.contains('\0'))
            m_event.id = value;
    }
    // "retry" and unknown fields are ignored: the relay does not reconnect streams.
}

bool SseParser::hasPartialEvent() const
{
    return !m_line.isEmpty() || m_sawField;
}

} // namespace relay
