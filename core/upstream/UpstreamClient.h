#pragma once

#include <QHash>
#include <QList>
#include <QObject>

class QNetworkAccessManager;
class QNetworkReply;
class QNetworkRequest;

namespace relay {

// Sends upstream requests through a growing pool of QNetworkAccessManagers, one pool per proxy
// setting. One manager opens at most six HTTP/1.1 connections per host and queues the rest;
// LLM streams last minutes, so a new manager is added whenever every existing one already
// carries six requests to the host, and parallel streams never wait for each other.
class UpstreamClient final : public QObject
{
    Q_OBJECT
public:
    static constexpr int kConnectionsPerManager = 6;
    static constexpr int kMaxManagersPerProxy = 64;

    explicit UpstreamClient(QObject *parent = nullptr);
    ~UpstreamClient() override;
    Q_DISABLE_COPY_MOVE(UpstreamClient)

    // proxy: "system", "none", "http://host:port" or "socks5://host:port".
    QNetworkReply *send(const QByteArray &verb, const QNetworkRequest &request,
                        const QByteArray &body, const QString &proxy);
    int managerCount() const;

private:
    struct Manager
    {
        QNetworkAccessManager *nam = nullptr;
        QHash<QString, int> inflightByHost;
    };
    Manager *managerFor(const QString &proxy, const QString &hostKey);
    QNetworkAccessManager *createManager(const QString &proxy);

    QHash<QString, QList<Manager *>> m_pools;
};

} // namespace relay
