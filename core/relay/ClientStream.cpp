#include "ClientStream.h"

#include "SseCompletion.h"

#include <string_view>

namespace relay {

namespace {
constexpr qsizetype kSeamBytes = 32;

std::string_view view(const QByteArray &bytes)
{
    return { bytes.constData(), static_cast<size_t>(bytes.size()) };
}
} // namespace

ClientStream::ClientStream(HttpResponder &responder, ClientFormat format,
                           std::unique_ptr<StreamTranslator> translator, EndMarker marker)
    : m_responder(responder)
    , m_format(format)
    , m_translator(std::move(translator))
    , m_marker(marker)
{ }

void ClientStream::begin(int status, const HeaderList &headers)
{
    m_responder.beginChunked(status, headers);
}

qint64 ClientStream::forward(const QByteArray &data)
{
    if (!m_translator) {
        m_responder.writeChunk(data);
        m_atBoundary = data.endsWith("\n\n") || data.endsWith("\r\n\r\n");
        if (!m_complete && m_marker != EndMarker::None)
            noteEnd(data);
        return data.size();
    }
    const QByteArray out = m_translator->feed(data);
    m_responder.writeChunk(out);
    if (m_translator->failed())
        m_responder.endChunked();
    m_complete = m_translator->isDone() && !m_translator->failed();
    return out.size();
}

void ClientStream::noteEnd(const QByteArray &data)
{
    const QByteArray seam = m_tail + data.left(kSeamBytes);
    m_tail = data.right(kSeamBytes);
    auto says = [this](std::string_view text) {
        if (m_marker == EndMarker::ChatCompletion)
            return sseSaysFinished(text);
        if (m_marker == EndMarker::Response)
            // Each is the last event (as "event:" or as the data's "type": servers differ).
            return text.find("response.completed") != std::string_view::npos
                || text.find("response.incomplete") != std::string_view::npos
                || text.find("response.failed") != std::string_view::npos;
        if (m_marker == EndMarker::GeminiResponse) // only the last event has one
            return text.find("\"finishReason\"") != std::string_view::npos;
        return text.find("message_stop") != std::string_view::npos;
    };
    m_complete = says(view(data)) || says(view(seam));
}

bool ClientStream::finishUpstream()
{
    if (m_translator) {
        if (!m_complete) {
            // Closes the message, or says it was cut short when no end was ever announced.
            m_responder.writeChunk(m_translator->finish());
            m_complete = !m_translator->failed();
        }
        return m_complete;
    }
    // A body that ends when the connection closes cannot show that it was cut short; a chat
    // stream that never said it was finished did not finish.
    return m_complete || m_marker == EndMarker::None;
}

void ClientStream::fail(const ApiError &error)
{
    m_responder.writeChunk(m_translator ? m_translator->fail(error.message)
                                        : error.toSseEvent(m_format));
    m_responder.endChunked();
}

void ClientStream::keepAlive()
{
    if (!m_atBoundary)
        return; // an event is half sent; a ping now would corrupt it
    if (m_translator)
        m_responder.writeChunk(m_translator->keepAlive());
    else if (m_format == ClientFormat::Anthropic)
        m_responder.writeChunk("event: ping\ndata: {\"type\":\"ping\"}\n\n");
    else
        m_responder.writeChunk(": keep-alive\n\n");
}

void ClientStream::end()
{
    m_responder.endChunked();
}

} // namespace relay
