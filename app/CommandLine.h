#pragma once

#include "service/RelayService.h"

#include <QStringList>

namespace relay {

// What the command line and the environment ask this process to do.
struct CommandLine
{
    enum class Action { Run, CheckConfig, QuitRunning, SetStartAtLogin, Exit };

    Action action = Action::Run;
    int exitCode = 0;
    bool headless = false;
    bool startAtLogin = false;
    QString checkConfigPath;
    RelayService::Options service;
    QStringList errors;

    static CommandLine parse(const QStringList &arguments);
};

} // namespace relay
