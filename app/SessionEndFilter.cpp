#include "SessionEndFilter.h"

#include <QByteArray>
#include <QCoreApplication>
#include <qt_windows.h>

namespace relay {

SessionEndFilter::SessionEndFilter(std::function<void()> onSessionEnd,
                                   std::function<void()> onCloseRequested)
    : m_onSessionEnd(std::move(onSessionEnd))
    , m_onCloseRequested(std::move(onCloseRequested))
{
    m_window.create();
    QCoreApplication::instance()->installNativeEventFilter(this);
}

SessionEndFilter::~SessionEndFilter()
{
    QCoreApplication::instance()->removeNativeEventFilter(this);
}

bool SessionEndFilter::nativeEventFilter(const QByteArray &eventType, void *message, qintptr *)
{
    const auto *msg = static_cast<const MSG *>(message);
    // WM_CLOSE posted to the thread, not to a window (QProcess::terminate() sends it): Qt's
    // event loop would drop it.
    if (msg->message == WM_CLOSE && !msg->hwnd) {
        m_onCloseRequested();
        return true;
    }
    if (eventType != "windows_generic_MSG")
        return false;
    // Each top-level window gets it: the first one does the work.
    if (!m_ended && msg->message == WM_ENDSESSION && msg->wParam) {
        m_ended = true;
        m_onSessionEnd();
    }
    return false; // Qt sees it too
}

} // namespace relay
