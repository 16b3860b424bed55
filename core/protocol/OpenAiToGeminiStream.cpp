#include "OpenAiToGeminiStream.h"

#include "GeminiToOpenAiRequest.h"
#include "OpenAiChunkWriter.h"

#include <QJsonDocument>

namespace relay {

namespace {

QString finishReason(const QString &openAi)
{
    if (openAi == u"length")
        return QStringLiteral("MAX_TOKENS");
    if (openAi == u"content_filter")
        return QStringLiteral("SAFETY");
    return QStringLiteral("STOP"); // Gemini ends a turn of function calls with STOP too
}

QJsonObject usageMetadata(const QJsonObject &usage)
{
    const int prompt = usage.value(u"prompt_tokens").toInt();
    const int completion = usage.value(u"completion_tokens").toInt();
    const int thoughts
        = usage.value(u"completion_tokens_details").toObject().value(u"reasoning_tokens").toInt();
    const int cached
        = usage.value(u"prompt_tokens_details").toObject().value(u"cached_tokens").toInt();
    QJsonObject out { { QStringLiteral("promptTokenCount"), prompt },
                      { QStringLiteral("candidatesTokenCount"), completion - thoughts },
                      { QStringLiteral("totalTokenCount"),
                        usage.value(u"total_tokens").toInt(prompt + completion) } };
    if (thoughts > 0)
        out.insert(QStringLiteral("thoughtsTokenCount"), thoughts);
    if (cached > 0)
        out.insert(QStringLiteral("cachedContentTokenCount"), cached);
    return out;
}

QString googleSignature(const QJsonObject &call)
{
    return call.value(u"extra_content")
        .toObject()
        .value(u"google")
        .toObject()
        .value(u"thought_signature")
        .toString();
}

// A functionCall part; empty and *error set when the arguments are not a JSON object.
QJsonObject callPart(const QString &id, const QString &name, const QString &arguments,
                     const QString &signature, QString *error)
{
    QJsonObject args;
    if (!arguments.trimmed().isEmpty()) {
        const QJsonDocument doc = QJsonDocument::fromJson(arguments.toUtf8());
        if (!doc.isObject()) {
            *error = QStringLiteral("the upstream returned arguments for tool \"%1\" that are not "
                                    "a JSON object")
                         .arg(name);
            return {};
        }
        args = doc.object();
    }
    QJsonObject call { { QStringLiteral("name"), name }, { QStringLiteral("args"), args } };
    if (!id.isEmpty())
        call.insert(QStringLiteral("id"), id);
    QJsonObject part { { QStringLiteral("functionCall"), call } };
    if (!signature.isEmpty())
        part.insert(QStringLiteral("thoughtSignature"), signature);
    return part;
}

QJsonObject response(const QJsonArray &parts, const QString &finish, const QJsonObject &usage,
                     const QString &model, const QString &id)
{
    QJsonObject candidate {
        { QStringLiteral("index"), 0 },
        { QStringLiteral("content"),
          QJsonObject { { QStringLiteral("role"), QStringLiteral("model") },
                        { QStringLiteral("parts"),
                          // Gemini's last event of a turn holds at least an empty text part.
                          parts.isEmpty() && !finish.isEmpty()
                              ? QJsonArray { QJsonObject { { QStringLiteral("text"), QString() } } }
                              : parts } } }
    };
    QJsonObject out { { QStringLiteral("modelVersion"), model },
                      { QStringLiteral("responseId"), id } };
    if (!finish.isEmpty()) {
        candidate.insert(QStringLiteral("finishReason"), finish);
        out.insert(QStringLiteral("usageMetadata"), usageMetadata(usage));
    }
    out.insert(QStringLiteral("candidates"), QJsonArray { candidate });
    return out;
}

bool includesThoughts(const QJsonObject &request)
{
    return request.value(u"generationConfig")
        .toObject()
        .value(u"thinkingConfig")
        .toObject()
        .value(u"includeThoughts")
        .toBool();
}

QJsonObject errorObject(int code, const QString &status, const QString &message)
{
    return { { QStringLiteral("error"),
               QJsonObject { { QStringLiteral("code"), code },
                             { QStringLiteral("message"), message },
                             { QStringLiteral("status"), status } } } };
}

} // namespace

OpenAiToGeminiStream::OpenAiToGeminiStream(QString model, const QJsonObject &request,
                                           QString responseId)
    : m_model(std::move(model))
    , m_id(responseId.isEmpty() ? OpenAiChunkWriter::randomId({}) : std::move(responseId))
    , m_thoughts(includesThoughts(request))
{ }

QByteArray OpenAiToGeminiStream::event(const QJsonArray &parts, bool last) const
{
    const QJsonObject data
        = response(parts, last ? finishReason(m_finish) : QString(), m_usage, m_model, m_id);
    return "data: " + QJsonDocument(data).toJson(QJsonDocument::Compact) + "\r\n\r\n";
}

QByteArray OpenAiToGeminiStream::keepAlive()
{
    // The Google SDKs read only "data:" events; a comment keeps the connection busy.
    return m_done ? QByteArray() : QByteArrayLiteral(": keep-alive\r\n\r\n");
}

bool OpenAiToGeminiStream::handleMarker(const QByteArray &data, QByteArray &out)
{
    if (data != "[DONE]")
        return false;
    if (m_finish.isEmpty())
        m_finish = QStringLiteral("stop"); // an explicit end, even without a finish reason
    complete(out);
    return true;
}

void OpenAiToGeminiStream::handle(const QJsonObject &chunk, QByteArray &out)
{
    if (chunk.contains(u"error")) {
        out += fail(chunk.value(u"error")
                        .toObject()
                        .value(u"message")
                        .toString(QStringLiteral("upstream error")));
        return;
    }
    if (chunk.value(u"usage").isObject())
        m_usage = chunk.value(u"usage").toObject();
    const QJsonObject choice = chunk.value(u"choices").toArray().at(0).toObject();
    const QJsonObject delta = choice.value(u"delta").toObject();
    QString reasoning = delta.value(u"reasoning_content").toString();
    if (reasoning.isEmpty())
        reasoning = delta.value(u"reasoning").toString();
    if (!reasoning.isEmpty()) {
        m_reasoning += reasoning;
        if (m_thoughts)
            out += event({ QJsonObject { { QStringLiteral("text"), reasoning },
                                         { QStringLiteral("thought"), true } } },
                         false);
    }
    if (delta.value(u"reasoning_signature").isString())
        m_signature = delta.value(u"reasoning_signature").toString();
    const QString text = delta.value(u"content").toString();
    if (!text.isEmpty())
        out += event({ QJsonObject { { QStringLiteral("text"), text } } }, false);
    for (const QJsonValue &value : delta.value(u"tool_calls").toArray()) {
        const QJsonObject call = value.toObject();
        Call &c = m_calls[call.value(u"index").toInt(0)];
        if (c.id.isEmpty())
            c.id = call.value(u"id").toString();
        const QJsonObject function = call.value(u"function").toObject();
        c.name += function.value(u"name").toString();
        c.arguments += function.value(u"arguments").toString();
        if (c.signature.isEmpty())
            c.signature = googleSignature(call);
    }
    if (choice.value(u"finish_reason").isString())
        m_finish = choice.value(u"finish_reason").toString();
}

void OpenAiToGeminiStream::complete(QByteArray &out)
{
    if (m_finish.isEmpty()) {
        out += fail(QStringLiteral("the upstream ended the stream without a finish reason; the "
                                   "answer is incomplete"));
        return;
    }
    QJsonArray parts;
    QString turnSignature = m_signature.isEmpty()
        ? QString()
        : GeminiToOpenAiRequest::sealThinking(m_reasoning, m_signature);
    for (const Call &call : std::as_const(m_calls)) {
        QString error;
        const QJsonObject part
            = callPart(call.id, call.name, call.arguments,
                       call.signature.isEmpty() ? turnSignature : call.signature, &error);
        if (!error.isEmpty()) {
            out += fail(error);
            return;
        }
        turnSignature.clear();
        parts.append(part);
    }
    out += event(parts, true);
    m_done = true;
}

QByteArray OpenAiToGeminiStream::finish()
{
    QByteArray out;
    if (!m_done)
        complete(out);
    return out;
}

QByteArray OpenAiToGeminiStream::fail(const QString &message)
{
    return failWith("data: "
                    + QJsonDocument(errorObject(502, QStringLiteral("UNAVAILABLE"), message))
                          .toJson(QJsonDocument::Compact)
                    + "\r\n\r\n");
}

QByteArray OpenAiToGeminiStream::translateResponse(const QByteArray &completion,
                                                   const QString &model, const QJsonObject &request,
                                                   QString *error, const QString &responseId)
{
    const QJsonDocument doc = QJsonDocument::fromJson(completion);
    const QJsonObject choice = doc.object().value(u"choices").toArray().at(0).toObject();
    if (!doc.isObject() || choice.isEmpty()) {
        *error = doc.isObject() ? QStringLiteral("the upstream answered without any choice")
                                : QStringLiteral("the upstream's answer is not JSON");
        return {};
    }
    const QJsonObject message = choice.value(u"message").toObject();
    if (message.isEmpty()) {
        *error = QStringLiteral("the upstream's answer has no message");
        return {};
    }
    QJsonArray parts;
    QString reasoning = message.value(u"reasoning_content").toString();
    if (reasoning.isEmpty())
        reasoning = message.value(u"reasoning").toString();
    if (!reasoning.isEmpty() && includesThoughts(request))
        parts.append(QJsonObject { { QStringLiteral("text"), reasoning },
                                   { QStringLiteral("thought"), true } });
    const QString text = message.value(u"content").toString();
    if (!text.isEmpty())
        parts.append(QJsonObject { { QStringLiteral("text"), text } });
    const QString signature = message.value(u"reasoning_signature").toString();
    QString turnSignature = signature.isEmpty()
        ? QString()
        : GeminiToOpenAiRequest::sealThinking(reasoning, signature);
    for (const QJsonValue &value : message.value(u"tool_calls").toArray()) {
        const QJsonObject call = value.toObject();
        const QJsonObject function = call.value(u"function").toObject();
        const QString own = googleSignature(call);
        const QJsonObject part = callPart(
            call.value(u"id").toString(), function.value(u"name").toString(),
            function.value(u"arguments").toString(), own.isEmpty() ? turnSignature : own, error);
        if (!error->isEmpty())
            return {};
        turnSignature.clear();
        parts.append(part);
    }
    const QString id = responseId.isEmpty() ? OpenAiChunkWriter::randomId({}) : responseId;
    return QJsonDocument(response(parts, finishReason(choice.value(u"finish_reason").toString()),
                                  doc.object().value(u"usage").toObject(), model, id))
        .toJson(QJsonDocument::Compact);
}

} // namespace relay
