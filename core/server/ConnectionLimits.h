#pragma once

#include <QtGlobal>

namespace relay {

// What one client connection may take from the relay, so that huge, slow or abandoned
// connections cannot exhaust it.
struct ConnectionLimits
{
    qint64 maxBodyBytes = 32 * 1024 * 1024; // larger requests get 413 before they are buffered
    int idleTimeoutMs = 60000; // a connection with no request in flight and no bytes: closed
    int headTimeoutMs = 30000; // a request head must be complete this long after it began: 408
    int maxConnections = 1024; // more at once get 503 and are closed
};

} // namespace relay
