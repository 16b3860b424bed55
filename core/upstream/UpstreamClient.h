#pragma once

#include "UpstreamRequest.h"

#include <QHash>
#include <QList>
#include <QNetworkProxy>
#include <QObject>

namespace relay {

class UpstreamConnection;
class UpstreamReply;

// Sends upstream requests over pooled keep-alive connections, one pool per scheme, host, port
// and proxy. There is no per-host connection cap: an agent's parallel streams each get their
// own connection at once (QNetworkAccessManager would queue all but six per host).
class UpstreamClient final : public QObject
{
    Q_OBJECT
public:
    static constexpr int kMaxIdlePerPool = 128;

    explicit UpstreamClient(QObject *parent = nullptr);

    // The reply is the caller's to delete (deleteLater is fine, also mid-response).
    UpstreamReply *send(const UpstreamRequest &request);
    int openConnections() const { return m_open; }

private:
    QNetworkProxy proxyFor(const UpstreamRequest &request);
    void dispatch(UpstreamReply *reply, const QString &poolKey, const UpstreamRequest &target,
                  const QByteArray &wire, bool allowReuse);

    QHash<QString, QList<UpstreamConnection *>> m_idle;
    QHash<QString, QNetworkProxy> m_systemProxies; // resolved once per pool
    int m_open = 0;
};

} // namespace relay
