#pragma once

#include <QByteArray>
#include <QJsonObject>
#include <QString>

namespace relay {

// Writes the chunks of an OpenAI chat-completions stream for the translators whose client
// speaks OpenAI: one id, created time and model for the whole stream, the assistant role on
// the first chunk, the usage chunk only when the client asked for it, and the [DONE] marker.
class OpenAiChunkWriter
{
public:
    OpenAiChunkWriter(QString model, bool includeUsage, QString id = {}, qint64 created = 0);

    void setId(const QString &id) { m_id = id; }
    QByteArray delta(QJsonObject delta);
    QByteArray finish(const QString &finishReason);
    // The usage chunk (empty choices) when asked for, then [DONE].
    QByteArray end(const QJsonObject &usage);
    static QByteArray error(const QString &message);
    static QByteArray keepAlive();
    static QString randomId(const QString &prefix);

private:
    QByteArray chunk(const QJsonObject &choice) const;

    QString m_model;
    bool m_includeUsage;
    QString m_id;
    qint64 m_created;
    bool m_roleSent = false;
};

} // namespace relay
