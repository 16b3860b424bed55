#include "TrayIcon.h"

#include "AutoStart.h"
#include "LanguageManager.h"
#include "StateText.h"
#include "service/RelayHost.h"

#include <QAction>
#include <QActionGroup>
#include <QApplication>
#include <QClipboard>
#include <QMenu>
#include <QMessageBox>

namespace relay {

TrayIcon::TrayIcon(RelayHost &host, LanguageManager &languages, QObject *parent)
    : QObject(parent)
    , m_host(host)
    , m_languages(languages)
    , m_icon(new QSystemTrayIcon(this))
    , m_menu(new QMenu)
    , m_languageMenu(new QMenu(m_menu))
{
    m_pause = m_menu->addAction(QString());
    m_menu->addSeparator();
    m_open = m_menu->addAction(QString());
    m_settings = m_menu->addAction(QString());
    m_copyEndpoint = m_menu->addAction(QString());
    m_copyKey = m_menu->addAction(QString());
    m_menu->addSeparator();
    m_autoStart = m_menu->addAction(QString());
    m_autoStart->setCheckable(true);
    m_menu->addMenu(m_languageMenu);
    auto *group = new QActionGroup(m_languageMenu);
    for (const QString &code : LanguageManager::available()) {
        QAction *a = m_languageMenu->addAction(LanguageManager::displayName(code));
        a->setCheckable(true);
        a->setData(code);
        group->addAction(a);
        connect(a, &QAction::triggered, this, [this, code] { m_languages.apply(code); });
    }
    m_menu->addSeparator();
    m_quit = m_menu->addAction(QString());

    connect(m_pause, &QAction::triggered, this, [this] {
        if (m_snapshot.state == RelayState::Paused)
            m_host.resume();
        else
            m_host.pause();
    });
    connect(m_open, &QAction::triggered, this, &TrayIcon::openRequested);
    connect(m_settings, &QAction::triggered, this, &TrayIcon::settingsRequested);
    connect(m_copyEndpoint, &QAction::triggered, this,
            [this] { QApplication::clipboard()->setText(endpoint()); });
    connect(m_copyKey, &QAction::triggered, this, [this] {
        m_host.fetchAccessKey([](const QString &key) { QApplication::clipboard()->setText(key); });
    });
    connect(m_autoStart, &QAction::triggered, this, [this](bool on) {
        QString error;
        if (!AutoStart::setEnabled(on, &error))
            QMessageBox::warning(nullptr, tr("Start at login"), error);
        m_autoStart->setChecked(AutoStart::isEnabled()); // what is true, not what was asked
    });
    connect(m_menu, &QMenu::aboutToShow, this, [this] {
        m_autoStart->setChecked(AutoStart::isEnabled());
        for (QAction *a : m_languageMenu->actions())
            a->setChecked(a->data().toString() == m_languages.current());
    });
    connect(m_quit, &QAction::triggered, this, &TrayIcon::quitRequested);
    connect(m_icon, &QSystemTrayIcon::activated, this,
            [this](QSystemTrayIcon::ActivationReason reason) {
                if (reason == QSystemTrayIcon::Trigger || reason == QSystemTrayIcon::DoubleClick)
                    Q_EMIT openRequested();
            });
    connect(m_icon, &QSystemTrayIcon::messageClicked, this, [this] {
        if (m_offerFreePort)
            m_host.moveToFreePort([](const ConfigEditResult &) {});
        else
            Q_EMIT openRequested();
    });
    connect(&m_host, &RelayHost::snapshotReady, this, &TrayIcon::setSnapshot);
    connect(&m_host, &RelayHost::keyInvalid, this,
            [this](const QString &upstream, const QString &key, const QString &reason) {
                notify(tr("A key was refused"),
                       tr("%1, key %2: %3. Requests go to the other keys; replace it under "
                          "Upstreams.")
                           .arg(upstream, key, reason.left(160)));
            });
    connect(&m_host, &RelayHost::keysExhausted, this, [this] {
        notify(tr("No key can be used now"),
               tr("Every key is cooling down, at its limit or invalid: requests fail until one "
                  "comes back. Open the status page to see when."));
    });
    connect(&m_host, &RelayHost::portUnavailable, this,
            [this](quint16 port, const QString &reason) {
                // Whole sentences: how two sentences join is the language's business.
                if (reason == u"port_refused")
                    notify(tr("Port %1 cannot be used").arg(port),
                           tr("The system does not allow the relay to use port %1. Click here to "
                              "move the relay to a free port (your clients then need the new "
                              "address).")
                               .arg(port),
                           true);
                else
                    notify(tr("Port %1 is taken").arg(port),
                           tr("Another program uses port %1. Click here to move the relay to a "
                              "free port (your clients then need the new address).")
                               .arg(port),
                           true);
            });
    connect(&m_languages, &LanguageManager::changed, this, &TrayIcon::retranslate);
    m_icon->setContextMenu(m_menu);
    // Windows shows a tray entry only once it has an icon: set it before show().
    m_icon->setIcon(iconFor(RelayState::Starting));
    retranslate();
    setSnapshot(host.snapshot());
}

TrayIcon::~TrayIcon()
{
    delete m_menu;
}

QIcon TrayIcon::iconFor(RelayState state)
{
    switch (state) {
    case RelayState::Healthy:
        return QIcon(QStringLiteral(":/icons/tray-ok.svg"));
    case RelayState::Degraded:
        return QIcon(QStringLiteral(":/icons/tray-degraded.svg"));
    case RelayState::Down:
        return QIcon(QStringLiteral(":/icons/tray-down.svg"));
    case RelayState::Paused:
    case RelayState::Starting:
    case RelayState::Stopped:
        return QIcon(QStringLiteral(":/icons/tray-paused.svg"));
    }
    return {};
}

QString TrayIcon::endpoint() const
{
    const quint16 port = m_snapshot.port ? m_snapshot.port : m_snapshot.configuredPort;
    return QStringLiteral("http://127.0.0.1:%1/v1").arg(port);
}

void TrayIcon::notify(const QString &title, const QString &text, bool offerFreePort)
{
    m_offerFreePort = offerFreePort;
    m_icon->showMessage(title, text,
                        offerFreePort ? QSystemTrayIcon::Warning : QSystemTrayIcon::Information);
}

void TrayIcon::setSnapshot(const RelaySnapshot &s)
{
    const bool stateChanged = s.state != m_snapshot.state || m_icon->icon().isNull();
    m_snapshot = s;
    if (stateChanged)
        m_icon->setIcon(iconFor(s.state));
    m_pause->setText(s.state == RelayState::Paused ? tr("Resume relay") : tr("Pause relay"));
    m_pause->setEnabled(s.state != RelayState::Starting && s.state != RelayState::Stopped);
    m_icon->setToolTip(tr("LLM Relay: %1\n%2\nToday: %3 requests, %4 tokens")
                           .arg(StateText::state(s.state), endpoint())
                           .arg(s.today.requests)
                           .arg(StateText::tokens(s.today.tokensIn + s.today.tokensOut)));
}

void TrayIcon::retranslate()
{
    m_open->setText(tr("Open LLM Relay"));
    m_settings->setText(tr("Upstreams and keys…"));
    m_copyEndpoint->setText(tr("Copy endpoint URL"));
    m_copyKey->setText(tr("Copy access key"));
    m_autoStart->setText(tr("Start at login"));
    m_languageMenu->setTitle(tr("Language"));
    m_quit->setText(tr("Quit"));
    setSnapshot(m_snapshot);
}

} // namespace relay
