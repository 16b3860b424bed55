#include "SessionEndFilter.h"

#include <QByteArray>

#ifdef Q_OS_WIN
#include <qt_windows.h>
#endif

namespace relay {

SessionEndFilter::SessionEndFilter(std::function<void()> onSessionEnd)
    : m_onSessionEnd(std::move(onSessionEnd))
{ }

bool SessionEndFilter::nativeEventFilter(const QByteArray &eventType, void *message, qintptr *)
{
#ifdef Q_OS_WIN
    const auto *msg = static_cast<const MSG *>(message);
    // Each top-level window gets it: the first one does the work.
    if (!m_ended && eventType == "windows_generic_MSG" && msg->message == WM_ENDSESSION
        && msg->wParam) {
        m_ended = true;
        m_onSessionEnd();
    }
#else
    Q_UNUSED(eventType)
    Q_UNUSED(message)
#endif
    return false; // Qt sees it too
}

} // namespace relay
