#include "OpenAiChunkWriter.h"

#include <QDateTime>
#include <QJsonArray>
#include <QJsonDocument>
#include <QRandomGenerator>

namespace relay {

namespace {
QByteArray dataLine(const QJsonObject &object)
{
    return "data: " + QJsonDocument(object).toJson(QJsonDocument::Compact) + "\n\n";
}
} // namespace

OpenAiChunkWriter::OpenAiChunkWriter(QString model, bool includeUsage, QString id, qint64 created)
    : m_model(std::move(model))
    , m_includeUsage(includeUsage)
    , m_id(id.isEmpty() ? randomId(QStringLiteral("chatcmpl-")) : std::move(id))
    , m_created(created ? created : QDateTime::currentSecsSinceEpoch())
{ }

QString OpenAiChunkWriter::randomId(const QString &prefix)
{
    QString id = prefix;
    for (int i = 0; i < 24; ++i)
        id += QLatin1Char(
            "0123456789abcdefghijklmnopqrstuvwxyz"[QRandomGenerator::global()->bounded(36)]);
    return id;
}

QByteArray OpenAiChunkWriter::chunk(const QJsonObject &choice) const
{
    return dataLine({ { QStringLiteral("id"), m_id },
                      { QStringLiteral("object"), QStringLiteral("chat.completion.chunk") },
                      { QStringLiteral("created"), m_created },
                      { QStringLiteral("model"), m_model },
                      { QStringLiteral("choices"), QJsonArray { choice } } });
}

QByteArray OpenAiChunkWriter::delta(QJsonObject delta)
{
    if (!m_roleSent) {
        m_roleSent = true;
        delta.insert(QStringLiteral("role"), QStringLiteral("assistant"));
    }
    return chunk({ { QStringLiteral("index"), 0 },
                   { QStringLiteral("delta"), delta },
                   { QStringLiteral("finish_reason"), QJsonValue::Null } });
}

QByteArray OpenAiChunkWriter::finish(const QString &finishReason)
{
    QJsonObject delta;
    if (!m_roleSent) {
        m_roleSent = true;
        delta.insert(QStringLiteral("role"), QStringLiteral("assistant"));
        delta.insert(QStringLiteral("content"), QString());
    }
    return chunk({ { QStringLiteral("index"), 0 },
                   { QStringLiteral("delta"), delta },
                   { QStringLiteral("finish_reason"), finishReason } });
}

QByteArray OpenAiChunkWriter::end(const QJsonObject &usage)
{
    QByteArray out;
    if (m_includeUsage && !usage.isEmpty())
        out = dataLine({ { QStringLiteral("id"), m_id },
                         { QStringLiteral("object"), QStringLiteral("chat.completion.chunk") },
                         { QStringLiteral("created"), m_created },
                         { QStringLiteral("model"), m_model },
                         { QStringLiteral("choices"), QJsonArray() },
                         { QStringLiteral("usage"), usage } });
    return out + "data: [DONE]\n\n";
}

QByteArray OpenAiChunkWriter::error(const QString &message)
{
    return dataLine(
        { { QStringLiteral("error"),
            QJsonObject { { QStringLiteral("message"), message },
                          { QStringLiteral("type"), QStringLiteral("upstream_error") },
                          { QStringLiteral("code"), QStringLiteral("stream_interrupted") } } } });
}

QByteArray OpenAiChunkWriter::keepAlive()
{
    return ": keep-alive\n\n";
}

} // namespace relay
