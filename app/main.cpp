#include "DesktopApp.h"
#include "HeadlessApp.h"

#include <QString>
#include <cstring>

namespace {
bool hasArgument(int argc, char *argv[], std::initializer_list<const char *> names)
{
    for (int i = 1; i < argc; ++i) {
        for (const char *name : names) {
            if (std::strcmp(argv[i], name) == 0)
                return true;
        }
    }
    return false;
}

bool haveDisplay()
{
#if defined(Q_OS_LINUX) || defined(Q_OS_FREEBSD)
    return !qEnvironmentVariableIsEmpty("DISPLAY")
        || !qEnvironmentVariableIsEmpty("WAYLAND_DISPLAY")
        || !qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM");
#else
    return true;
#endif
}
} // namespace

int main(int argc, char *argv[])
{
    // One executable: with a display it is the tray app; --headless (and the one-shot commands)
    // keep the server behaviour for scripts and containers.
    if (hasArgument(
            argc, argv,
            { "--headless", "--check-config", "--help", "-h", "--help-all", "--version", "-v" }))
        return relay::runHeadless(argc, argv);
    if (!haveDisplay())
        return relay::runHeadless(argc, argv,
                                  QStringLiteral("no display found; running headless (pass "
                                                 "--headless to silence this line)."));
    return relay::runDesktop(argc, argv);
}
