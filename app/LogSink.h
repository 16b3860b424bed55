#pragma once

#include <QtGlobal>

namespace relay {

// Process-wide log output: one line per message ("time category: text") written to stderr in
// batches. Under load the relay logs thousands of lines a second; one write per line (and
// Qt's pattern formatter) cost a quarter of the request rate.
class LogSink
{
public:
    // Lines are written at most flushMs after they were logged (a timer armed by the first
    // line of a batch, so nothing runs while nothing is logged).
    static void install(int flushMs = 100);
    // Writes what is buffered. Called by that timer, on warnings, and at exit.
    static void flush();
};

} // namespace relay
