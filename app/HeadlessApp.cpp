#include "HeadlessApp.h"

#include "CommandLine.h"
#include "LogSink.h"
#include "SignalWatcher.h"
#include "SingleInstance.h"
#include "config/ConfigParser.h"
#include "relay/RelayEngine.h"
#include "secrets/SecretRedactor.h"
#include "service/RelayController.h"
#include "tray/AutoStart.h"

#include <QCoreApplication>
#include <QFile>
#include <QTextStream>
#include <QTimer>
#include <cstdio>

namespace relay {

namespace {
QTextStream &out()
{
    static QTextStream stream(stdout);
    return stream;
}

QTextStream &err()
{
    static QTextStream stream(stderr);
    return stream;
}

int checkConfig(const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        err() << "Cannot read " << path << ": " << file.errorString() << Qt::endl;
        return 2;
    }
    const ParsedConfig parsed = ConfigParser::parse(file.readAll());
    if (parsed.ok()) {
        out() << path << ": OK (" << parsed.config.upstreams.size() << " upstreams)" << Qt::endl;
        return 0;
    }
    err() << path << ": " << parsed.problems.size() << " problem(s):" << Qt::endl;
    for (const QString &e : parsed.errors())
        err() << "  " << e << Qt::endl;
    return 1;
}
int quitRunning(const QString &configPath)
{
    // The running one lets its streams finish first: wait for their grace period and a margin.
    int graceSeconds = RelayConfig().shutdownGraceSeconds;
    QFile file(configPath);
    if (file.open(QIODevice::ReadOnly)) {
        const ParsedConfig parsed = ConfigParser::parse(file.readAll());
        if (parsed.ok())
            graceSeconds = parsed.config.shutdownGraceSeconds;
    }
    const int timeoutMs = (graceSeconds + 20) * 1000;
    switch (SingleInstance::askRunningToQuit(configPath, timeoutMs)) {
    case SingleInstance::QuitResult::NoneRunning:
        out() << "LLM Relay is not running (for " << configPath << ")." << Qt::endl;
        return 0;
    case SingleInstance::QuitResult::Quit:
        out() << "LLM Relay has quit." << Qt::endl;
        return 0;
    case SingleInstance::QuitResult::StillRunning:
        break;
    }
    err() << "llm-relay: the running LLM Relay did not quit within " << timeoutMs / 1000
          << " s; quit it from its tray menu, or end llm-relay in the task manager." << Qt::endl;
    return 1;
}

// The installer's "start at login" box goes through here, so that the app alone writes the entry.
int setStartAtLogin(bool enabled)
{
    QString error;
    if (!AutoStart::setEnabled(enabled, &error)) {
        err() << "llm-relay: start at login could not be turned " << (enabled ? "on" : "off")
              << ": " << error << Qt::endl;
        return 1;
    }
    out() << "Start at login: " << (enabled ? "on" : "off") << " (" << AutoStart::location() << ")"
          << Qt::endl;
    return 0;
}

void printWelcome(RelayService &service)
{
    if (!service.configPath().isEmpty())
        out() << "Config:     " << service.configPath() << Qt::endl;
    out() << "Endpoint:   http://" << service.engine().config().listenAddress << ':'
          << service.port() << "/v1" << Qt::endl;
    // A key is printed whole only when it is new: afterwards it lives in the keychain alone.
    if (!service.newAccessKey().isEmpty()) {
        out() << "Access key: " << service.newAccessKey() << Qt::endl;
        out() << "            (new: shown this once; kept in " << service.secretsDescription()
              << ")" << Qt::endl;
    } else {
        out() << "Access key: " << redactSecret(service.accessKey()) << Qt::endl;
        out() << "            (kept in " << service.secretsDescription()
              << "; --rotate-access-key makes a new one)" << Qt::endl;
    }
    if (!service.newAdminKey().isEmpty())
        out() << "Admin key:  " << service.newAdminKey() << "  (new: shown this once)" << Qt::endl;
    if (service.engine().config().upstreams.isEmpty())
        out() << "No upstream configured yet: requests will be answered with an error until you "
                 "add one to the config file (see README)."
              << Qt::endl;
}
} // namespace

void setApplicationNames()
{
    // No organisation name: it would become a folder level (~/.config/ORG/llm-relay).
    QCoreApplication::setApplicationName(QStringLiteral("llm-relay"));
    QCoreApplication::setApplicationVersion(QStringLiteral(RELAY_VERSION));
}

int runHeadless(int argc, char *argv[], const QString &note)
{
    // Qt's own event dispatcher serves sockets faster than the GLib one (about +25% requests/s
    // measured by bench/run.sh); nothing in a core application needs GLib's loop.
    qputenv("QT_NO_GLIB", "1");
    QCoreApplication app(argc, argv);
    // Threads started from here on get GLib's loop again: the secrets thread needs it for the
    // Secret Service client (libsecret), which answers through GLib callbacks.
    qunsetenv("QT_NO_GLIB");
    setApplicationNames();
    LogSink::install();

    const CommandLine cl = CommandLine::parse(QCoreApplication::arguments());
    if (!cl.errors.isEmpty()) {
        for (const QString &e : cl.errors)
            err() << "llm-relay: " << e << Qt::endl;
        return 2;
    }
    if (cl.action == CommandLine::Action::CheckConfig)
        return checkConfig(cl.checkConfigPath);
    if (cl.action == CommandLine::Action::QuitRunning)
        return quitRunning(cl.service.configPath);
    if (cl.action == CommandLine::Action::SetStartAtLogin)
        return setStartAtLogin(cl.startAtLogin);
    if (!note.isEmpty())
        err() << "llm-relay: " << note << Qt::endl;

    SignalWatcher signals; // destroyed last: a console closing waits for everything to be saved
    RelayController controller(cl.service);
    RelayService &service = controller.service();
    QObject::connect(&service, &RelayService::notice, &app,
                     [](const QString &message) { err() << message << Qt::endl; });
    QObject::connect(&service, &RelayService::startFailed, &app, [](const QString &error) {
        err() << "llm-relay: " << error << Qt::endl;
        QCoreApplication::exit(1);
    });
    // Headless, a port that cannot be opened at start ends the run: a script or container has
    // no one to choose another port (the tray app offers one instead). Later (a port change
    // that failed) the old port stays open and the relay goes on.
    QObject::connect(&service, &RelayService::listenFailed, &app, [&service](const QString &error) {
        err() << "llm-relay: " << error << Qt::endl;
        if (!service.hasListened())
            QCoreApplication::exit(1);
    });
    QObject::connect(&service, &RelayService::started, &app, [&service] { printWelcome(service); });
    controller.start();

    QObject::connect(&signals, &SignalWatcher::terminationRequested, &service,
                     &RelayService::shutdown);
    QObject::connect(&service, &RelayService::stopped, &app, [] {
        LogSink::flush();
        err() << "llm-relay: stopped." << Qt::endl;
        QCoreApplication::exit(0);
    });
    const int code = QCoreApplication::exec();
    LogSink::flush();
    return code;
}

} // namespace relay
