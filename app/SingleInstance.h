#pragma once

#include <QObject>

#include <memory>

class QLocalServer;
class QLockFile;

namespace relay {

// One desktop app per user: the first instance listens on a local socket named per user; a
// second launch finds it there, asks it to come forward and exits.
class SingleInstance final : public QObject
{
    Q_OBJECT
public:
    explicit SingleInstance(QObject *parent = nullptr);
    ~SingleInstance() override;

    // True when this process is the one instance (it then listens); false after asking the
    // running one to show itself.
    bool claim();
    static QString serverName();
    static QString lockPath();

Q_SIGNALS:
    void activationRequested();

private:
    static void askRunningToShow(const QString &name);

    std::unique_ptr<QLockFile> m_lock;
    QLocalServer *m_server = nullptr;
};

} // namespace relay
