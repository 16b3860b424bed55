#include "GeminiToOpenAiStream.h"

#include "OpenAiStreamFolder.h"

#include <QJsonArray>
#include <QJsonDocument>

namespace relay {

namespace {
// Finish reasons that mean the answer was withheld or cut by a filter.
bool filtered(const QString &reason)
{
    static const QStringList kFiltered {
        QStringLiteral("SAFETY"),    QStringLiteral("RECITATION"),
        QStringLiteral("BLOCKLIST"), QStringLiteral("PROHIBITED_CONTENT"),
        QStringLiteral("SPII"),      QStringLiteral("IMAGE_SAFETY"),
        QStringLiteral("LANGUAGE")
    };
    return kFiltered.contains(reason);
}
} // namespace

GeminiToOpenAiStream::GeminiToOpenAiStream(QString model, bool includeUsage, QString id,
                                           qint64 created)
    : m_writer(std::move(model), includeUsage, id, created)
    , m_idFixed(!id.isEmpty())
{ }

void GeminiToOpenAiStream::handle(const QJsonObject &response, QByteArray &out)
{
    if (response.contains(u"error")) {
        out += fail(response.value(u"error")
                        .toObject()
                        .value(u"message")
                        .toString(QStringLiteral("upstream error")));
        return;
    }
    const QString responseId = response.value(u"responseId").toString();
    if (!m_idFixed && !responseId.isEmpty()) {
        m_idFixed = true;
        m_writer.setId(QStringLiteral("chatcmpl-") + responseId);
    }
    if (response.value(u"usageMetadata").isObject())
        m_usage = response.value(u"usageMetadata").toObject();
    const QJsonArray candidates = response.value(u"candidates").toArray();
    if (candidates.isEmpty()) {
        const QString blocked
            = response.value(u"promptFeedback").toObject().value(u"blockReason").toString();
        if (!blocked.isEmpty() && !m_finished) {
            m_finished = true;
            out += m_writer.finish(QStringLiteral("content_filter"));
        }
        return;
    }
    const QJsonObject candidate = candidates.at(0).toObject();
    const QJsonArray parts = candidate.value(u"content").toObject().value(u"parts").toArray();
    for (const QJsonValue &value : parts)
        part(value.toObject(), out);
    const QString reason = candidate.value(u"finishReason").toString();
    if (reason.isEmpty() || m_finished)
        return;
    if (reason == u"MALFORMED_FUNCTION_CALL" || reason == u"UNEXPECTED_TOOL_CALL") {
        out += fail(
            QStringLiteral("the model produced an unusable function call (%1)").arg(reason));
        return;
    }
    m_finished = true;
    QString finish = QStringLiteral("stop");
    if (reason == u"MAX_TOKENS")
        finish = QStringLiteral("length");
    else if (filtered(reason))
        finish = QStringLiteral("content_filter");
    else if (m_toolCalls > 0)
        finish = QStringLiteral("tool_calls");
    out += m_writer.finish(finish);
}

void GeminiToOpenAiStream::part(const QJsonObject &part, QByteArray &out)
{
    const QString signature = part.value(u"thoughtSignature").toString();
    if (part.contains(u"functionCall")) {
        const QJsonObject call = part.value(u"functionCall").toObject();
        QString id = call.value(u"id").toString();
        if (id.isEmpty())
            id = OpenAiChunkWriter::randomId(QStringLiteral("call_"));
        QJsonObject entry { { QStringLiteral("index"), m_toolCalls++ },
                            { QStringLiteral("id"), id },
                            { QStringLiteral("type"), QStringLiteral("function") },
                            { QStringLiteral("function"),
                              QJsonObject {
                                  { QStringLiteral("name"), call.value(u"name").toString() },
                                  { QStringLiteral("arguments"),
                                    QString::fromUtf8(QJsonDocument(call.value(u"args").toObject())
                                                          .toJson(QJsonDocument::Compact)) } } } };
        if (!signature.isEmpty())
            entry.insert(QStringLiteral("extra_content"),
                         QJsonObject { { QStringLiteral("google"),
                                         QJsonObject { { QStringLiteral("thought_signature"),
                                                         signature } } } });
        out += m_writer.delta({ { QStringLiteral("tool_calls"), QJsonArray { entry } } });
        return;
    }
    const QString text = part.value(u"text").toString();
    if (!text.isEmpty()) {
        const bool thought = part.value(u"thought").toBool();
        out += m_writer.delta(
            { { thought ? QStringLiteral("reasoning_content") : QStringLiteral("content"),
                text } });
    }
    const QJsonObject inline_ = part.value(u"inlineData").toObject();
    if (!inline_.isEmpty()) {
        // A generated image: as a Markdown data URL, which chat clients render.
        out += m_writer.delta({ { QStringLiteral("content"),
                                  QStringLiteral("![image](data:%1;base64,%2)")
                                      .arg(inline_.value(u"mimeType").toString(),
                                           inline_.value(u"data").toString()) } });
    }
    if (!signature.isEmpty())
        out += m_writer.delta({ { QStringLiteral("reasoning_signature"), signature } });
}

QJsonObject GeminiToOpenAiStream::usage() const
{
    if (m_usage.isEmpty())
        return {};
    const int prompt = m_usage.value(u"promptTokenCount").toInt();
    const int thoughts = m_usage.value(u"thoughtsTokenCount").toInt();
    const int completion = m_usage.value(u"candidatesTokenCount").toInt() + thoughts;
    return { { QStringLiteral("prompt_tokens"), prompt },
             { QStringLiteral("completion_tokens"), completion },
             { QStringLiteral("total_tokens"), prompt + completion },
             { QStringLiteral("prompt_tokens_details"),
               QJsonObject { { QStringLiteral("cached_tokens"),
                               m_usage.value(u"cachedContentTokenCount").toInt() } } },
             { QStringLiteral("completion_tokens_details"),
               QJsonObject { { QStringLiteral("reasoning_tokens"), thoughts } } } };
}

QByteArray GeminiToOpenAiStream::finish()
{
    if (m_done)
        return {};
    if (!m_finished)
        return fail(QStringLiteral("the upstream ended the stream without a finish reason; the "
                                   "answer is incomplete"));
    m_done = true;
    return m_writer.end(usage());
}

QByteArray GeminiToOpenAiStream::fail(const QString &message)
{
    return failWith(OpenAiChunkWriter::error(message));
}

QByteArray GeminiToOpenAiStream::translateResponse(const QByteArray &body, const QString &model,
                                                   QString *error)
{
    // A generateContent answer is one stream event's worth: translate it as a stream of one.
    const QJsonDocument doc = QJsonDocument::fromJson(body);
    if (!doc.isObject()) {
        *error = QStringLiteral("the upstream's answer is not JSON");
        return {};
    }
    GeminiToOpenAiStream stream(model, true);
    QByteArray chunks = stream.feed("data: " + doc.toJson(QJsonDocument::Compact) + "\n\n");
    chunks += stream.finish(); // not in one expression: the order matters
    return OpenAiStreamFolder::fold(chunks, error);
}

} // namespace relay
