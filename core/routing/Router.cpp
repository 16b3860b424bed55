#include "Router.h"

#include "secrets/KeyStore.h"

#include <QDateTime>
#include <QMap>
#include <algorithm>

namespace relay {

Router::Router(HealthBook &health, Picker &picker, const KeyStore &keys)
    : m_health(health)
    , m_picker(picker)
    , m_keys(keys)
{ }

QList<KeyConfig> Router::usableKeys(const UpstreamConfig &upstream, const QString &model,
                                    qint64 nowMs) const
{
    const QString upstreamModel = model.isEmpty() ? QString() : upstream.upstreamModel(model);
    QList<KeyConfig> usable;
    for (const KeyConfig &key : upstream.keys) {
        const QString ref = KeyStore::upstreamKeyRef(upstream.id, key.id);
        if (key.enabled && !m_keys.secret(ref).isEmpty() && !m_health.keyAt(ref).invalid
            && !m_health.coolingFor(ref, upstreamModel, nowMs)
            && limitFreeAtMs(upstream, key, nowMs, nullptr) == 0)
            usable.append(key);
    }
    return usable;
}

qint64 Router::limitFreeAtMs(const UpstreamConfig &upstream, const KeyConfig &key, qint64 nowMs,
                             QString *why) const
{
    if (key.limits.rpm == 0 && key.limits.rpd == 0 && key.limits.tpm == 0)
        return 0;
    QString reason;
    const qint64 at = m_health.keyAt(KeyStore::upstreamKeyRef(upstream.id, key.id))
                          .window.freeAtMs(key.limits, nowMs, upstream.dailyReset.dayStartMs(nowMs),
                                           upstream.dailyReset.nextResetMs(nowMs), &reason);
    if (why)
        *why = reason;
    return at;
}

QList<KeyConfig> Router::orderKeys(Strategy strategy, const UpstreamConfig &upstream,
                                   const QString &model, qint64 nowMs)
{
    const QList<KeyConfig> usable = usableKeys(upstream, model, nowMs);
    QList<PickCandidate> candidates;
    for (const KeyConfig &key : usable)
        candidates.append(
            { key.id, key.weight,
              m_health.keyAt(KeyStore::upstreamKeyRef(upstream.id, key.id)).inflight });
    const QStringList order
        = m_picker.order(QStringLiteral("keys:") + upstream.id, strategy, candidates);
    QList<KeyConfig> ordered;
    for (const QString &id : order) {
        for (const KeyConfig &key : usable) {
            if (key.id == id)
                ordered.append(key);
        }
    }
    return ordered;
}

RoutePlan Router::plan(const RelayConfig &config, const QString &model, qint64 nowMs,
                       unsigned types, const QString &onlyUpstream)
{
    RoutePlan plan;
    plan.model = model;
    if (config.upstreams.isEmpty()) {
        plan.errorStatus = 503;
        plan.errorCode = QStringLiteral("no_upstream_configured");
        plan.errorMessage = QStringLiteral(
            "No upstream configured: add an upstream with its base URL and keys to the "
            "config file (see README, \"Configuration\"), or start with --upstream URL.");
        return plan;
    }

    QList<const UpstreamConfig *> serving;
    for (const UpstreamConfig &u : config.upstreams) {
        if (u.enabled && (types & upstreamTypeBit(u.type)) && (model.isEmpty() || u.serves(model))
            && (onlyUpstream.isEmpty() || u.id == onlyUpstream))
            serving.append(&u);
    }
    if (serving.isEmpty() && !onlyUpstream.isEmpty()) {
        plan.errorStatus = 404;
        plan.errorCode = QStringLiteral("model_not_found");
        plan.errorMessage
            = QStringLiteral("A route of the config sends this request to the upstream \"%1\" as "
                             "\"%2\", which it does not serve (disabled, a type that cannot take "
                             "this request, or the model not in its \"models\" or \"modelMap\"); "
                             "fix the route or the upstream.")
                  .arg(onlyUpstream, model);
        return plan;
    }
    if (serving.isEmpty()) {
        plan.errorStatus = 404;
        plan.errorCode = QStringLiteral("model_not_found");
        plan.errorMessage = types == kAnyUpstreamType
            ? QStringLiteral("The model \"%1\" is not served by any enabled upstream. GET "
                             "/v1/models lists the models configured; add it to an upstream's "
                             "\"models\" or \"modelMap\".")
                  .arg(model)
            : QStringLiteral("The model \"%1\" is not served by any enabled upstream of a type "
                             "that can take this request (this path is only relayed to "
                             "openai-type upstreams).")
                  .arg(model);
        return plan;
    }

    // Group usable upstreams by priority tier; remember why the others are out.
    QMap<int, QList<const UpstreamConfig *>> tiers;
    QStringList reasons;
    qint64 earliest = 0;
    bool allCooling = true;
    for (const UpstreamConfig *u : serving) {
        if (!usableKeys(*u, model, nowMs).isEmpty()) {
            tiers[u->priority].append(u);
            continue;
        }
        const QString upstreamModel = model.isEmpty() ? QString() : u->upstreamModel(model);
        for (const KeyConfig &key : u->keys) {
            const QString ref = KeyStore::upstreamKeyRef(u->id, key.id);
            const Health kh = m_health.keyAt(ref);
            const Health *cooling = m_health.coolingFor(ref, upstreamModel, nowMs);
            QString why;
            if (!key.enabled) {
                why = QStringLiteral("disabled");
                allCooling = false;
            } else if (m_keys.secret(ref).isEmpty()) {
                why = QStringLiteral("no secret stored for this key");
                allCooling = false;
            } else if (kh.invalid) {
                why = QStringLiteral("invalid (%1)").arg(kh.invalidReason);
                allCooling = false;
            } else if (cooling) {
                why = QStringLiteral("cooling down%1 until %2 (%3)")
                          .arg(kh.coolingAt(nowMs)
                                   ? QString()
                                   : QStringLiteral(" for \"%1\"").arg(upstreamModel),
                               QDateTime::fromMSecsSinceEpoch(cooling->cooldownUntilMs)
                                   .toString(Qt::ISODate),
                               cooling->cooldownReason);
                earliest = earliest ? std::min(earliest, cooling->cooldownUntilMs)
                                    : cooling->cooldownUntilMs;
            } else if (const qint64 free = limitFreeAtMs(*u, key, nowMs, &why)) {
                earliest = earliest ? std::min(earliest, free) : free;
            }
            reasons.append(QStringLiteral("%1/%2: %3").arg(u->name, key.label, why));
        }
        if (u->keys.isEmpty()) {
            reasons.append(QStringLiteral("%1: no keys configured").arg(u->name));
            allCooling = false;
        }
    }

    for (auto it = tiers.cbegin(); it != tiers.cend(); ++it) {
        QList<PickCandidate> candidates;
        for (const UpstreamConfig *u : it.value())
            candidates.append({ u->id, u->weight, m_health.upstreamAt(u->id).inflight });
        const QStringList order = m_picker.order(
            QStringLiteral("tier:") + QString::number(it.key()), config.strategy, candidates);
        for (const QString &id : order) {
            for (const UpstreamConfig *u : it.value()) {
                if (u->id == id)
                    plan.upstreams.append(*u);
            }
        }
    }
    if (!plan.upstreams.isEmpty())
        return plan;

    if (allCooling && earliest > 0) {
        plan.errorStatus = 429;
        plan.errorCode = QStringLiteral("all_keys_cooling_down");
        plan.retryAtMs = earliest;
        plan.errorMessage = QStringLiteral("Every key that serves \"%1\" is rate-limited or "
                                           "cooling down; retry after the time in Retry-After. "
                                           "Keys: %2")
                                .arg(model, reasons.join(QStringLiteral("; ")));
    } else {
        plan.errorStatus = 503;
        plan.errorCode = QStringLiteral("no_usable_key");
        plan.errorMessage = QStringLiteral("No usable key for \"%1\": %2. Fix or re-enable the "
                                           "keys in the config file.")
                                .arg(model, reasons.join(QStringLiteral("; ")));
    }
    return plan;
}

} // namespace relay
