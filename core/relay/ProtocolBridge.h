#pragma once

#include "RelayCall.h"
#include "config/UpstreamConfig.h"
#include "protocol/StreamTranslator.h"
#include "types/IncomingRequest.h"

#include <QStringList>
#include <memory>

namespace relay {

// What to send to one upstream for one call.
struct UpstreamCall
{
    QString path; // after the upstream's base URL, e.g. "/chat/completions"
    QString query;
    QByteArray body;
    HeaderList headers; // including the upstream's authentication
    QStringList errors; // the call cannot be put in this upstream's format

    // The upstream's base URL (with or without a trailing '/') extended by path and query.
    QUrl url(const QUrl &base) const;
};

// Which translation a client format needs for an upstream type, in both directions. OpenAI is
// the hub: an Anthropic client on a Gemini upstream goes through it both ways.
class ProtocolBridge
{
public:
    // The upstream types that can take the call (upstreamTypeBit() flags).
    static unsigned upstreamTypes(const RelayCall &call);
    static bool translates(const RelayCall &call, const UpstreamConfig &upstream);
    static UpstreamCall request(const RelayCall &call, const IncomingRequest &request,
                                const UpstreamConfig &upstream, const QString &secret);
    // Null when the upstream's stream goes to the client as it is.
    static std::unique_ptr<StreamTranslator> stream(const RelayCall &call,
                                                    const UpstreamConfig &upstream);
    // A whole answer in the client's format; empty and *error set when it cannot be read.
    static QByteArray response(const RelayCall &call, const UpstreamConfig &upstream,
                               const QByteArray &body, QString *error);
    // For an upstream that answered a stream request with a whole answer: the stream the client
    // asked for, in its format. Empty and *error set when the answer cannot be read.
    static QByteArray streamFromWhole(const RelayCall &call, const UpstreamConfig &upstream,
                                      const QByteArray &body, QString *error);
};

} // namespace relay
