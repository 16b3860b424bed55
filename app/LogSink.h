#pragma once

#include <QtGlobal>

namespace relay {

// Process-wide log output: one line per message ("time category: text") written to stderr in
// batches. Under load the relay logs thousands of lines a second; one write per line (and
// Qt's pattern formatter) cost a quarter of the request rate.
class LogSink
{
public:
    static void install();
    // Writes what is buffered. Called by a timer, on warnings, and at exit.
    static void flush();
};

} // namespace relay
