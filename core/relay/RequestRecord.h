#pragma once

#include <QByteArray>
#include <QString>

namespace relay {

// What one client request did, for the log line and the statistics. Never holds a secret.
struct RequestRecord
{
    QByteArray method;
    QString path;
    QString model;
    QString upstream;
    QString keyLabel;
    int status = 0;
    int attempts = 0;
    qint64 latencyMs = 0;
    qint64 firstByteMs = -1;
    qint64 bytes = 0;
    bool stream = false;
    QString error;

    QString toLogLine() const;
};

} // namespace relay
