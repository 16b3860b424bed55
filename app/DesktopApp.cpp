#include "DesktopApp.h"

#include "CommandLine.h"
#include "HeadlessApp.h"
#include "LanguageManager.h"
#include "LogSink.h"
#ifdef Q_OS_WIN
#include "SessionEndFilter.h"
#else
#include "SignalWatcher.h"
#endif
#include "SingleInstance.h"
#include "StateText.h"
#include "dashboard/MainWindow.h"
#include "service/RelayHost.h"
#include "tray/TrayIcon.h"

#include <QApplication>
#include <QJsonArray>
#include <QMessageBox>
#include <QSystemTrayIcon>

namespace relay {

int runDesktop(int argc, char *argv[])
{
    QApplication app(argc, argv);
    setApplicationNames();
    QApplication::setApplicationDisplayName(QStringLiteral("LLM Relay"));
    QApplication::setWindowIcon(QIcon(QStringLiteral(":/icons/llm-relay.svg")));
    QApplication::setQuitOnLastWindowClosed(false); // the tray keeps the relay
    LogSink::install(); // batched: one write per request line would slow the relay

    LanguageManager languages;
    languages.apply(languages.preferred(), false);
    const CommandLine cl = CommandLine::parse(QCoreApplication::arguments());
    if (!cl.errors.isEmpty()) {
        QMessageBox::critical(nullptr, QStringLiteral("LLM Relay"), cl.errors.join(u'\n'));
        return 2;
    }
    SingleInstance instance(cl.service.configPath);
    switch (instance.claim()) {
    case SingleInstance::Claim::Owner:
        break;
    case SingleInstance::Claim::OtherCameForward:
        return 0;
    case SingleInstance::Claim::OtherSilent:
        QMessageBox::warning(nullptr, QStringLiteral("LLM Relay"), StateText::notAnswering());
        return 1;
    }

#ifndef Q_OS_WIN
    // Destroyed last: SIGTERM is answered once everything is saved.
    SignalWatcher signals;
#endif
    RelayHost host(cl.service);
    MainWindow window(host, languages);
    TrayIcon tray(host, languages);
    const bool haveTray = QSystemTrayIcon::isSystemTrayAvailable();
    window.setQuitOnClose(!haveTray);

    const auto quit = [&host] {
        if (host.isRunning())
            host.shutdown(); // streams get their grace period; the store is flushed
        else
            QCoreApplication::quit();
    };
    QObject::connect(&host, &RelayHost::stopped, &app, &QCoreApplication::quit);
    QObject::connect(&tray, &TrayIcon::quitRequested, &app, quit);
    QObject::connect(&window, &MainWindow::quitRequested, &app, quit);
    QObject::connect(&instance, &SingleInstance::quitRequested, &app, quit); // the installer
#ifndef Q_OS_WIN
    // SIGTERM: a Linux session ending, systemd, kill. Windows: SessionEndFilter, below.
    QObject::connect(&signals, &SignalWatcher::terminationRequested, &app, quit);
#endif
    QObject::connect(&tray, &TrayIcon::openRequested, &window,
                     [&window] { window.showPage(MainWindow::Status); });
    QObject::connect(&tray, &TrayIcon::settingsRequested, &window,
                     [&window] { window.showPage(MainWindow::Upstreams); });
    QObject::connect(&instance, &SingleInstance::activationRequested, &window,
                     [&window] { window.showPage(MainWindow::Status); });
    // Logging off or shutting down: asked (commitDataRequest), the relay starts its graceful
    // end; told (WM_ENDSESSION), it ends at once and the store is flushed before the answer.
    QObject::connect(&app, &QGuiApplication::commitDataRequest, &app,
                     [&host](QSessionManager &) { host.shutdown(); });
#ifdef Q_OS_WIN
    SessionEndFilter sessionEnd(
        [&host] {
            host.stopNow();
            LogSink::flush();
        },
        quit);
#endif
    QObject::connect(&host, &RelayHost::startFailed, &window, [&window](const QString &error) {
        window.showPage(MainWindow::Status);
        QMessageBox::critical(&window, QObject::tr("LLM Relay"), error);
    });
    QObject::connect(&host, &RelayHost::started, &window, [&window, &host] {
        // First run: nothing configured yet, so the wizard.
        if (host.config().value(u"upstreams").toArray().isEmpty())
            window.runFirstStart();
    });
    host.start();
    if (haveTray)
        tray.icon().show();
    else
        window.showPage(MainWindow::Status);
    const int code = QApplication::exec();
    LogSink::flush();
    return code;
}

} // namespace relay
