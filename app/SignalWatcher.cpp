#include "SignalWatcher.h"

#include <QCoreApplication>
#include <QSocketNotifier>

#ifdef Q_OS_UNIX
#include <csignal>
#include <sys/socket.h>
#include <unistd.h>
#elif defined(Q_OS_WIN)
#include <QAbstractNativeEventFilter>
#include <QMetaObject>
#include <atomic>
#include <windows.h>
#endif

namespace relay {

#ifdef Q_OS_UNIX
namespace {
int g_fds[2] = { -1, -1 };

void onSignal(int)
{
    const char byte = 1;
    [[maybe_unused]] const auto written = ::write(g_fds[0], &byte, 1);
}
} // namespace

class SignalWatcher::WindowsFilter
{
};
#elif defined(Q_OS_WIN)
namespace {
std::atomic<SignalWatcher *> g_watcher { nullptr };
HANDLE g_stopped = nullptr; // set when the watcher goes, that is when the run has ended

// Runs on a thread the console creates; hands the request to the event loop. After a close,
// logoff or shutdown event Windows ends the process as soon as this returns (and after 5 s at
// the latest), so for those it waits until the run has ended.
BOOL WINAPI onConsoleEvent(DWORD type)
{
    SignalWatcher *watcher = g_watcher.load();
    if (!watcher)
        return FALSE;
    QMetaObject::invokeMethod(watcher, &SignalWatcher::terminationRequested, Qt::QueuedConnection);
    if (type == CTRL_CLOSE_EVENT || type == CTRL_LOGOFF_EVENT || type == CTRL_SHUTDOWN_EVENT)
        WaitForSingleObject(g_stopped, 4500);
    return TRUE;
}
} // namespace

// A thread message has no window: Qt's event loop would drop it, so it is picked up here.
class SignalWatcher::WindowsFilter final : public QAbstractNativeEventFilter
{
public:
    explicit WindowsFilter(SignalWatcher *watcher)
        : m_watcher(watcher)
    { }
    bool nativeEventFilter(const QByteArray &, void *message, qintptr *) override
    {
        const auto *msg = static_cast<const MSG *>(message);
        if (msg->hwnd != nullptr || msg->message != WM_CLOSE)
            return false;
        Q_EMIT m_watcher->terminationRequested();
        return true;
    }

private:
    SignalWatcher *m_watcher;
};
#endif

SignalWatcher::SignalWatcher(QObject *parent)
    : QObject(parent)
{
#ifdef Q_OS_UNIX
    if (::socketpair(AF_UNIX, SOCK_STREAM, 0, g_fds) != 0)
        return;
    m_notifier = new QSocketNotifier(g_fds[1], QSocketNotifier::Read, this);
    connect(m_notifier, &QSocketNotifier::activated, this, [this] {
        char byte = 0;
        [[maybe_unused]] const auto n = ::read(g_fds[1], &byte, 1);
        Q_EMIT terminationRequested();
    });
    struct sigaction action = {};
    action.sa_handler = onSignal;
    sigemptyset(&action.sa_mask);
    action.sa_flags = SA_RESTART;
    sigaction(SIGINT, &action, nullptr);
    sigaction(SIGTERM, &action, nullptr);
#elif defined(Q_OS_WIN)
    g_stopped = CreateEventW(nullptr, TRUE, FALSE, nullptr);
    g_watcher = this;
    SetConsoleCtrlHandler(onConsoleEvent, TRUE);
    m_windowsFilter = std::make_unique<WindowsFilter>(this);
    QCoreApplication::instance()->installNativeEventFilter(m_windowsFilter.get());
#endif
}

SignalWatcher::~SignalWatcher()
{
#ifdef Q_OS_UNIX
    signal(SIGINT, SIG_DFL);
    signal(SIGTERM, SIG_DFL);
#elif defined(Q_OS_WIN)
    QCoreApplication::instance()->removeNativeEventFilter(m_windowsFilter.get());
    SetConsoleCtrlHandler(onConsoleEvent, FALSE);
    g_watcher = nullptr;
    SetEvent(g_stopped); // a console handler waiting for the end may return now
#endif
}

} // namespace relay
