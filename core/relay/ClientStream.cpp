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

ClientStream::ClientStream(HttpResponder &responder, ClientFormat format, const QString &model,
                           bool chatCompletion)
    : m_responder(responder)
    , m_format(format)
    , m_chatCompletion(chatCompletion)
{
    if (format == ClientFormat::Anthropic)
        m_toAnthropic = std::make_unique<OpenAiToAnthropicStream>(model);
}

void ClientStream::begin(int status, const HeaderList &headers)
{
    m_responder.beginChunked(status, headers);
}

qint64 ClientStream::forward(const QByteArray &data)
{
    if (!m_toAnthropic) {
        m_responder.writeChunk(data);
        if (!m_complete)
            noteEnd(data);
        return data.size();
    }
    const QByteArray out = m_toAnthropic->feed(data);
    m_responder.writeChunk(out);
    if (m_toAnthropic->failed())
        m_responder.endChunked();
    m_complete = m_toAnthropic->isDone() && !m_toAnthropic->failed();
    return out.size();
}

void ClientStream::noteEnd(const QByteArray &data)
{
    const QByteArray seam = m_tail + data.left(kSeamBytes);
    m_tail = data.right(kSeamBytes);
    m_complete = sseSaysFinished(view(data)) || sseSaysFinished(view(seam));
}

bool ClientStream::finishUpstream()
{
    if (m_toAnthropic) {
        if (!m_complete) {
            // Closes the message, or says it was cut short when no end was ever announced.
            m_responder.writeChunk(m_toAnthropic->finish());
            m_complete = !m_toAnthropic->failed();
        }
        return m_complete;
    }
    // A body that ends when the connection closes cannot show that it was cut short; a chat
    // stream that never said it was finished did not finish.
    return m_complete || !m_chatCompletion;
}

void ClientStream::fail(const ApiError &error)
{
    m_responder.writeChunk(m_toAnthropic ? m_toAnthropic->fail(error.message)
                                         : error.toSseEvent(m_format));
    m_responder.endChunked();
}

void ClientStream::end()
{
    m_responder.endChunked();
}

} // namespace relay
