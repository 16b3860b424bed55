#pragma once

#include <QObject>

#include <memory>

class QLocalServer;
class QLockFile;

namespace relay {

// One desktop app per config file (two would write the same file and database): the first
// instance listens on a local socket named after the config; a second launch finds it there,
// asks it to come forward and exits. `llm-relay --quit` (the installer) asks it to quit.
class SingleInstance final : public QObject
{
    Q_OBJECT
public:
    explicit SingleInstance(const QString &configPath, QObject *parent = nullptr);
    ~SingleInstance() override;

    // Owner: this process is the one instance (it then listens). Otherwise the running one was
    // asked to show itself: it did (OtherCameForward), or it held the lock without answering
    // for 5 s (OtherSilent: hung, or listening failed).
    enum class Claim { Owner, OtherCameForward, OtherSilent };
    Claim claim();

    enum class QuitResult { NoneRunning, Quit, StillRunning };
    // Asks the instance for configPath to quit and waits until it has let go of the config,
    // for at most timeoutMs.
    static QuitResult askRunningToQuit(const QString &configPath, int timeoutMs);

    static QString serverName(const QString &configPath);
    static QString lockPath(const QString &configPath);

Q_SIGNALS:
    void activationRequested();
    void quitRequested();

private:
    // One knock: true when the instance took the request and answered.
    static bool tellRunning(const QString &name, const QByteArray &request);

    QString m_configPath;
    std::unique_ptr<QLockFile> m_lock;
    QLocalServer *m_server = nullptr;
};

} // namespace relay
