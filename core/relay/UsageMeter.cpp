#include "UsageMeter.h"

#include <QJsonDocument>
#include <algorithm>

namespace relay {

namespace {
qint64 field(const QJsonObject &o, QLatin1String name)
{
    return o.value(name).toInteger();
}

// The JSON object that starts at body[from] ('{'), found by matching braces outside strings.
QByteArray objectAt(const QByteArray &body, qsizetype from)
{
    int depth = 0;
    bool inString = false;
    for (qsizetype i = from; i < body.size(); ++i) {
        const char c = body.at(i);
        if (inString) {
            if (c == '\\')
                ++i;
            else if (c == '"')
                inString = false;
        } else if (c == '"') {
            inString = true;
        } else if (c == '{') {
            ++depth;
        } else if (c == '}' && --depth == 0) {
            return body.mid(from, i - from + 1);
        }
    }
    return {};
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
    // A whole answer can be large; only its usage object is parsed, not the whole document.
    // Providers put it at the top level, last; anything unexpected falls back to a full parse.
    for (const QByteArray &name :
         { QByteArrayLiteral("usageMetadata"), QByteArrayLiteral("usage") }) {
        const qsizetype at = body.lastIndexOf(QByteArray('"' + name + '"'));
        if (at < 0)
            continue;
        qsizetype i = at + name.size() + 2;
        while (i < body.size()
               && (body.at(i) == ' ' || body.at(i) == '\n' || body.at(i) == ':'
                   || body.at(i) == '\r' || body.at(i) == '\t'))
            ++i;
        const QByteArray object
            = i < body.size() && body.at(i) == '{' ? objectAt(body, i) : QByteArray();
        const QJsonObject usage = QJsonDocument::fromJson(object).object();
        if (!usage.isEmpty()) {
            take(QJsonObject { { QString::fromLatin1(name), usage } });
            return;
        }
        break;
    }
    take(QJsonDocument::fromJson(body).object());
}

void UsageMeter::take(const QJsonObject &object)
{
    QJsonObject usage = object.value(QLatin1String("usage")).toObject();
    // Anthropic's message_start carries it in "message", the Responses API's
    // response.completed in "response".
    for (const QLatin1String holder : { QLatin1String("message"), QLatin1String("response") }) {
        if (usage.isEmpty())
            usage = object.value(holder).toObject().value(QLatin1String("usage")).toObject();
    }
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
