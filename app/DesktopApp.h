#pragma once

namespace relay {

// The tray app: the relay in its own thread, the tray icon, the main window, the first-run
// wizard; one instance per user.
int runDesktop(int argc, char *argv[]);

} // namespace relay
