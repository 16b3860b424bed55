#pragma once

#include "routing/RoutePlan.h"
#include "types/ApiError.h"

#include <QList>
#include <QStringList>

namespace relay {

// The failed attempts of one exchange, and the one error the client gets when none is left.
class AttemptFailures final
{
public:
    enum class Kind { RateLimited, ServerError, Timeout, Network, Auth };

    void add(Kind kind, const QString &note);
    qsizetype size() const { return m_kinds.size(); }
    QString lastNote() const { return m_notes.isEmpty() ? QString() : m_notes.constLast(); }

    // `now` is the route plan as it stands after the last attempt; *retryAtMs is set when the
    // client should be told when to come back.
    ApiError verdict(const QString &model, const RoutePlan &now, qint64 nowMs,
                     qint64 *retryAtMs) const;

private:
    bool all(Kind kind) const;

    QList<Kind> m_kinds;
    QStringList m_notes;
};

} // namespace relay
