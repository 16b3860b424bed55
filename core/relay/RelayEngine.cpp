#include "RelayEngine.h"

#include "ProtocolBridge.h"
#include "RelayExchange.h"
#include "secrets/KeyStore.h"
#include "secrets/SecretRedactor.h"
#include "types/RequestRecord.h"
#include "upstream/UpstreamClient.h"

#include <QCryptographicHash>
#include <QDateTime>
#include <QJsonArray>
#include <QLoggingCategory>
#include <QSet>

Q_LOGGING_CATEGORY(lcRequests, "relay.requests")

namespace relay {

RelayEngine::RelayEngine(const KeyStore &keys, QObject *parent)
    : QObject(parent)
    , m_keys(keys)
    , m_router(m_health, m_picker, keys)
    , m_client(new UpstreamClient(this))
{ }

RelayEngine::~RelayEngine()
{
    qDeleteAll(m_exchanges);
}

void RelayEngine::setConfig(const RelayConfig &config)
{
    // A key whose settings or secret were touched gets a fresh start: that is how a user
    // re-enables a key the relay marked invalid.
    QSet<QString> keep;
    QSet<QString> upstreams;
    QHash<QString, QByteArray> fingerprints;
    for (const UpstreamConfig &u : config.upstreams) {
        upstreams.insert(u.id);
        const UpstreamConfig *old = m_config.upstream(u.id);
        for (const KeyConfig &k : u.keys) {
            const QString ref = KeyStore::upstreamKeyRef(u.id, k.id);
            const QByteArray fingerprint = QCryptographicHash::hash(
                QByteArray(m_keys.secret(ref).toUtf8() + (k.enabled ? "1" : "0")),
                QCryptographicHash::Sha256);
            fingerprints.insert(ref, fingerprint);
            if (old && m_fingerprints.value(ref) == fingerprint)
                keep.insert(ref);
        }
    }
    m_fingerprints = fingerprints;
    m_health.forgetKeysExcept(keep);
    m_health.forgetUpstreamsExcept(upstreams);
    m_config = config;
}

void RelayEngine::relay(const IncomingRequest &request, std::unique_ptr<HttpResponder> responder,
                        const RelayCall &call)
{
    auto *exchange
        = new RelayExchange(*this, request, std::move(responder), call,
                            replan(call.model, ProtocolBridge::upstreamTypes(call)), m_nextId++);
    m_exchanges.insert(exchange);
    connect(exchange, &RelayExchange::finished, this, &RelayEngine::onExchangeFinished);
    exchange->start();
}

RoutePlan RelayEngine::replan(const QString &model, unsigned upstreamTypes)
{
    return m_router.plan(m_config, model, QDateTime::currentMSecsSinceEpoch(), upstreamTypes);
}

void RelayEngine::onExchangeFinished(RelayExchange *exchange)
{
    m_exchanges.remove(exchange);
    RequestRecord record = exchange->record();
    if (!record.requestBody.isEmpty() || !record.responseBody.isEmpty()) {
        // Captured bodies never keep a secret the relay knows, whoever wrote it there.
        for (const QString &secret : m_keys.allSecrets()) {
            record.requestBody.replace(secret.toUtf8(), "[redacted]");
            record.responseBody.replace(secret.toUtf8(), "[redacted]");
        }
    }
    qCInfo(lcRequests).noquote() << record.toLogLine();
    if (!record.keyRef.isEmpty())
        m_health.key(record.keyRef)
            .window.noteTokens(QDateTime::currentMSecsSinceEpoch(),
                               record.tokensIn + record.tokensOut);
    exchange->deleteLater();
    Q_EMIT requestFinished(record);
    if (m_exchanges.isEmpty())
        Q_EMIT idle();
}

void RelayEngine::abortAll(const QString &reason)
{
    const QSet<RelayExchange *> all = m_exchanges;
    for (RelayExchange *exchange : all)
        exchange->abort(reason);
}

QJsonObject RelayEngine::status() const
{
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    QJsonArray upstreams;
    for (const UpstreamConfig &u : m_config.upstreams) {
        QJsonArray keys;
        for (const KeyConfig &k : u.keys) {
            const QString ref = KeyStore::upstreamKeyRef(u.id, k.id);
            const Health h = m_health.keyAt(ref);
            const QString secret = m_keys.secret(ref);
            QString state = QStringLiteral("ok");
            if (!k.enabled)
                state = QStringLiteral("disabled");
            else if (secret.isEmpty())
                state = QStringLiteral("missing-secret");
            else if (h.invalid)
                state = QStringLiteral("invalid");
            else if (h.coolingAt(now))
                state = QStringLiteral("cooldown");
            QJsonObject key { { QStringLiteral("id"), k.id },
                              { QStringLiteral("label"), k.label },
                              { QStringLiteral("last4"), redactSecret(secret) },
                              { QStringLiteral("state"), state },
                              { QStringLiteral("inflight"), h.inflight },
                              { QStringLiteral("requests"), qint64(h.requests) },
                              { QStringLiteral("successes"), qint64(h.successes) },
                              { QStringLiteral("failures"), qint64(h.failures) },
                              { QStringLiteral("lastStatus"), h.lastStatus } };
            if (k.limits.rpm || k.limits.rpd || k.limits.tpm) {
                // Usage against the limits, and whether a limit holds the key back now.
                QString why;
                const qint64 free = m_router.limitFreeAtMs(u, k, now, &why);
                QJsonObject usage {
                    { QStringLiteral("lastMinute"), h.window.lastMinute(now) },
                    { QStringLiteral("today"), h.window.today(u.dailyReset.dayStartMs(now)) },
                    { QStringLiteral("tokensLastMinute"), h.window.tokensLastMinute(now) },
                    { QStringLiteral("rpm"), k.limits.rpm },
                    { QStringLiteral("rpd"), k.limits.rpd },
                    { QStringLiteral("tpm"), k.limits.tpm },
                    { QStringLiteral("dayResetsAt"),
                      QDateTime::fromMSecsSinceEpoch(u.dailyReset.nextResetMs(now))
                          .toUTC()
                          .toString(Qt::ISODate) }
                };
                key.insert(QStringLiteral("usage"), usage);
                if (free && state == u"ok") {
                    key.insert(QStringLiteral("state"), QStringLiteral("limited"));
                    key.insert(QStringLiteral("reason"), why);
                }
            }
            if (h.invalid)
                key.insert(QStringLiteral("reason"), h.invalidReason);
            if (h.coolingAt(now)) {
                key.insert(QStringLiteral("cooldownUntil"),
                           QDateTime::fromMSecsSinceEpoch(h.cooldownUntilMs)
                               .toUTC()
                               .toString(Qt::ISODateWithMs));
                key.insert(QStringLiteral("reason"), h.cooldownReason);
            }
            keys.append(key);
        }
        upstreams.append(
            QJsonObject { { QStringLiteral("id"), u.id },
                          { QStringLiteral("name"), u.name },
                          { QStringLiteral("type"), upstreamTypeName(u.type) },
                          { QStringLiteral("baseUrl"), u.baseUrl.toString() },
                          { QStringLiteral("enabled"), u.enabled },
                          { QStringLiteral("priority"), u.priority },
                          { QStringLiteral("inflight"), m_health.upstreamAt(u.id).inflight },
                          { QStringLiteral("keys"), keys } });
    }
    QJsonArray inflight;
    for (const RelayExchange *exchange : m_exchanges)
        inflight.append(exchange->describe());
    return { { QStringLiteral("upstreams"), upstreams },
             { QStringLiteral("inflight"), inflight },
             { QStringLiteral("upstreamConnections"), m_client->openConnections() } };
}

QJsonObject RelayEngine::models(ClientFormat format) const
{
    QStringList names;
    QHash<QString, QString> owners;
    for (const UpstreamConfig &u : m_config.upstreams) {
        if (!u.enabled)
            continue;
        QStringList served;
        for (const QString &m : u.models) {
            if (!m.contains(u'*'))
                served.append(m);
        }
        served += u.modelMap.keys();
        for (const QString &m : std::as_const(served)) {
            if (!owners.contains(m)) {
                owners.insert(m, u.id);
                names.append(m);
            }
        }
    }
    names.sort();
    QJsonArray data;
    for (const QString &name : std::as_const(names)) {
        if (format == ClientFormat::Anthropic)
            data.append(QJsonObject {
                { QStringLiteral("type"), QStringLiteral("model") },
                { QStringLiteral("id"), name },
                { QStringLiteral("display_name"), name },
                { QStringLiteral("created_at"), QStringLiteral("1970-01-01T00:00:00Z") } });
        else
            data.append(QJsonObject { { QStringLiteral("id"), name },
                                      { QStringLiteral("object"), QStringLiteral("model") },
                                      { QStringLiteral("created"), 0 },
                                      { QStringLiteral("owned_by"), owners.value(name) } });
    }
    if (format == ClientFormat::Anthropic)
        return { { QStringLiteral("data"), data },
                 { QStringLiteral("has_more"), false },
                 { QStringLiteral("first_id"),
                   names.isEmpty() ? QJsonValue(QJsonValue::Null) : QJsonValue(names.first()) },
                 { QStringLiteral("last_id"),
                   names.isEmpty() ? QJsonValue(QJsonValue::Null) : QJsonValue(names.last()) } };
    return { { QStringLiteral("object"), QStringLiteral("list") },
             { QStringLiteral("data"), data } };
}

} // namespace relay
