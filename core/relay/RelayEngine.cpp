#include "RelayEngine.h"

#include "ModelCatalog.h"
#include "ProtocolBridge.h"
#include "RelayExchange.h"
#include "TraitRouter.h"
#include "secrets/KeyStore.h"
#include "secrets/SecretRedactor.h"
#include "types/RequestRecord.h"
#include "upstream/UpstreamClient.h"

#include <QCryptographicHash>
#include <QDateTime>
#include <QJsonArray>
#include <QLoggingCategory>
#include <QSet>
#include <algorithm>

Q_LOGGING_CATEGORY(lcRequests, "relay.requests")

namespace relay {

RelayEngine::RelayEngine(const KeyStore &keys, QObject *parent)
    : QObject(parent)
    , m_keys(keys)
    , m_router(m_health, m_picker, keys)
    , m_client(new UpstreamClient(this))
    , m_catalog(new ModelCatalog(*m_client, keys, this))
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
    m_catalog->forget();
}

void RelayEngine::relay(const IncomingRequest &request, std::unique_ptr<HttpResponder> responder,
                        const RelayCall &asked)
{
    RelayCall call = asked;
    if (const RouteRule *rule = TraitRouter::match(m_config.routes, asked)) {
        call.clientModel = asked.model;
        call.model = rule->model;
        call.upstream = rule->upstream;
        call.route = routeTraitName(rule->trait);
    }
    auto *exchange
        = new RelayExchange(*this, request, std::move(responder), call, replan(call), m_nextId++);
    exchange->setParent(
        this); // so that one finished, waiting for deleteLater, goes with the engine
    m_exchanges.insert(exchange);
    connect(exchange, &RelayExchange::finished, this, &RelayEngine::onExchangeFinished);
    exchange->start();
    Q_EMIT activity();
}

