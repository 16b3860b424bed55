#include "StatusPage.h"

#include "ActivityChart.h"
#include "KeyTableModel.h"
#include "StateText.h"
#include "service/RelayHost.h"

#include <QApplication>
#include <QClipboard>
#include <QDateTime>
#include <QEvent>
#include <QGridLayout>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLocale>
#include <QPushButton>
#include <QTableView>
#include <QVBoxLayout>

namespace relay {

namespace {
QLabel *title(QWidget *parent)
{
    auto *label = new QLabel(parent);
    QFont f = label->font();
    f.setBold(true);
    label->setFont(f);
    return label;
}

QString stateColor(RelayState state)
{
    switch (state) {
    case RelayState::Healthy:
        return QStringLiteral("#2e9d4f");
    case RelayState::Degraded:
        return QStringLiteral("#b37d00");
    case RelayState::Down:
        return QStringLiteral("#d83b3b");
    default:
        return QStringLiteral("#777777");
    }
}
} // namespace

StatusPage::StatusPage(RelayHost &host, QWidget *parent)
    : QWidget(parent)
    , m_host(host)
    , m_stateTitle(title(this))
    , m_state(new QLabel(this))
    , m_reason(new QLabel(this))
    , m_endpointTitle(title(this))
    , m_endpoint(new QLabel(this))
    , m_keyTitle(title(this))
    , m_key(new QLabel(this))
    , m_copyEndpoint(new QPushButton(this))
    , m_copyKey(new QPushButton(this))
    , m_pause(new QPushButton(this))
    , m_freePort(new QPushButton(this))
    , m_todayTitle(title(this))
    , m_requests(new QLabel(this))
    , m_success(new QLabel(this))
    , m_tokens(new QLabel(this))
    , m_inflight(new QLabel(this))
    , m_keysTitle(title(this))
    , m_chartTitle(title(this))
    , m_keys(new KeyTableModel(this))
    , m_table(new QTableView(this))
    , m_chart(new ActivityChart(this))
{
    QFont big = m_state->font();
    big.setPointSizeF(big.pointSizeF() * 1.4);
    big.setBold(true);
    m_state->setFont(big);
    m_reason->setWordWrap(true);
    m_endpoint->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_freePort->hide();

    auto *grid = new QGridLayout;
    grid->addWidget(m_stateTitle, 0, 0);
    grid->addWidget(m_state, 0, 1);
    grid->addWidget(m_pause, 0, 2);
    grid->addWidget(m_reason, 1, 1, 1, 2);
    grid->addWidget(m_freePort, 2, 1, 1, 2, Qt::AlignLeft);
    grid->addWidget(m_endpointTitle, 3, 0);
    grid->addWidget(m_endpoint, 3, 1);
    grid->addWidget(m_copyEndpoint, 3, 2);
    grid->addWidget(m_keyTitle, 4, 0);
    grid->addWidget(m_key, 4, 1);
    grid->addWidget(m_copyKey, 4, 2);
    grid->setColumnStretch(1, 1);

    auto *today = new QHBoxLayout;
    today->addWidget(m_todayTitle);
    for (QLabel *l : { m_requests, m_success, m_tokens, m_inflight })
        today->addWidget(l);
    today->addStretch();

    m_table->setModel(m_keys);
    m_table->verticalHeader()->hide();
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_table->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    m_table->horizontalHeader()->setStretchLastSection(true);
    m_table->setWordWrap(false);

    auto *layout = new QVBoxLayout(this);
    layout->addLayout(grid);
    layout->addLayout(today);
    layout->addWidget(m_chartTitle);
    layout->addWidget(m_chart, 2);
    layout->addWidget(m_keysTitle);
    layout->addWidget(m_table, 3);

    connect(m_copyEndpoint, &QPushButton::clicked, this, [this] {
        QApplication::clipboard()->setText(endpoint());
        Q_EMIT copied(tr("Endpoint copied"));
    });
    connect(m_copyKey, &QPushButton::clicked, this, &StatusPage::copyAccessKey);
    connect(m_pause, &QPushButton::clicked, this, [this] {
        if (m_snapshot.state == RelayState::Paused)
            m_host.resume();
        else
            m_host.pause();
    });
    connect(m_freePort, &QPushButton::clicked, this, [this] {
        m_freePort->setEnabled(false);
        m_host.moveToFreePort([this](const ConfigEditResult &result) {
            m_freePort->setEnabled(true);
            if (!result.ok())
                m_reason->setText(result.problems.isEmpty()
                                      ? result.message
                                      : StateText::problem(result.problems.constFirst()));
        });
    });
    m_countdown.setInterval(1000);
    connect(&m_countdown, &QTimer::timeout, this, [this] {
        if (!m_keys->tick(QDateTime::currentMSecsSinceEpoch()))
            m_countdown.stop();
    });
    retranslate();
    setSnapshot(host.snapshot());
}

QString StatusPage::endpoint() const
{
    const QString address = m_snapshot.address == u"0.0.0.0" || m_snapshot.address.isEmpty()
        ? QStringLiteral("127.0.0.1")
        : m_snapshot.address;
    const quint16 port = m_snapshot.port ? m_snapshot.port : m_snapshot.configuredPort;
    return QStringLiteral("http://%1:%2/v1").arg(address).arg(port);
}

void StatusPage::copyAccessKey()
{
    // Fetched for the copy and dropped at once: the window never keeps the key.
    m_host.fetchAccessKey([this](const QString &key) {
        QApplication::clipboard()->setText(key);
        Q_EMIT copied(tr("Access key copied"));
    });
}

void StatusPage::setSnapshot(const RelaySnapshot &s)
{
    m_snapshot = s;
    m_state->setText(StateText::state(s.state));
    m_state->setStyleSheet(QStringLiteral("color: %1").arg(stateColor(s.state)));
    m_reason->setText(StateText::reason(s));
    m_freePort->setVisible(s.reason == u"port_taken" || s.reason == u"port_refused");
    m_pause->setText(s.state == RelayState::Paused ? tr("Resume") : tr("Pause"));
    m_pause->setEnabled(s.state != RelayState::Starting && s.state != RelayState::Stopped);
    m_endpoint->setText(endpoint());
    m_key->setText(s.accessKeyHint.isEmpty() ? tr("(none yet)") : s.accessKeyHint);
    const QLocale locale;
    m_requests->setText(tr("%1 requests").arg(locale.toString(s.today.requests)));
    m_success->setText(
        tr("%1% succeeded").arg(locale.toString(s.today.successRate() * 100, 'f', 1)));
    m_tokens->setText(
        tr("%1 tokens in, %2 out")
            .arg(StateText::tokens(s.today.tokensIn), StateText::tokens(s.today.tokensOut)));
    m_inflight->setText(tr("%n in flight", nullptr, s.inflight));
    m_keys->setSnapshot(s);
    m_chart->setSeries(s.lastHour, s.takenAtMs ? s.takenAtMs : QDateTime::currentMSecsSinceEpoch());
    if (m_keys->tick(QDateTime::currentMSecsSinceEpoch()) && isVisible())
        m_countdown.start();
}

void StatusPage::showEvent(QShowEvent *event)
{
    if (m_keys->tick(QDateTime::currentMSecsSinceEpoch()))
        m_countdown.start();
    QWidget::showEvent(event);
}

void StatusPage::hideEvent(QHideEvent *event)
{
    m_countdown.stop(); // nobody sees it: nothing to wake up for
    QWidget::hideEvent(event);
}

void StatusPage::retranslate()
{
    m_stateTitle->setText(tr("Relay"));
    m_endpointTitle->setText(tr("Endpoint"));
    m_keyTitle->setText(tr("Access key"));
    m_copyEndpoint->setText(tr("Copy"));
    m_copyKey->setText(tr("Copy"));
    m_freePort->setText(tr("Move to a free port"));
    m_todayTitle->setText(tr("Today:"));
    m_keysTitle->setText(tr("Keys"));
    m_chartTitle->setText(tr("Last hour"));
    Q_EMIT m_keys->headerDataChanged(Qt::Horizontal, 0, KeyTableModel::Count - 1);
    setSnapshot(m_snapshot);
}

void StatusPage::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::LanguageChange)
        retranslate();
    QWidget::changeEvent(event);
}

} // namespace relay
