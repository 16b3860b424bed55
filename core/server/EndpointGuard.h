#pragma once

#include "types/IncomingRequest.h"

#include <QStringList>

namespace relay {

// What web pages may do with the relay. The Host check defeats DNS rebinding (a page on
// evil.example whose name is made to resolve to 127.0.0.1): only loopback names, IP literals
// and configured names are served. CORS lets the configured origins call the relay from a
// browser, including the preflight answer for private-network access.
class EndpointGuard
{
public:
    static bool hostAllowed(const QByteArray &hostHeader, const QStringList &allowedHosts);
    static bool originAllowed(const QByteArray &origin, const QStringList &corsOrigins);
    static bool isPreflight(const IncomingRequest &request);
    // Headers for the answer to an allowed origin's preflight.
    static HeaderList preflightHeaders(const IncomingRequest &request);
    // Headers every response to an allowed origin carries.
    static HeaderList responseHeaders(const QByteArray &origin);
};

} // namespace relay
