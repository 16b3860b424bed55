#pragma once

#include <QObject>

#include <memory>

class QSocketNotifier;

namespace relay {

// Turns a request to stop into a Qt signal, delivered on the event loop instead of inside the
// handler, where almost nothing is safe to call. Unix: SIGINT and SIGTERM. Windows: Ctrl+C,
// Ctrl+Break, closing the console, logging off and shutting down (the console handler holds
// those back until this object is destroyed, at most the 5 s Windows allows), and WM_CLOSE
// posted to the main thread (what QProcess::terminate() and taskkill send).
// Destroy it after everything that must be saved has been saved.
class SignalWatcher final : public QObject
{
    Q_OBJECT
public:
    explicit SignalWatcher(QObject *parent = nullptr);
    ~SignalWatcher() override;
    Q_DISABLE_COPY_MOVE(SignalWatcher)

Q_SIGNALS:
    void terminationRequested();

private:
    QSocketNotifier *m_notifier = nullptr;
    class WindowsFilter;
    std::unique_ptr<WindowsFilter> m_windowsFilter;
};

} // namespace relay
