#pragma once

#include "RouteRule.h"
#include "Strategy.h"
#include "UpstreamConfig.h"

#include <QList>
#include <QString>
#include <QStringList>

namespace relay {

struct RetrySettings
{
    int maxAttempts = 3;
    int backoffBaseMs = 1000;
    int backoffMaxMs = 300000;
    int quotaCooldownSeconds = 3600; // a 429 that says the quota is exhausted
};

struct RelayConfig
{
    static constexpr quint16 kDefaultPort = 17635;

    // Names this configuration's entries in the keychain; generated on first start.
    QString instanceId;
    QString listenAddress = QStringLiteral("127.0.0.1");
    quint16 port = kDefaultPort;
    Strategy strategy = Strategy::RoundRobin;
    RetrySettings retry;
    int shutdownGraceSeconds = 10;
    // A stream quiet this long (a model thinking) gets a ping or comment; 0 sends none.
    int keepAliveMs = 15000;
    // Host names besides loopback names and IP literals that requests may be addressed to
    // (DNS-rebinding defence), and the web origins allowed to call the relay (CORS; "*": any).
    QStringList allowedHosts;
    QStringList corsOrigins;
    int maxBodyBytes = 32 * 1024 * 1024; // larger requests get 413 before they are buffered
    int idleTimeoutSeconds = 60; // connections with nothing in flight and no bytes are closed
    int headerTimeoutSeconds = 30; // a request head must arrive within this: 408
    int maxConnections = 1024;
    int requestLogLimit = 10000; // newest entries kept in the database's request log
    bool captureBodies = false; // for debugging: bodies in the log, secrets redacted
    QList<UpstreamConfig> upstreams;
    QList<RouteRule> routes; // by request trait, before any upstream's models and modelMap

    const UpstreamConfig *upstream(const QString &id) const;
};

} // namespace relay
