#pragma once

#include "config/Strategy.h"

#include <QHash>
#include <QList>
#include <QRandomGenerator>
#include <QStringList>

namespace relay {

struct PickCandidate
{
    QString id;
    int weight = 1;
    int inflight = 0;
};

// Orders candidates by a strategy. The first element is the pick; the rest are the order of
// failover. Rotation state is kept per group (a tier of upstreams, or one upstream's keys).
class Picker
{
public:
    explicit Picker(quint32 seed = QRandomGenerator::system()->generate());

    QStringList order(const QString &group, Strategy strategy,
                      const QList<PickCandidate> &candidates);

private:
    QStringList rotated(const QString &group, const QList<PickCandidate> &candidates);

    QRandomGenerator m_random;
    QHash<QString, quint64> m_rotation;
    QHash<QString, QHash<QString, qint64>> m_smoothWeights;
};

} // namespace relay
