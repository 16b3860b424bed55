#include "UpstreamClient.h"

#include <QNetworkAccessManager>
#include <QNetworkProxy>
#include <QNetworkReply>
#include <QNetworkRequest>
#include <QUrl>

namespace relay {

UpstreamClient::UpstreamClient(QObject *parent)
    : QObject(parent)
{ }

UpstreamClient::~UpstreamClient()
{
    for (const QList<Manager *> &pool : std::as_const(m_pools))
        qDeleteAll(pool);
}

QNetworkAccessManager *UpstreamClient::createManager(const QString &proxy)
{
    auto *nam = new QNetworkAccessManager(this);
    // A POST must never be silently turned into a GET elsewhere: 3xx goes back to the client.
    nam->setRedirectPolicy(QNetworkRequest::ManualRedirectPolicy);
    if (proxy == u"none") {
        nam->setProxy(QNetworkProxy::NoProxy);
    } else if (proxy != u"system") {
        const QUrl url(proxy);
        const auto type
            = url.scheme() == u"socks5" ? QNetworkProxy::Socks5Proxy : QNetworkProxy::HttpProxy;
        nam->setProxy(QNetworkProxy(
            type, url.host(),
            static_cast<quint16>(url.port(type == QNetworkProxy::Socks5Proxy ? 1080 : 8080)),
            url.userName(), url.password()));
    }
    return nam;
}

UpstreamClient::Manager *UpstreamClient::managerFor(const QString &proxy, const QString &hostKey)
{
    QList<Manager *> &pool = m_pools[proxy];
    Manager *best = nullptr;
    for (Manager *m : pool) {
        if (!best || m->inflightByHost.value(hostKey) < best->inflightByHost.value(hostKey))
            best = m;
    }
    if (!best
        || (best->inflightByHost.value(hostKey) >= kConnectionsPerManager
            && pool.size() < kMaxManagersPerProxy)) {
        best = new Manager;
        best->nam = createManager(proxy);
        pool.append(best);
    }
    return best;
}

QNetworkReply *UpstreamClient::send(const QByteArray &verb, const QNetworkRequest &request,
                                    const QByteArray &body, const QString &proxy)
{
    const QUrl url = request.url();
    const QString hostKey = url.scheme() + u"://" + url.host() + u':' + QString::number(url.port());
    Manager *manager = managerFor(proxy, hostKey);
    QNetworkReply *reply = body.isEmpty() && (verb == "GET" || verb == "HEAD" || verb == "DELETE")
        ? manager->nam->sendCustomRequest(request, verb)
        : manager->nam->sendCustomRequest(request, verb, body);
    ++manager->inflightByHost[hostKey];
    connect(reply, &QNetworkReply::finished, this, [manager, hostKey] {
        if (--manager->inflightByHost[hostKey] <= 0)
            manager->inflightByHost.remove(hostKey);
    });
    return reply;
}

int UpstreamClient::managerCount() const
{
    int n = 0;
    for (const auto &pool : m_pools)
        n += pool.size();
    return n;
}

} // namespace relay
