#include "RequestTableModel.h"

#include <QColor>
#include <QDateTime>
#include <QLocale>

namespace relay {

RequestTableModel::RequestTableModel(QObject *parent)
    : QAbstractTableModel(parent)
{ }

void RequestTableModel::prepend(const QList<RequestRecord> &records)
{
    if (records.isEmpty())
        return;
    const int add = int(std::min<qsizetype>(records.size(), kMaxRows));
    beginInsertRows({}, 0, add - 1);
    for (qsizetype i = records.size() - add; i < records.size(); ++i)
        m_rows.push_front(records.at(i));
    endInsertRows();
    if (m_rows.size() > size_t(kMaxRows)) {
        beginRemoveRows({}, kMaxRows, int(m_rows.size()) - 1);
        m_rows.resize(kMaxRows);
        endRemoveRows();
    }
}

int RequestTableModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

int RequestTableModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : Count;
}

QVariant RequestTableModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid() || size_t(index.row()) >= m_rows.size())
        return {};
    const RequestRecord &r = m_rows.at(size_t(index.row()));
    if (role == Qt::ForegroundRole && index.column() == Status && !r.succeeded())
        return QColor(0xd8, 0x3b, 0x3b);
    if (role == Qt::ToolTipRole)
        return r.error;
    if (role != Qt::DisplayRole)
        return {};
    const QLocale locale;
    switch (index.column()) {
    case Time:
        return QDateTime::fromMSecsSinceEpoch(r.startedMs).toString(QStringLiteral("HH:mm:ss"));
    case Format:
        return r.clientFormat;
    case Model:
        return r.model;
    case Upstream:
        return r.upstream;
    case Key:
        return r.keyLabel;
    case Status:
        return r.error.isEmpty() ? QString::number(r.status)
                                 : tr("%1 (%2)").arg(r.status).arg(r.error.left(60));
    case Attempts:
        return r.attempts;
    case Latency:
        return tr("%1 ms").arg(locale.toString(r.latencyMs));
    case FirstByte:
        return r.firstByteMs < 0 ? QString() : tr("%1 ms").arg(locale.toString(r.firstByteMs));
    case Tokens:
        return tr("%1 / %2").arg(locale.toString(r.tokensIn), locale.toString(r.tokensOut));
    default:
        return {};
    }
}

QVariant RequestTableModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case Time:
        return tr("Time");
    case Format:
        return tr("Client format");
    case Model:
        return tr("Model");
    case Upstream:
        return tr("Upstream");
    case Key:
        return tr("Key");
    case Status:
        return tr("Status");
    case Attempts:
        return tr("Attempts");
    case Latency:
        return tr("Latency");
    case FirstByte:
        return tr("First byte");
    case Tokens:
        return tr("Tokens in / out");
    default:
        return {};
    }
}

} // namespace relay
