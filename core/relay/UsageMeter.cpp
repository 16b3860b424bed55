#include "UsageMeter.h"

#include <QJsonDocument>
#include <algorithm>

namespace relay {

namespace {
qint64 field(const QJsonObject &o, QLatin1String name)
{
    return o.value(name).toInteger();
}
} // namespace

void UsageMeter::feedStream(const QByteArray &bytes)
{
    for (const SseEvent &event : m_sse.feed(bytes)) {
        // Only a few events carry counts; the rest are not parsed twice.
        if (event.data.contains("sage"))
            take(QJsonDocument::fromJson(event.data).object());
    }
}

void UsageMeter::feedWhole(const QByteArray &body)
{
    take(QJsonDocument::fromJson(body).object());
}

void UsageMeter::take(const QJsonObject &object)
{
    QJsonObject usage = object.value(QLatin1String("usage")).toObject();
    if (usage.isEmpty())
        usage = object.value(QLatin1String("message"))
                    .toObject()
                    .value(QLatin1String("usage"))
                    .toObject();
    if (!usage.isEmpty()) {
        // Anthropic counts cache reads and writes apart from input_tokens; OpenAI includes them.
        const qint64 in = field(usage, QLatin1String("prompt_tokens"))
            + field(usage, QLatin1String("input_tokens"))
            + field(usage, QLatin1String("cache_read_input_tokens"))
            + field(usage, QLatin1String("cache_creation_input_tokens"));
        const qint64 out = field(usage, QLatin1String("completion_tokens"))
            + field(usage, QLatin1String("output_tokens"));
        m_input = std::max(m_input, in);
        m_output = std::max(m_output, out);
        return;
    }
    const QJsonObject gemini = object.value(QLatin1String("usageMetadata")).toObject();
    if (!gemini.isEmpty()) {
        m_input = std::max(m_input, field(gemini, QLatin1String("promptTokenCount")));
        m_output = std::max(m_output,
                            field(gemini, QLatin1String("candidatesTokenCount"))
                                + field(gemini, QLatin1String("thoughtsTokenCount")));
    }
}

} // namespace relay
