#pragma once

#include <QObject>

class QLocalServer;

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

Q_SIGNALS:
    void activationRequested();

private:
    QLocalServer *m_server = nullptr;
};

} // namespace relay
