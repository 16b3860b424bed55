#include "KeyProber.h"

#include "ProtocolBridge.h"
#include "upstream/UpstreamClient.h"
#include "upstream/UpstreamReply.h"

#include <QElapsedTimer>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTimer>
#include <memory>

namespace relay {

KeyProber::KeyProber(UpstreamClient &client, QObject *parent)
    : QObject(parent)
    , m_client(client)
{ }

QStringList KeyProber::modelIds(const QByteArray &body)
{
    const QJsonObject root = QJsonDocument::fromJson(body).object();
    QStringList ids;
    for (const QJsonValue &m : root.value(u"data").toArray()) {
        const QString id = m.toObject().value(u"id").toString();
        if (!id.isEmpty())
            ids.append(id);
    }
    for (const QJsonValue &m : root.value(u"models").toArray()) {
        QString name = m.toObject().value(u"name").toString();
        if (name.startsWith(u"models/"))
            name.remove(0, 7);
        if (!name.isEmpty())
            ids.append(name);
    }
    ids.sort();
    ids.removeDuplicates();
    return ids;
}

void KeyProber::probe(const UpstreamConfig &upstream, const QString &secret, Done done)
{
    IncomingRequest list;
    list.method = "GET";
    list.path = QStringLiteral("/v1/models");
    const UpstreamCall call = ProtocolBridge::request(RelayCall {}, list, upstream, secret);
    UpstreamRequest request;
    request.method = "GET";
    request.url = call.url(upstream.baseUrl);
    request.headers = call.headers;
    request.proxy = upstream.proxy;
    auto clock = std::make_shared<QElapsedTimer>();
    clock->start();
    UpstreamReply *reply = m_client.send(request);
    // A provider that never answers must not leave the user waiting forever.
    QTimer::singleShot(kTimeoutMs, reply, [reply] { reply->abort(); });
    connect(reply, &UpstreamReply::finished, this, [reply, clock, secret, done = std::move(done)] {
        reply->deleteLater();
        KeyProbeResult result;
        result.status = reply->status();
        result.latencyMs = clock->elapsed();
        result.valid = reply->error() == UpstreamReply::Error::None && result.status >= 200
            && result.status < 300;
        if (reply->error() == UpstreamReply::Error::Aborted)
            result.error = QStringLiteral("no answer within %1 s").arg(kTimeoutMs / 1000);
        else if (reply->error() != UpstreamReply::Error::None)
            result.error = reply->errorString();
        else if (result.status == 401 || result.status == 403)
            result.error
                = QStringLiteral("the provider refused the key (HTTP %1)").arg(result.status);
        else if (!result.valid)
            result.error = QStringLiteral("HTTP %1: %2")
                               .arg(result.status)
                               .arg(QString::fromUtf8(reply->readAll().left(300)).simplified());
        else
            result.models = modelIds(reply->readAll());
        // Some providers quote the key they refused.
        if (!secret.isEmpty())
            result.error.replace(secret, QStringLiteral("[redacted]"));
        done(result);
    });
}

} // namespace relay
