#include "ActivityChart.h"

#include <QEvent>
#include <QPainter>
#include <QPainterPath>
#include <algorithm>
#include <cmath>

namespace relay {

namespace {
// 1, 2, 5, 10, 20, 50, ...: a scale a person reads at a glance.
double niceCeiling(double value)
{
    if (value <= 1)
        return 1;
    const double magnitude = std::pow(10.0, std::floor(std::log10(value)));
    for (const double step : { 1.0, 2.0, 5.0, 10.0 }) {
        if (value <= step * magnitude)
            return step * magnitude;
    }
    return 10 * magnitude;
}
} // namespace

ActivityChart::ActivityChart(QWidget *parent)
    : QWidget(parent)
{
    setSeries({}, 0);
    setAttribute(Qt::WA_OpaquePaintEvent);
}

QSize ActivityChart::sizeHint() const
{
    return { 640, 200 };
}

QSize ActivityChart::minimumSizeHint() const
{
    return { 240, 120 };
}

void ActivityChart::setSeries(const QList<MinutePoint> &lastHour, qint64 nowMs)
{
    const qint64 lastMinute = nowMs / 60000 * 60000;
    QList<MinutePoint> points(kMinutes);
    for (int i = 0; i < kMinutes; ++i)
        points[i].minuteMs = lastMinute - qint64(kMinutes - 1 - i) * 60000;
    for (const MinutePoint &p : lastHour) {
        const qint64 slot = kMinutes - 1 - (lastMinute - p.minuteMs) / 60000;
        if (slot >= 0 && slot < kMinutes)
            points[int(slot)] = p;
    }
    m_points = points;
    update();
}

void ActivityChart::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::LanguageChange || event->type() == QEvent::PaletteChange)
        update();
    QWidget::changeEvent(event);
}

void ActivityChart::paintEvent(QPaintEvent *)
{
    QPainter p(this);
    p.setRenderHint(QPainter::Antialiasing);
    const QPalette &pal = palette();
    p.fillRect(rect(), pal.base());
    const QFontMetrics fm(font());
    const int left = fm.horizontalAdvance(QStringLiteral("00000")) + 8;
    const int right = fm.horizontalAdvance(QStringLiteral("0000 ms")) + 8;
    const int top = fm.height() + 6;
    const int bottom = fm.height() + 6;
    const QRectF plot(left, top, std::max(10, width() - left - right),
                      std::max(10, height() - top - bottom));

    int maxRequests = 0;
    double maxLatency = 0;
    for (const MinutePoint &m : std::as_const(m_points)) {
        maxRequests = std::max(maxRequests, m.requests);
        maxLatency = std::max(maxLatency, m.meanLatencyMs());
    }
    const double requestScale = niceCeiling(maxRequests);
    const double latencyScale = niceCeiling(maxLatency);

    // Grid and scales: requests on the left, latency on the right.
    QColor grid = pal.text().color();
    grid.setAlpha(40);
    p.setPen(grid);
    for (int i = 0; i <= 4; ++i) {
        const double y = plot.bottom() - plot.height() * i / 4;
        p.drawLine(QPointF(plot.left(), y), QPointF(plot.right(), y));
    }
    p.setPen(pal.text().color());
    p.drawText(QRectF(0, plot.top() - fm.height() / 2.0, left - 4, fm.height()),
               Qt::AlignRight | Qt::AlignVCenter, QString::number(requestScale, 'g', 6));
    p.drawText(QRectF(0, plot.bottom() - fm.height() / 2.0, left - 4, fm.height()),
               Qt::AlignRight | Qt::AlignVCenter, QStringLiteral("0"));
    p.drawText(QRectF(plot.right() + 4, plot.top() - fm.height() / 2.0, right, fm.height()),
               Qt::AlignLeft | Qt::AlignVCenter, tr("%1 ms").arg(latencyScale, 0, 'g', 6));
    p.drawText(QRectF(plot.left(), plot.bottom() + 2, plot.width(), fm.height()),
               Qt::AlignLeft | Qt::AlignTop, tr("60 min ago"));
    p.drawText(QRectF(plot.left(), plot.bottom() + 2, plot.width(), fm.height()),
               Qt::AlignRight | Qt::AlignTop, tr("now"));

    const QColor ok(0x3b, 0x82, 0xd8);
    const QColor failed(0xd8, 0x3b, 0x3b);
    const QColor latency(0xe6, 0x8a, 0x00);
    const double slot = plot.width() / kMinutes;
    QPainterPath line;
    bool started = false;
    for (int i = 0; i < m_points.size(); ++i) {
        const MinutePoint &m = m_points.at(i);
        const double x = plot.left() + i * slot;
        const double total = plot.height() * m.requests / requestScale;
        const double bad = plot.height() * m.failures / requestScale;
        p.fillRect(QRectF(x + 1, plot.bottom() - total, std::max(1.0, slot - 2), total - bad), ok);
        p.fillRect(QRectF(x + 1, plot.bottom() - bad, std::max(1.0, slot - 2), bad), failed);
        if (m.requests > 0) {
            const QPointF point(x + slot / 2,
                                plot.bottom() - plot.height() * m.meanLatencyMs() / latencyScale);
            if (started)
                line.lineTo(point);
            else
                line.moveTo(point);
            started = true;
        }
    }
    p.setPen(QPen(latency, 2));
    p.setBrush(Qt::NoBrush);
    p.drawPath(line);

    // Legend.
    int x = left;
    const auto legend = [&](const QColor &color, const QString &text) {
        p.fillRect(QRect(x, 3 + fm.height() / 4, fm.height() / 2, fm.height() / 2), color);
        x += fm.height() / 2 + 4;
        p.setPen(pal.text().color());
        p.drawText(QPoint(x, 3 + fm.ascent()), text);
        x += fm.horizontalAdvance(text) + 14;
    };
    legend(ok, tr("requests per minute"));
    legend(failed, tr("failed"));
    legend(latency, tr("mean latency"));
}

} // namespace relay
