#pragma once

#include <QObject>

class QSocketNotifier;

namespace relay {

// Turns SIGINT and SIGTERM (Ctrl+C and console close on Windows) into a Qt signal, delivered on
// the event loop instead of inside the handler, where almost nothing is safe to call.
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
};

} // namespace relay
