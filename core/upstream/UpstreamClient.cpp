#include "UpstreamClient.h"

#include "UpstreamConnection.h"
#include "UpstreamReply.h"

#include <QNetworkProxyFactory>

namespace relay {

namespace {
QByteArray serialize(const UpstreamRequest &r)
{
    const QUrl &url = r.url;
    QByteArray target = url.path(QUrl::FullyEncoded).toLatin1();
    if (target.isEmpty())
        target = "/";
    if (url.hasQuery())
        target += '?' + url.query(QUrl::FullyEncoded).toLatin1();
    const int defaultPort = url.scheme() == u"https" ? 443 : 80;
    QByteArray host = url.host(QUrl::FullyEncoded).toLatin1();
    if (url.port(defaultPort) != defaultPort)
        host += ':' + QByteArray::number(url.port());
    QByteArray out;
    out.reserve(256 + r.body.size());
    out += r.method + ' ' + target + " HTTP/1.1\r\nHost: " + host + "\r\n";
    for (const auto &[name, value] : r.headers)
        out += name + ": " + value + "\r\n";
    if (!r.body.isEmpty() || r.method == "POST" || r.method == "PUT" || r.method == "PATCH")
        out += "Content-Length: " + QByteArray::number(r.body.size()) + "\r\n";
    out += "\r\n";
    out += r.body;
    return out;
}
} // namespace

UpstreamClient::UpstreamClient(QObject *parent)
    : QObject(parent)
{ }

QNetworkProxy UpstreamClient::proxyFor(const UpstreamRequest &request)
{
    if (request.proxy == u"none")
        return QNetworkProxy::NoProxy;
    if (request.proxy == u"system") {
        const QString key = request.url.scheme() + u"://" + request.url.host();
        auto it = m_systemProxies.constFind(key);
        if (it == m_systemProxies.cend()) {
            const QList<QNetworkProxy> proxies
                = QNetworkProxyFactory::systemProxyForQuery(QNetworkProxyQuery(request.url));
            it = m_systemProxies.insert(key, proxies.value(0, QNetworkProxy::NoProxy));
        }
        return *it;
    }
    const QUrl url(request.proxy);
    const bool socks = url.scheme() == u"socks5";
    return QNetworkProxy(socks ? QNetworkProxy::Socks5Proxy : QNetworkProxy::HttpProxy, url.host(),
                         static_cast<quint16>(url.port(socks ? 1080 : 8080)), url.userName(),
                         url.password());
}

UpstreamReply *UpstreamClient::send(const UpstreamRequest &request)
{
    auto *reply = new UpstreamReply;
    const QUrl &url = request.url;
    const QString poolKey = url.scheme() + u"://" + url.host() + u':'
        + QString::number(url.port(url.scheme() == u"https" ? 443 : 80)) + u'|' + request.proxy;
    dispatch(reply, poolKey, request, serialize(request), true);
    return reply;
}

void UpstreamClient::dispatch(UpstreamReply *reply, const QString &poolKey,
                              const UpstreamRequest &target, const QByteArray &wire,
                              bool allowReuse)
{
    QList<UpstreamConnection *> &idle = m_idle[poolKey];
    while (allowReuse && !idle.isEmpty()) {
        UpstreamConnection *connection = idle.takeLast();
        if (connection->isReusable()) {
            connection->start(reply, wire, true);
            return;
        }
    }
    const QUrl &url = target.url;
    const bool tls = url.scheme() == u"https";
    auto *connection = new UpstreamConnection(
        tls, url.host(), static_cast<quint16>(url.port(tls ? 443 : 80)), proxyFor(target), this);
    ++m_open;
    connect(connection, &UpstreamConnection::idle, this, [this, poolKey](UpstreamConnection *c) {
        QList<UpstreamConnection *> &pool = m_idle[poolKey];
        if (pool.size() >= kMaxIdlePerPool) {
            c->abandon(nullptr); // closes; the closed() handler deletes it
            return;
        }
        pool.append(c);
    });
    connect(connection, &UpstreamConnection::closed, this, [this, poolKey](UpstreamConnection *c) {
        m_idle[poolKey].removeOne(c);
        --m_open;
        c->deleteLater();
    });
    // A kept-alive connection that the server closed while it sat idle: send once more on a
    // fresh connection, as browsers and QNetworkAccessManager do.
    connect(connection, &UpstreamConnection::staleFailure, this,
            [this, poolKey, target](UpstreamReply *r, const QByteArray &bytes) {
                dispatch(r, poolKey, target, bytes, false);
            });
    connection->start(reply, wire, false);
}

} // namespace relay
