#include "JsonEventStream.h"

#include <QJsonDocument>

namespace relay {

QByteArray JsonEventStream::feed(const QByteArray &bytes)
{
    QByteArray out;
    if (m_done)
        return out;
    const QList<SseEvent> events = m_parser.feed(bytes);
    for (const SseEvent &e : events) {
        if (m_done)
            break;
        if (handleMarker(e.data, out))
            continue;
        QJsonParseError error;
        const QJsonDocument doc = QJsonDocument::fromJson(e.data, &error);
        if (error.error != QJsonParseError::NoError || !doc.isObject()) {
            out += fail(QStringLiteral("the upstream sent an event that is not JSON"));
            break;
        }
        handle(doc.object(), out);
    }
    if (m_parser.overflowed() && !m_done)
        out += fail(QStringLiteral("the upstream sent an event larger than 16 MB"));
    return out;
}

bool JsonEventStream::handleMarker(const QByteArray &, QByteArray &)
{
    return false;
}

QByteArray JsonEventStream::failWith(const QByteArray &errorEvent)
{
    if (m_done)
        return {};
    m_done = m_failed = true;
    return errorEvent;
}

} // namespace relay
