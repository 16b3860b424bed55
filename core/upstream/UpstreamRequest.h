#pragma once

#include "types/IncomingRequest.h"

#include <QUrl>

namespace relay {

struct UpstreamRequest
{
    QByteArray method;
    QUrl url;
    HeaderList headers;
    QByteArray body;
    QString proxy = QStringLiteral("system"); // system, none, http://host:port, socks5://host:port
};

} // namespace relay
