#pragma once

#include <QByteArray>
#include <QMetaType>
#include <QString>
#include <QStringList>

namespace relay {

// What one client request did, for the log line and the statistics. Never holds a secret.
struct RequestRecord
{
    QByteArray method;
    QString path;
    QString model;
    QString upstream;
    QString keyLabel;
    QString keyRef; // KeyStore ref of the key that answered (never the secret)
    QStringList attemptRefs; // every key tried, in order
    QString clientFormat; // "openai" or "anthropic"
    QString route; // "trait(client model)" when a route of the config chose the model; log only
    qint64 startedMs = 0; // epoch
    qint64 tokensIn = 0; // as the upstream reported them
    qint64 tokensOut = 0;
    // Only with store.captureBodies, at most kCaptureBytes each, secrets redacted.
    static constexpr qsizetype kCaptureBytes = 64 * 1024;
    QByteArray requestBody;
    QByteArray responseBody;
    int status = 0;
    int attempts = 0;
    qint64 latencyMs = 0;
    qint64 firstByteMs = -1;
    qint64 bytes = 0;
    bool stream = false;
    QString error;

    QString toLogLine() const;
    // Answered below 400 and not broken off (a broken stream keeps its 200 but has an error).
    bool succeeded() const { return status > 0 && status < 400 && error.isEmpty(); }
};

} // namespace relay

Q_DECLARE_METATYPE(relay::RequestRecord)
