#include "ModelCatalog.h"

#include "KeyProber.h"
#include "secrets/KeyStore.h"

#include <QDateTime>
#include <QLoggingCategory>
#include <QTimer>

Q_LOGGING_CATEGORY(lcCatalog, "relay.models")

namespace relay {

ModelCatalog::ModelCatalog(UpstreamClient &client, const KeyStore &keys, QObject *parent)
    : QObject(parent)
    , m_prober(new KeyProber(client, this))
    , m_keys(keys)
{ }

bool ModelCatalog::needsList(const UpstreamConfig &upstream)
{
    if (!upstream.enabled)
        return false;
    for (const QString &m : upstream.models) {
        if (!m.contains(u'*'))
            return false;
    }
    return true;
}

void ModelCatalog::whenListed(const RelayConfig &config, std::function<void()> done)
{
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    for (const UpstreamConfig &u : config.upstreams) {
        if (!needsList(u) || m_fetching.contains(u.id))
            continue;
        const auto entry = m_entries.constFind(u.id);
        if (entry != m_entries.cend()
            && now - entry->fetchedAtMs < (entry->ok ? kFreshMs : kRetryMs))
            continue;
        for (const KeyConfig &k : u.keys) {
            const QString secret = m_keys.secret(KeyStore::upstreamKeyRef(u.id, k.id));
            if (k.enabled && !secret.isEmpty()) {
                fetch(u, secret);
                break;
            }
        }
    }
    if (m_fetching.isEmpty()) {
        done();
        return;
    }
    m_waiting.append(std::move(done));
    QTimer::singleShot(kWaitMs, this, [this, generation = m_generation] {
        if (generation == m_generation)
            flush();
    });
}

void ModelCatalog::fetch(const UpstreamConfig &upstream, const QString &secret)
{
    m_fetching.insert(upstream.id);
    const QString id = upstream.id;
    const QString name = upstream.name;
    m_prober->probe(upstream, secret,
                    [this, id, name, generation = m_generation](const KeyProbeResult &result) {
                        if (generation != m_generation)
                            return;
                        m_fetching.remove(id);
                        if (!result.valid)
                            qCWarning(lcCatalog).noquote()
                                << "cannot list the models of upstream" << name << "for GET "
                                << "/v1/models:" << result.error;
                        m_entries.insert(
                            id,
                            { result.models, QDateTime::currentMSecsSinceEpoch(), result.valid });
                        if (m_fetching.isEmpty())
                            flush();
                    });
}

void ModelCatalog::flush()
{
    const QList<std::function<void()>> waiting = std::exchange(m_waiting, {});
    for (const auto &done : waiting)
        done();
}

QStringList ModelCatalog::listed(const QString &upstreamId) const
{
    return m_entries.value(upstreamId).models;
}

void ModelCatalog::forget()
{
    ++m_generation;
    m_entries.clear();
    m_fetching.clear();
    flush(); // whoever waits gets what is known now rather than nothing ever
}

} // namespace relay
