#pragma once

#include "config/RelayConfig.h"

#include <QHash>
#include <QObject>
#include <QSet>
#include <functional>

namespace relay {

class KeyProber;
class KeyStore;
class UpstreamClient;

// What upstreams that name no models of their own serve (quick start, "models": [] or
// patterns only): their provider's list, fetched when a client first asks for /v1/models and
// kept for an hour (a failed fetch is tried again after a minute). Nothing runs in between, so
// an idle relay stays idle.
class ModelCatalog final : public QObject
{
    Q_OBJECT
public:
    static constexpr qint64 kFreshMs = 60 * 60 * 1000;
    static constexpr qint64 kRetryMs = 60 * 1000;
    static constexpr int kWaitMs = 8000; // longest a client waits for slow providers

    ModelCatalog(UpstreamClient &client, const KeyStore &keys, QObject *parent = nullptr);

    // Calls `done` once every list `config` needs is known: fetched, failed, or waited for.
    void whenListed(const RelayConfig &config, std::function<void()> done);
    // The provider's own model ids for an upstream (empty until fetched).
    QStringList listed(const QString &upstreamId) const;
    // Forgets every list: the upstreams may have changed.
    void forget();

    static bool needsList(const UpstreamConfig &upstream);

private:
    struct Entry
    {
        QStringList models;
        qint64 fetchedAtMs = 0;
        bool ok = false;
    };
    void fetch(const UpstreamConfig &upstream, const QString &secret);
    void flush();

    KeyProber *m_prober;
    const KeyStore &m_keys;
    QHash<QString, Entry> m_entries;
    QSet<QString> m_fetching;
    QList<std::function<void()>> m_waiting;
    quint64 m_generation = 0; // answers fetched for an older configuration are dropped
};

} // namespace relay
