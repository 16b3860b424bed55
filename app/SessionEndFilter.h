#pragma once

#include <QAbstractNativeEventFilter>
#include <QWindow>
#include <functional>

namespace relay {

// Windows only. Windows ends a signed-out session's processes as soon as WM_ENDSESSION is
// answered: what must be saved is saved while it is being answered, not after the event loop has
// returned (seen under Wine: the requests of the last second were lost, with exit code 0).
// Also a WM_CLOSE posted to the thread (QProcess::terminate) asks the app to quit: the tray app
// has no console, so it needs no console handler (SignalWatcher) on Windows.
class SessionEndFilter final : public QAbstractNativeEventFilter
{
public:
    SessionEndFilter(std::function<void()> onSessionEnd, std::function<void()> onCloseRequested);
    ~SessionEndFilter() override;
    Q_DISABLE_COPY_MOVE(SessionEndFilter)

    bool nativeEventFilter(const QByteArray &eventType, void *message, qintptr *result) override;

private:
    std::function<void()> m_onSessionEnd;
    std::function<void()> m_onCloseRequested;
    // Windows tells top-level windows only, hidden ones included, and the tray icon's window is
    // not one Qt listens on: with the main window closed nothing would hear the session end.
    QWindow m_window;
    bool m_ended = false;
};

} // namespace relay
