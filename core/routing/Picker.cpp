#include "Picker.h"

#include <algorithm>

namespace relay {

Picker::Picker(quint32 seed)
    : m_random(seed)
{ }

QStringList Picker::rotated(const QString &group, const QList<PickCandidate> &candidates)
{
    QStringList ids;
    const qsizetype n = candidates.size();
    const qsizetype start = static_cast<qsizetype>(m_rotation[group]++ % static_cast<quint64>(n));
    for (qsizetype i = 0; i < n; ++i)
        ids.append(candidates.at((start + i) % n).id);
    return ids;
}

QStringList Picker::order(const QString &group, Strategy strategy,
                          const QList<PickCandidate> &candidates)
{
    if (candidates.size() <= 1) {
        QStringList ids;
        for (const PickCandidate &c : candidates)
            ids.append(c.id);
        return ids;
    }
    switch (strategy) {
    case Strategy::Priority: {
        QStringList ids;
        for (const PickCandidate &c : candidates)
            ids.append(c.id);
        return ids;
    }
    case Strategy::RoundRobin:
        return rotated(group, candidates);
    case Strategy::Random: {
        QStringList ids;
        for (const PickCandidate &c : candidates)
            ids.append(c.id);
        std::shuffle(ids.begin(), ids.end(), m_random);
        return ids;
    }
    case Strategy::LeastInflight: {
        // Rotate first so ties share the load instead of always landing on the first.
        const QStringList base = rotated(group, candidates);
        QList<PickCandidate> sorted;
        for (const QString &id : base) {
            for (const PickCandidate &c : candidates) {
                if (c.id == id)
                    sorted.append(c);
            }
        }
        std::stable_sort(
            sorted.begin(), sorted.end(),
            [](const PickCandidate &a, const PickCandidate &b) { return a.inflight < b.inflight; });
        QStringList ids;
        for (const PickCandidate &c : sorted)
            ids.append(c.id);
        return ids;
    }
    case Strategy::Weighted: {
        // Smooth weighted round-robin (as in nginx): exact proportions, evenly interleaved.
        QHash<QString, qint64> &current = m_smoothWeights[group];
        qint64 total = 0;
        const PickCandidate *best = nullptr;
        for (const PickCandidate &c : candidates) {
            total += c.weight;
            qint64 &cw = current[c.id];
            cw += c.weight;
            if (!best || cw > current.value(best->id))
                best = &c;
        }
        current[best->id] -= total;
        QList<PickCandidate> rest;
        for (const PickCandidate &c : candidates) {
            if (c.id != best->id)
                rest.append(c);
        }
        std::stable_sort(
            rest.begin(), rest.end(),
            [](const PickCandidate &a, const PickCandidate &b) { return a.weight > b.weight; });
        QStringList ids { best->id };
        for (const PickCandidate &c : rest)
            ids.append(c.id);
        return ids;
    }
    }
    return {};
}

} // namespace relay
