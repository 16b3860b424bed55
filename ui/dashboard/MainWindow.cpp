#include "MainWindow.h"

#include "ConnectPage.h"
#include "LanguageManager.h"
#include "RequestsPage.h"
#include "StatusPage.h"
#include "service/RelayHost.h"
#include "settings/AddUpstreamDialog.h"
#include "settings/SettingsPage.h"
#include "settings/UpstreamsPage.h"

#include <QCloseEvent>
#include <QHBoxLayout>
#include <QListWidget>
#include <QStackedWidget>
#include <QStatusBar>

namespace relay {

MainWindow::MainWindow(RelayHost &host, LanguageManager &languages, QWidget *parent)
    : QMainWindow(parent)
    , m_host(host)
    , m_languages(languages)
    , m_sidebar(new QListWidget(this))
    , m_pages(new QStackedWidget(this))
    , m_status(new StatusPage(host, this))
    , m_requests(new RequestsPage(this))
    , m_upstreams(new UpstreamsPage(host, this))
    , m_connect(new ConnectPage(host, this))
    , m_settings(new SettingsPage(host, this))
{
    setObjectName(QStringLiteral("MainWindow"));
    setWindowIcon(QIcon(QStringLiteral(":/icons/llm-relay.svg")));
    for (int i = 0; i < PageCount; ++i)
        m_sidebar->addItem(QString());
    m_sidebar->setFixedWidth(m_sidebar->fontMetrics().horizontalAdvance(QStringLiteral("M")) * 14);
    m_pages->addWidget(m_status);
    m_pages->addWidget(m_requests);
    m_pages->addWidget(m_upstreams);
    m_pages->addWidget(m_connect);
    m_pages->addWidget(m_settings);
    auto *central = new QWidget(this);
    auto *layout = new QHBoxLayout(central);
    layout->addWidget(m_sidebar);
    layout->addWidget(m_pages, 1);
    setCentralWidget(central);
    resize(980, 680);

    connect(m_sidebar, &QListWidget::currentRowChanged, m_pages, &QStackedWidget::setCurrentIndex);
    connect(&host, &RelayHost::snapshotReady, this, [this](const RelaySnapshot &s) {
        m_status->setSnapshot(s);
        m_connect->setPort(s.port ? s.port : s.configuredPort);
    });
    connect(&host, &RelayHost::requestsFinished, m_requests, &RequestsPage::add);
    connect(&host, &RelayHost::configChanged, m_upstreams, &UpstreamsPage::setConfig);
    connect(&host, &RelayHost::configChanged, m_settings, &SettingsPage::setConfig);
    connect(m_settings, &SettingsPage::copied, this,
            [this](const QString &what) { statusBar()->showMessage(what, 3000); });
    connect(m_upstreams, &UpstreamsPage::addRequested, this, [this] { openAddUpstream(false); });
    connect(m_status, &StatusPage::copied, this,
            [this](const QString &what) { statusBar()->showMessage(what, 3000); });
    connect(m_connect, &ConnectPage::copied, this,
            [this](const QString &what) { statusBar()->showMessage(what, 3000); });
    m_upstreams->setConfig(host.config());
    m_sidebar->setCurrentRow(Status);
    retranslate();
}

void MainWindow::showPage(Page page)
{
    m_sidebar->setCurrentRow(page);
    show();
    raise();
    activateWindow();
}

void MainWindow::openAddUpstream(bool firstRun)
{
    auto *dialog = new AddUpstreamDialog(m_host, m_languages, firstRun, this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(dialog, &AddUpstreamDialog::saved, this,
            [this, firstRun] { showPage(firstRun ? Connect : Upstreams); });
    dialog->open();
}

void MainWindow::runFirstStart()
{
    showPage(Status);
    openAddUpstream(true);
}

void MainWindow::retranslate()
{
    setWindowTitle(tr("LLM Relay"));
    const QStringList names { tr("Status"), tr("Requests"), tr("Upstreams"), tr("Connect a client"),
                              tr("Settings") };
    for (int i = 0; i < PageCount; ++i)
        m_sidebar->item(i)->setText(names.at(i));
}

void MainWindow::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::LanguageChange)
        retranslate();
    QMainWindow::changeEvent(event);
}

void MainWindow::closeEvent(QCloseEvent *event)
{
    if (m_quitOnClose) {
        event->ignore();
        Q_EMIT quitRequested();
        return;
    }
    hide(); // the relay goes on in the tray
    event->ignore();
}

} // namespace relay
