#include "ConfigParser.h"

#include "JsonFieldReader.h"
#include "secrets/KeyStore.h"

#include <QHostAddress>
#include <QJsonArray>
#include <QJsonDocument>
#include <QRegularExpression>
#include <QSet>
#include <algorithm>

namespace relay {

namespace {

void readTimeouts(JsonFieldReader &parent, UpstreamTimeouts &t)
{
    JsonFieldReader r = parent.object(QStringLiteral("timeouts"));
    r.integer(QStringLiteral("connectMs"), t.connectMs, 100, 600000);
    r.integer(QStringLiteral("firstByteMs"), t.firstByteMs, 100, 3600000);
    r.integer(QStringLiteral("idleMs"), t.idleMs, 100, 3600000);
    r.rejectUnknown();
}

KeyConfig readKey(JsonFieldReader &r, const QString &upstreamId, ParsedConfig &out)
{
    KeyConfig key;
    r.string(QStringLiteral("id"), key.id, true);
    r.string(QStringLiteral("label"), key.label);
    r.string(QStringLiteral("hint"), key.hint);
    r.boolean(QStringLiteral("enabled"), key.enabled);
    r.integer(QStringLiteral("weight"), key.weight, 1, 1000);
    JsonFieldReader limits = r.object(QStringLiteral("limits"));
    limits.integer(QStringLiteral("rpm"), key.limits.rpm, 0, 1000000);
    limits.integer(QStringLiteral("rpd"), key.limits.rpd, 0, 100000000);
    limits.integer(QStringLiteral("tpm"), key.limits.tpm, 0, 1000000000);
    limits.rejectUnknown();
    QString secret;
    r.string(QStringLiteral("key"), secret);
    if (key.label.isEmpty())
        key.label = key.id;
    if (!secret.isEmpty() && !key.id.isEmpty())
        out.secrets.insert(KeyStore::upstreamKeyRef(upstreamId, key.id), secret);
    r.rejectUnknown();
    return key;
}

UpstreamConfig readUpstream(JsonFieldReader &r, ParsedConfig &out)
{
    UpstreamConfig u;
    r.string(QStringLiteral("id"), u.id, true);
    r.string(QStringLiteral("name"), u.name);
    if (u.name.isEmpty())
        u.name = u.id;

    QString type = QStringLiteral("openai");
    r.string(QStringLiteral("type"), type);
    if (type == u"openai")
        u.type = UpstreamType::OpenAi;
    else if (type == u"anthropic")
        u.type = UpstreamType::Anthropic;
    else if (type == u"gemini")
        u.type = UpstreamType::Gemini;
    else
        r.error(QStringLiteral("type"), QStringLiteral("unknown_type"), { type });

    QString base;
    r.string(QStringLiteral("baseUrl"), base, true);
    if (!base.isEmpty()) {
        if (!isValidBaseUrl(base))
            r.error(QStringLiteral("baseUrl"), QStringLiteral("invalid_url"));
        else
            u.baseUrl = QUrl(base, QUrl::StrictMode);
    }
    r.boolean(QStringLiteral("enabled"), u.enabled);
    u.responsesApi = u.type == UpstreamType::OpenAi && u.baseUrl.host() == u"api.openai.com";
    r.boolean(QStringLiteral("responsesApi"), u.responsesApi);
    r.integer(QStringLiteral("priority"), u.priority, -1000, 1000);
    r.integer(QStringLiteral("weight"), u.weight, 1, 1000);
    r.stringList(QStringLiteral("models"), u.models);
    r.stringMap(QStringLiteral("modelMap"), u.modelMap);
    r.string(QStringLiteral("proxy"), u.proxy);
    if (!isValidProxy(u.proxy))
        r.error(QStringLiteral("proxy"), QStringLiteral("invalid_proxy"));
    readTimeouts(r, u.timeouts);
    QString reset = u.dailyReset.toString();
    r.string(QStringLiteral("dailyReset"), reset);
    if (!DailyReset::parse(reset, &u.dailyReset))
        r.error(QStringLiteral("dailyReset"), QStringLiteral("invalid_daily_reset"));

    QMap<QString, QString> headers;
    r.stringMap(QStringLiteral("headers"), headers);
    for (auto it = headers.cbegin(); it != headers.cend(); ++it) {
        if (!isValidHeader(it.key(), it.value()))
            r.error(QStringLiteral("headers"), QStringLiteral("invalid_header"), { it.key() });
        else
            u.headers.append({ it.key().toUtf8(), it.value().toUtf8() });
    }

    const QJsonArray keys = r.array(QStringLiteral("keys"));
    QSet<QString> keyIds;
    for (qsizetype i = 0; i < keys.size(); ++i) {
        JsonFieldReader kr = r.element(QStringLiteral("keys"), i);
        if (!kr.isObject())
            continue;
        KeyConfig key = readKey(kr, u.id, out);
        if (!key.id.isEmpty() && keyIds.contains(key.id))
            kr.error(QStringLiteral("id"), QStringLiteral("duplicate_key_id"), { key.id });
        keyIds.insert(key.id);
        u.keys.append(key);
    }
    r.rejectUnknown();
    return u;
}

RouteRule readRoute(JsonFieldReader &r)
{
    RouteRule rule;
    QString when;
    r.string(QStringLiteral("when"), when, true);
    if (const auto trait = routeTraitFromName(when))
        rule.trait = *trait;
    else if (!when.isEmpty())
        r.error(QStringLiteral("when"), QStringLiteral("unknown_trait"), { when });
    r.string(QStringLiteral("model"), rule.model, true);
    r.string(QStringLiteral("upstream"), rule.upstream);
    if (rule.trait == RouteRule::Trait::LongInput)
        r.integer(QStringLiteral("tokens"), rule.tokens, 1, 100000000);
    if (rule.trait == RouteRule::Trait::Background) {
        QStringList models;
        r.stringList(QStringLiteral("models"), models);
        if (!models.isEmpty())
            rule.models = models;
    }
    r.rejectUnknown();
    return rule;
}

} // namespace

ParsedConfig ConfigParser::parse(const QByteArray &json)
{
    ParsedConfig out;
    QJsonParseError parseError;
    const QJsonDocument doc = QJsonDocument::fromJson(json, &parseError);
    if (parseError.error != QJsonParseError::NoError) {
        // Report line and column: the offset alone means nothing to a person with an editor.
        const qsizetype offset = std::clamp<qsizetype>(parseError.offset, 0, json.size());
        const QByteArray before = json.left(offset);
        const qsizetype line = before.count('\n') + 1;
        const qsizetype column = offset - before.lastIndexOf('\n');
        out.problems.append(
            { QStringLiteral("file"),
              QStringLiteral("invalid_json"),
              { QString::number(line), QString::number(column), parseError.errorString() } });
        return out;
    }
    if (!doc.isObject()) {
        out.problems.append({ QStringLiteral("file"), QStringLiteral("not_json_object"), {} });
        return out;
    }

    JsonFieldReader root(doc.object(), QString(), &out.problems);
    RelayConfig &c = out.config;
    int version = 1;
    root.integer(QStringLiteral("version"), version, 1, 1);

    JsonFieldReader listen = root.object(QStringLiteral("listen"));
    listen.string(QStringLiteral("address"), c.listenAddress);
    if (QHostAddress(c.listenAddress).isNull())
        listen.error(QStringLiteral("address"), QStringLiteral("invalid_address"));
    int port = c.port;
    listen.integer(QStringLiteral("port"), port, 1, 65535);
    c.port = static_cast<quint16>(port);
    listen.rejectUnknown();

    root.string(QStringLiteral("instanceId"), c.instanceId);
    static const QRegularExpression kInstanceId(QStringLiteral("^[A-Za-z0-9-]{1,64}$"));
    if (!c.instanceId.isEmpty() && !kInstanceId.match(c.instanceId).hasMatch())
        root.error(QStringLiteral("instanceId"), QStringLiteral("invalid_instance_id"));
    // Plain secrets are accepted so that they can be moved into the keychain on start.
    for (const auto &[field, ref] :
         { std::pair { QStringLiteral("accessKey"), KeyStore::accessKeyRef() },
           std::pair { QStringLiteral("adminKey"), KeyStore::adminKeyRef() } }) {
        QString secret;
        root.string(field, secret);
        if (secret.isEmpty())
            continue;
        if (secret.size() < 16)
            root.error(field, QStringLiteral("too_short"));
        out.secrets.insert(ref, secret);
    }

    QString strategy = strategyName(c.strategy);
    root.string(QStringLiteral("strategy"), strategy);
    if (const auto s = strategyFromName(strategy))
        c.strategy = *s;
    else
        root.error(QStringLiteral("strategy"), QStringLiteral("unknown_strategy"), { strategy });

    JsonFieldReader retry = root.object(QStringLiteral("retry"));
    retry.integer(QStringLiteral("maxAttempts"), c.retry.maxAttempts, 1, 20);
    retry.integer(QStringLiteral("backoffBaseMs"), c.retry.backoffBaseMs, 1, 3600000);
    retry.integer(QStringLiteral("backoffMaxMs"), c.retry.backoffMaxMs, 1, 86400000);
    retry.integer(QStringLiteral("quotaCooldownSeconds"), c.retry.quotaCooldownSeconds, 1, 604800);
    retry.rejectUnknown();
    root.integer(QStringLiteral("shutdownGraceSeconds"), c.shutdownGraceSeconds, 0, 3600);
    root.integer(QStringLiteral("keepAliveMs"), c.keepAliveMs, 0, 600000);
    JsonFieldReader security = root.object(QStringLiteral("security"));
    security.stringList(QStringLiteral("allowedHosts"), c.allowedHosts);
    security.stringList(QStringLiteral("corsOrigins"), c.corsOrigins);
    security.integer(QStringLiteral("maxBodyBytes"), c.maxBodyBytes, 1024, 1024 * 1024 * 1024);
    security.integer(QStringLiteral("idleTimeoutSeconds"), c.idleTimeoutSeconds, 1, 86400);
    security.integer(QStringLiteral("headerTimeoutSeconds"), c.headerTimeoutSeconds, 1, 600);
    security.integer(QStringLiteral("maxConnections"), c.maxConnections, 1, 100000);
    security.rejectUnknown();
    JsonFieldReader store = root.object(QStringLiteral("store"));
    store.integer(QStringLiteral("requestLogLimit"), c.requestLogLimit, 100, 10000000);
    store.boolean(QStringLiteral("captureBodies"), c.captureBodies);
    store.rejectUnknown();

    const QJsonArray upstreams = root.array(QStringLiteral("upstreams"));
    QSet<QString> ids;
    for (qsizetype i = 0; i < upstreams.size(); ++i) {
        JsonFieldReader ur = root.element(QStringLiteral("upstreams"), i);
        if (!ur.isObject())
            continue;
        UpstreamConfig u = readUpstream(ur, out);
        if (!u.id.isEmpty() && ids.contains(u.id))
            ur.error(QStringLiteral("id"), QStringLiteral("duplicate_upstream_id"), { u.id });
        ids.insert(u.id);
        c.upstreams.append(u);
    }
    const QJsonArray routes = root.array(QStringLiteral("routes"));
    for (qsizetype i = 0; i < routes.size(); ++i) {
        JsonFieldReader rr = root.element(QStringLiteral("routes"), i);
        if (!rr.isObject())
            continue;
        RouteRule rule = readRoute(rr);
        if (!rule.upstream.isEmpty() && !ids.contains(rule.upstream))
            rr.error(QStringLiteral("upstream"), QStringLiteral("unknown_upstream"),
                     { rule.upstream });
        c.routes.append(rule);
    }
    root.rejectUnknown();
    return out;
}

QJsonObject ConfigParser::toJson(const RelayConfig &c)
{
    QJsonObject root;
    root.insert(QStringLiteral("version"), 1);
    if (!c.instanceId.isEmpty())
        root.insert(QStringLiteral("instanceId"), c.instanceId);
    root.insert(QStringLiteral("listen"),
                QJsonObject { { QStringLiteral("address"), c.listenAddress },
                              { QStringLiteral("port"), c.port } });
    root.insert(QStringLiteral("strategy"), strategyName(c.strategy));
    root.insert(
        QStringLiteral("retry"),
        QJsonObject { { QStringLiteral("maxAttempts"), c.retry.maxAttempts },
                      { QStringLiteral("backoffBaseMs"), c.retry.backoffBaseMs },
                      { QStringLiteral("backoffMaxMs"), c.retry.backoffMaxMs },
                      { QStringLiteral("quotaCooldownSeconds"), c.retry.quotaCooldownSeconds } });
    root.insert(QStringLiteral("shutdownGraceSeconds"), c.shutdownGraceSeconds);
    root.insert(QStringLiteral("keepAliveMs"), c.keepAliveMs);
    root.insert(QStringLiteral("security"),
                QJsonObject {
                    { QStringLiteral("allowedHosts"), QJsonArray::fromStringList(c.allowedHosts) },
                    { QStringLiteral("corsOrigins"), QJsonArray::fromStringList(c.corsOrigins) },
                    { QStringLiteral("maxBodyBytes"), c.maxBodyBytes },
                    { QStringLiteral("idleTimeoutSeconds"), c.idleTimeoutSeconds },
                    { QStringLiteral("headerTimeoutSeconds"), c.headerTimeoutSeconds },
                    { QStringLiteral("maxConnections"), c.maxConnections } });

    root.insert(QStringLiteral("store"),
                QJsonObject { { QStringLiteral("requestLogLimit"), c.requestLogLimit },
                              { QStringLiteral("captureBodies"), c.captureBodies } });
    QJsonArray upstreams;
    for (const UpstreamConfig &u : c.upstreams) {
        QJsonObject o;
        o.insert(QStringLiteral("id"), u.id);
        o.insert(QStringLiteral("name"), u.name);
        o.insert(QStringLiteral("type"), upstreamTypeName(u.type));
        o.insert(QStringLiteral("baseUrl"), u.baseUrl.toString());
        o.insert(QStringLiteral("enabled"), u.enabled);
        if (u.type == UpstreamType::OpenAi)
            o.insert(QStringLiteral("responsesApi"), u.responsesApi);
        o.insert(QStringLiteral("priority"), u.priority);
        o.insert(QStringLiteral("weight"), u.weight);
        o.insert(QStringLiteral("models"), QJsonArray::fromStringList(u.models));
        QJsonObject map;
        for (auto it = u.modelMap.cbegin(); it != u.modelMap.cend(); ++it)
            map.insert(it.key(), it.value());
        o.insert(QStringLiteral("modelMap"), map);
        o.insert(QStringLiteral("proxy"), u.proxy);
        o.insert(QStringLiteral("dailyReset"), u.dailyReset.toString());
        o.insert(QStringLiteral("timeouts"),
                 QJsonObject { { QStringLiteral("connectMs"), u.timeouts.connectMs },
                               { QStringLiteral("firstByteMs"), u.timeouts.firstByteMs },
                               { QStringLiteral("idleMs"), u.timeouts.idleMs } });
        QJsonObject headers;
        for (const auto &[name, value] : u.headers)
            headers.insert(QString::fromUtf8(name), QString::fromUtf8(value));
        o.insert(QStringLiteral("headers"), headers);
        QJsonArray keys;
        for (const KeyConfig &k : u.keys) {
            QJsonObject ko { { QStringLiteral("id"), k.id },
                             { QStringLiteral("label"), k.label },
                             { QStringLiteral("enabled"), k.enabled },
                             { QStringLiteral("weight"), k.weight } };
            if (k.limits.rpm || k.limits.rpd || k.limits.tpm)
                ko.insert(QStringLiteral("limits"),
                          QJsonObject { { QStringLiteral("rpm"), k.limits.rpm },
                                        { QStringLiteral("rpd"), k.limits.rpd },
                                        { QStringLiteral("tpm"), k.limits.tpm } });
            if (!k.hint.isEmpty())
                ko.insert(QStringLiteral("hint"), k.hint);
            keys.append(ko);
        }
        o.insert(QStringLiteral("keys"), keys);
        upstreams.append(o);
    }
    root.insert(QStringLiteral("upstreams"), upstreams);
    if (!c.routes.isEmpty()) {
        QJsonArray routes;
        for (const RouteRule &rule : c.routes) {
            QJsonObject o { { QStringLiteral("when"), routeTraitName(rule.trait) },
                            { QStringLiteral("model"), rule.model } };
            if (!rule.upstream.isEmpty())
                o.insert(QStringLiteral("upstream"), rule.upstream);
            if (rule.trait == RouteRule::Trait::LongInput)
                o.insert(QStringLiteral("tokens"), rule.tokens);
            if (rule.trait == RouteRule::Trait::Background)
                o.insert(QStringLiteral("models"), QJsonArray::fromStringList(rule.models));
            routes.append(o);
        }
        root.insert(QStringLiteral("routes"), routes);
    }
    return root;
}

} // namespace relay
