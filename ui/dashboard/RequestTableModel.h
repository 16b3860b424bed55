#pragma once

#include "types/RequestRecord.h"

#include <QAbstractTableModel>
#include <deque>

namespace relay {

// The newest finished requests, newest first, at most kMaxRows of them.
class RequestTableModel final : public QAbstractTableModel
{
    Q_OBJECT
public:
    static constexpr int kMaxRows = 2000;
    enum Column {
        Time,
        Format,
        Model,
        Upstream,
        Key,
        Status,
        Attempts,
        Latency,
        FirstByte,
        Tokens,
        Count
    };

    explicit RequestTableModel(QObject *parent = nullptr);

    void prepend(const QList<RequestRecord> &records); // oldest first in `records`
    const RequestRecord &record(int row) const { return m_rows.at(size_t(row)); }

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role) const override;

private:
    std::deque<RequestRecord> m_rows;
};

} // namespace relay
