#pragma once

#include <QList>
#include <QMetaType>
#include <QString>

namespace relay {

// One key's upstream attempts and reported tokens in one minute, as the store keeps them for
// 24 hours: what rebuilds the per-key limit windows after a restart.
struct MinuteUsage
{
    QString keyRef;
    qint64 lastMs = 0; // the latest attempt or report in that minute
    int attempts = 0;
    qint64 tokens = 0;
};

} // namespace relay

Q_DECLARE_METATYPE(relay::MinuteUsage)
