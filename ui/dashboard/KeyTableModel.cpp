#include "KeyTableModel.h"

#include "StateText.h"

#include <QColor>
#include <QDateTime>
#include <QLocale>

namespace relay {

namespace {
QColor lightFor(KeyState state)
{
    switch (state) {
    case KeyState::Ok:
        return QColor(0x2e, 0x9d, 0x4f);
    case KeyState::Limited:
    case KeyState::Cooldown:
        return QColor(0xe6, 0xa1, 0x00);
    case KeyState::Invalid:
    case KeyState::MissingSecret:
        return QColor(0xd8, 0x3b, 0x3b);
    case KeyState::Disabled:
        return QColor(0x99, 0x99, 0x99);
    }
    return {};
}
} // namespace

KeyTableModel::KeyTableModel(QObject *parent)
    : QAbstractTableModel(parent)
{ }

void KeyTableModel::setSnapshot(const RelaySnapshot &snapshot)
{
    QList<Row> rows;
    for (const UpstreamSnapshot &u : snapshot.upstreams) {
        for (const KeySnapshot &k : u.keys)
            rows.append({ u.name, k });
    }
    m_nowMs = snapshot.takenAtMs;
    if (rows.size() == m_rows.size()) {
        m_rows = rows; // same shape: keep the selection and scroll position
        if (!m_rows.isEmpty())
            Q_EMIT dataChanged(index(0, 0), index(rowCount() - 1, Count - 1));
        return;
    }
    beginResetModel();
    m_rows = rows;
    endResetModel();
}

bool KeyTableModel::tick(qint64 nowMs)
{
    m_nowMs = nowMs;
    bool running = false;
    for (const Row &r : std::as_const(m_rows))
        running = running || r.key.cooldownUntilMs > nowMs;
    if (!m_rows.isEmpty())
        Q_EMIT dataChanged(index(0, Countdown), index(rowCount() - 1, Countdown));
    return running;
}

int KeyTableModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

int KeyTableModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : Count;
}

QString KeyTableModel::usageText(const KeySnapshot &k) const
{
    if (!k.hasLimits)
        return tr("no limits");
    QStringList parts;
    if (k.usage.rpm)
        parts.append(tr("%1/%2 per min").arg(k.usage.lastMinute).arg(k.usage.rpm));
    if (k.usage.rpd)
        parts.append(tr("%1/%2 today").arg(k.usage.today).arg(k.usage.rpd));
    if (k.usage.tpm)
        parts.append(tr("%1/%2 tokens/min")
                         .arg(QLocale().toString(k.usage.tokensLastMinute))
                         .arg(QLocale().toString(k.usage.tpm)));
    return parts.join(QStringLiteral(" · "));
}

QVariant KeyTableModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid() || index.row() >= m_rows.size())
        return {};
    const Row &row = m_rows.at(index.row());
    const KeySnapshot &k = row.key;
    if (role == Qt::DecorationRole && index.column() == Health)
        return lightFor(k.state);
    if (role == Qt::ToolTipRole && (index.column() == State || index.column() == LastError))
        return k.reason.isEmpty() ? k.lastError : k.reason;
    if (role != Qt::DisplayRole)
        return {};
    switch (index.column()) {
    case Health:
        return {};
    case Upstream:
        return row.upstream;
    case Key:
        return k.label == k.id && !k.last4.isEmpty() ? k.last4
                                                     : tr("%1 (%2)").arg(k.label, k.last4);
    case State:
        return k.reason.isEmpty() ? StateText::keyState(k.state)
                                  : tr("%1: %2").arg(StateText::keyState(k.state), k.reason);
    case Countdown:
        return k.cooldownUntilMs > m_nowMs ? StateText::duration(k.cooldownUntilMs - m_nowMs)
                                           : QString();
    case Usage:
        return usageText(k);
    case Requests:
        return tr("%1 ok · %2 failed").arg(k.successes).arg(k.failures);
    case LastError:
        return k.lastError;
    default:
        return {};
    }
}

QVariant KeyTableModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case Health:
        return QString();
    case Upstream:
        return tr("Upstream");
    case Key:
        return tr("Key");
    case State:
        return tr("State");
    case Countdown:
        return tr("Back in");
    case Usage:
        return tr("Usage against limits");
    case Requests: // counted in memory: the day's totals above come from the database
        return tr("Since start");
    case LastError:
        return tr("Last error");
    default:
        return {};
    }
}

} // namespace relay