RoutePlan RelayEngine::replan(const RelayCall &call)
{
    return m_router.plan(m_config, call.model, QDateTime::currentMSecsSinceEpoch(),
                         ProtocolBridge::upstreamTypes(call), call.upstream);
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

QList<UpstreamSnapshot> RelayEngine::upstreamSnapshots(qint64 now) const
{
    QList<UpstreamSnapshot> upstreams;
    upstreams.reserve(m_config.upstreams.size());
    for (const UpstreamConfig &u : m_config.upstreams) {
        UpstreamSnapshot us;
        us.id = u.id;
        us.name = u.name;
        us.type = upstreamTypeName(u.type);
        us.baseUrl = u.baseUrl.toString();
        us.enabled = u.enabled;
        us.priority = u.priority;
        us.inflight = m_health.upstreamAt(u.id).inflight;
        us.keys.reserve(u.keys.size());
        for (const KeyConfig &k : u.keys) {
            const QString ref = KeyStore::upstreamKeyRef(u.id, k.id);
            const Health h = m_health.keyAt(ref);
            const QString secret = m_keys.secret(ref);
            KeySnapshot ks;
            ks.id = k.id;
            ks.label = k.label;
            ks.last4 = redactSecret(secret);
            ks.enabled = k.enabled;
            ks.weight = k.weight;
            ks.inflight = h.inflight;
            ks.requests = h.requests;
            ks.successes = h.successes;
            ks.failures = h.failures;
            ks.lastStatus = h.lastStatus;
            ks.lastError = h.lastError;
            if (!k.enabled) {
                ks.state = KeyState::Disabled;
            } else if (secret.isEmpty()) {
                ks.state = KeyState::MissingSecret;
            } else if (h.invalid) {
                ks.state = KeyState::Invalid;
                ks.reason = h.invalidReason;
            } else if (h.coolingAt(now)) {
                ks.state = KeyState::Cooldown;
                ks.reason = h.cooldownReason;
                ks.cooldownUntilMs = h.cooldownUntilMs;
            }
            ks.hasLimits = k.limits.rpm || k.limits.rpd || k.limits.tpm;
            if (ks.hasLimits) {
                // Usage against the limits, and whether a limit holds the key back now.
                QString why;
                const qint64 free = m_router.limitFreeAtMs(u, k, now, &why);
                ks.usage = { h.window.lastMinute(now),
                             h.window.today(u.dailyReset.dayStartMs(now)),
                             h.window.tokensLastMinute(now),
                             k.limits.rpm,
                             k.limits.rpd,
                             k.limits.tpm,
                             u.dailyReset.nextResetMs(now) };
                if (free && ks.state == KeyState::Ok) {
                    ks.state = KeyState::Limited;
                    ks.reason = why;
                    ks.cooldownUntilMs = free;
                }
            }
            const QHash<QString, Health> models = m_health.keyModelsAt(ref);
            for (auto it = models.cbegin(); it != models.cend(); ++it) {
                if (it->coolingAt(now))
                    ks.modelCooldowns.append({ it.key(), it->cooldownUntilMs, it->cooldownReason });
            }
            // Held back for some models only: limited, with the first to come back.
            if (!ks.modelCooldowns.isEmpty() && ks.state == KeyState::Ok) {
                const auto first
                    = std::min_element(ks.modelCooldowns.cbegin(), ks.modelCooldowns.cend(),
                                       [](const ModelCooldown &a, const ModelCooldown &b) {
                                           return a.untilMs < b.untilMs;
                                       });
                ks.state = KeyState::Limited;
                ks.cooldownUntilMs = first->untilMs;
                QStringList names;
                for (const ModelCooldown &c : std::as_const(ks.modelCooldowns))
                    names.append(u'"' + c.model + u'"');
                ks.reason = QStringLiteral("rate-limited for %1 (%2); other models still use it")
                                .arg(names.join(QStringLiteral(", ")), first->reason);
            }
            us.keys.append(ks);
        }
        upstreams.append(us);
    }
    return upstreams;
}

QJsonObject RelayEngine::status() const
{
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    const auto isoTime = [](qint64 ms, Qt::DateFormat format) {
        return QDateTime::fromMSecsSinceEpoch(ms).toUTC().toString(format);
    };
    QJsonArray upstreams;
    for (const UpstreamSnapshot &u : upstreamSnapshots(now)) {
        QJsonArray keys;
        for (const KeySnapshot &k : u.keys) {
            QJsonObject key { { QStringLiteral("id"), k.id },
                              { QStringLiteral("label"), k.label },
                              { QStringLiteral("last4"), k.last4 },
                              { QStringLiteral("state"), keyStateName(k.state) },
                              { QStringLiteral("inflight"), k.inflight },
                              { QStringLiteral("requests"), qint64(k.requests) },
                              { QStringLiteral("successes"), qint64(k.successes) },
                              { QStringLiteral("failures"), qint64(k.failures) },
                              { QStringLiteral("lastStatus"), k.lastStatus } };
            if (k.hasLimits)
                key.insert(
                    QStringLiteral("usage"),
                    QJsonObject { { QStringLiteral("lastMinute"), k.usage.lastMinute },
                                  { QStringLiteral("today"), k.usage.today },
                                  { QStringLiteral("tokensLastMinute"), k.usage.tokensLastMinute },
                                  { QStringLiteral("rpm"), k.usage.rpm },
                                  { QStringLiteral("rpd"), k.usage.rpd },
                                  { QStringLiteral("tpm"), k.usage.tpm },
                                  { QStringLiteral("dayResetsAt"),
                                    isoTime(k.usage.dayResetsAtMs, Qt::ISODate) } });
            if (!k.reason.isEmpty())
                key.insert(QStringLiteral("reason"), k.reason);
            if (k.state == KeyState::Cooldown)
                key.insert(QStringLiteral("cooldownUntil"),
                           isoTime(k.cooldownUntilMs, Qt::ISODateWithMs));
            if (!k.lastError.isEmpty())
                key.insert(QStringLiteral("lastError"), k.lastError);
            QJsonArray modelCooldowns;
            for (const ModelCooldown &c : k.modelCooldowns)
                modelCooldowns.append(QJsonObject {
                    { QStringLiteral("model"), c.model },
                    { QStringLiteral("until"), isoTime(c.untilMs, Qt::ISODateWithMs) },
                    { QStringLiteral("reason"), c.reason } });
            if (!modelCooldowns.isEmpty())
                key.insert(QStringLiteral("modelCooldowns"), modelCooldowns);
            keys.append(key);
        }
        upstreams.append(QJsonObject { { QStringLiteral("id"), u.id },
                                       { QStringLiteral("name"), u.name },
                                       { QStringLiteral("type"), u.type },
                                       { QStringLiteral("baseUrl"), u.baseUrl },
                                       { QStringLiteral("enabled"), u.enabled },
                                       { QStringLiteral("priority"), u.priority },
                                       { QStringLiteral("inflight"), u.inflight },
                                       { QStringLiteral("keys"), keys } });
    }
    QJsonArray inflight;
    for (const RelayExchange *exchange : m_exchanges)
        inflight.append(exchange->describe());
    return { { QStringLiteral("upstreams"), upstreams },
             { QStringLiteral("inflight"), inflight },
             { QStringLiteral("upstreamConnections"), m_client->openConnections() } };
}

void RelayEngine::listModels(ClientFormat format, std::function<void(const QJsonObject &)> done)
{
    m_catalog->whenListed(m_config,
                          [this, format, done = std::move(done)] { done(models(format)); });
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
        for (const QString &alias : u.modelMap.keys()) {
            if (!alias.contains(u'*')) // a pattern is no name a picker can offer
                served.append(alias);
        }
        if (ModelCatalog::needsList(u)) {
            for (const QString &m : m_catalog->listed(u.id)) {
                if (u.serves(m))
                    served.append(m);
            }
        }
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
        if (format == ClientFormat::Gemini)
            data.append(
                QJsonObject { { QStringLiteral("name"), QString(QStringLiteral("models/") + name) },
                              { QStringLiteral("displayName"), name },
                              { QStringLiteral("description"),
                                QStringLiteral("Served by upstream %1 through LLM Relay")
                                    .arg(owners.value(name)) },
                              { QStringLiteral("supportedGenerationMethods"),
                                QJsonArray { QStringLiteral("generateContent"),
                                             QStringLiteral("countTokens") } } });
        else if (format == ClientFormat::Anthropic)
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
    if (format == ClientFormat::Gemini)
        return { { QStringLiteral("models"), data } };
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
