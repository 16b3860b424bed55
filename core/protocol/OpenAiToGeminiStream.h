#pragma once

#include "JsonEventStream.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QMap>
#include <QString>

namespace relay {

// Turns an OpenAI chat-completions stream (upstream) into a Gemini streamGenerateContent stream
// (alt=sse, client): content -> text parts as they arrive, reasoning -> thought parts when the
// client asked for thoughts (thinkingConfig.includeThoughts), tool calls -> functionCall parts
// (whole, in the last event, as Gemini sends them), finish_reason -> finishReason and the usage
// chunk -> usageMetadata in the last event. A signed thinking turn (Anthropic) is sealed into the
// first function call's thoughtSignature (GeminiToOpenAiRequest::sealThinking) so the client
// sends it back with the call. An upstream error, or a stream that never finished, becomes
// Gemini's error event.
class OpenAiToGeminiStream final : public JsonEventStream
{
public:
    // `request` is the client's generateContent request; `model` the name it asked for.
    OpenAiToGeminiStream(QString model, const QJsonObject &request, QString responseId = {});

    QByteArray finish() override;
    QByteArray fail(const QString &message) override;
    QByteArray keepAlive() override;

    // A whole chat completion as a whole GenerateContentResponse; empty and *error set when the
    // completion cannot be read.
    static QByteArray translateResponse(const QByteArray &completion, const QString &model,
                                        const QJsonObject &request, QString *error,
                                        const QString &responseId = {});

private:
    struct Call
    {
        QString id;
        QString name;
        QString arguments;
        QString signature; // a Gemini-compatible upstream's own
    };

    bool handleMarker(const QByteArray &data, QByteArray &out) override;
    void handle(const QJsonObject &chunk, QByteArray &out) override;
    QByteArray event(const QJsonArray &parts, bool last) const;
    void complete(QByteArray &out);

    QString m_model;
    QString m_id;
    bool m_thoughts;
    QString m_reasoning;
    QString m_signature;
    QMap<int, Call> m_calls; // by tool_calls[].index
    QString m_finish;
    QJsonObject m_usage;
};

} // namespace relay
