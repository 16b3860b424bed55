#pragma once

#include <QMetaType>
#include <QString>
#include <QStringList>

namespace relay {

// What testing one key against its provider found: listing the models costs no tokens and
// proves the key, the base URL and the network path at once.
struct KeyProbeResult
{
    bool valid = false;
    int status = 0; // the provider's HTTP status; 0 when no answer came
    qint64 latencyMs = 0;
    QStringList models; // the provider's model ids, sorted
    QString error; // empty when valid
};

} // namespace relay

Q_DECLARE_METATYPE(relay::KeyProbeResult)
