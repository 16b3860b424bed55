#include "DesktopApp.h"
#include "HeadlessApp.h"

#include <QString>
#include <cstdio>
#include <cstring>

#ifdef Q_OS_WIN
#include <windows.h>
#endif

namespace {
bool hasArgument(int argc, char *argv[], std::initializer_list<const char *> names)
{
    for (int i = 1; i < argc; ++i) {
        for (const char *name : names) {
            const size_t length = std::strlen(name);
            if (std::strncmp(argv[i], name, length) == 0
                && (argv[i][length] == '\0' || argv[i][length] == '=')) // --option=value
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

// The Windows executable is a GUI program (no console window for the tray app), so started
// from a terminal it has no standard output: attach to that terminal's console. Handles given by
// a parent (pipes, a redirection to a file) are kept.
void attachParentConsole()
{
#ifdef Q_OS_WIN
    const bool noOut = !GetStdHandle(STD_OUTPUT_HANDLE);
    const bool noErr = !GetStdHandle(STD_ERROR_HANDLE);
    if ((!noOut && !noErr) || !AttachConsole(ATTACH_PARENT_PROCESS))
        return;
    FILE *reopened = nullptr;
    if (noOut)
        freopen_s(&reopened, "CONOUT$", "w", stdout);
    if (noErr)
        freopen_s(&reopened, "CONOUT$", "w", stderr);
#endif
}
} // namespace

int main(int argc, char *argv[])
{
    // One executable: with a display it is the tray app; --headless (and the one-shot commands)
    // keep the server behaviour for scripts and containers.
    if (hasArgument(argc, argv,
                    { "--headless", "--check-config", "--quit", "--start-at-login", "--help", "-h",
                      "--help-all", "--version", "-v" })) {
        attachParentConsole();
        return relay::runHeadless(argc, argv);
    }
    if (!haveDisplay())
        return relay::runHeadless(argc, argv,
                                  QStringLiteral("no display found; running headless (pass "
                                                 "--headless to silence this line)."));
    return relay::runDesktop(argc, argv);
}
