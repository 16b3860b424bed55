#pragma once

#include <QAbstractNativeEventFilter>
#include <functional>

namespace relay {

// Windows ends a signed-out session's processes as soon as WM_ENDSESSION is answered: what must
// be saved is saved while it is being answered, not after the event loop has returned (seen
// under Wine: the requests of the last second were lost, with exit code 0).
class SessionEndFilter final : public QAbstractNativeEventFilter
{
public:
    explicit SessionEndFilter(std::function<void()> onSessionEnd);

    bool nativeEventFilter(const QByteArray &eventType, void *message, qintptr *result) override;

private:
    std::function<void()> m_onSessionEnd;
    bool m_ended = false;
};

} // namespace relay
