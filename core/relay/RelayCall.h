#pragma once

#include "server/ApiError.h"

#include <QJsonObject>
#include <QString>

namespace relay {

// What the front decided about a request before it is relayed.
struct RelayCall
{
    QString model; // as the client named it
    ClientFormat format = ClientFormat::OpenAi;
    QString upstreamPath; // the OpenAI path to call upstream; empty: the client's own path
    QJsonObject translatedBody; // set when the client's body was translated to OpenAI's format
};

} // namespace relay
