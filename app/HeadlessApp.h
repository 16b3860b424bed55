#pragma once

#include <QString>

namespace relay {

// The fixed names behind the config and data folders (%LOCALAPPDATA%\llm-relay,
// ~/.config/llm-relay): they must never change between versions, or settings would move.
void setApplicationNames();

// The relay without any window, for servers, scripts and containers: output on the terminal,
// SIGINT/SIGTERM (Ctrl+C) end it gracefully. `note` is printed first when not empty.
int runHeadless(int argc, char *argv[], const QString &note = {});

} // namespace relay
