#pragma once

#include "types/RelaySnapshot.h"

#include <QWidget>

namespace relay {

// Requests per minute (bars, failures stacked in red) and mean latency (line) over the last
// hour, painted with QPainter as qBittorrent paints its speed graph: cheap to redraw, and only
// redrawn when a snapshot brings new figures.
class ActivityChart final : public QWidget
{
    Q_OBJECT
public:
    static constexpr int kMinutes = 60;

    explicit ActivityChart(QWidget *parent = nullptr);

    void setSeries(const QList<MinutePoint> &lastHour, qint64 nowMs);
    QSize sizeHint() const override;
    QSize minimumSizeHint() const override;

protected:
    void paintEvent(QPaintEvent *event) override;
    void changeEvent(QEvent *event) override;

private:
    QList<MinutePoint> m_points; // one per minute, oldest first, kMinutes of them
};

} // namespace relay
