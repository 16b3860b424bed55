#pragma once

#include "types/RelaySnapshot.h"

#include <QAbstractTableModel>

namespace relay {

// Every key of every upstream, one row each, from the latest snapshot.
class KeyTableModel final : public QAbstractTableModel
{
    Q_OBJECT
public:
    enum Column { Health, Upstream, Key, State, Countdown, Usage, Requests, LastError, Count };

    explicit KeyTableModel(QObject *parent = nullptr);

    void setSnapshot(const RelaySnapshot &snapshot);
    // Re-reads the countdowns at `nowMs`; true while one is still running.
    bool tick(qint64 nowMs);

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role) const override;

private:
    struct Row
    {
        QString upstream;
        KeySnapshot key;
    };
    QString usageText(const KeySnapshot &k) const;

    QList<Row> m_rows;
    qint64 m_nowMs = 0;
};

} // namespace relay
