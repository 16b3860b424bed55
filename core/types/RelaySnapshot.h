#pragma once

#include <QList>
#include <QMetaType>
#include <QString>

namespace relay {

// What a key can do now, most urgent first for display.
enum class KeyState { Ok, Limited, Cooldown, Invalid, Disabled, MissingSecret };
// "ok", "limited", "cooldown", "invalid", "disabled", "missing-secret" (/relay/status).
QString keyStateName(KeyState state);

struct KeyUsage
{
    int lastMinute = 0; // attempts started in the last 60 s
    int today = 0; // attempts since the provider's daily reset
    qint64 tokensLastMinute = 0;
    int rpm = 0; // 0: no limit
    int rpd = 0;
    int tpm = 0;
    qint64 dayResetsAtMs = 0;
};

// A key held back for one model only (a per-model 429); it serves the others meanwhile.
struct ModelCooldown
{
    QString model; // the upstream's name for it
    qint64 untilMs = 0;
    QString reason;
};

struct KeySnapshot
{
    QString id;
    QString label;
    QString last4; // "…abcd", never more of the secret
    bool enabled = true;
    int weight = 1;
    KeyState state = KeyState::Ok;
    QString reason; // why it is not ok, in the words of the provider or the relay
    qint64 cooldownUntilMs = 0; // epoch ms; 0: none
    int inflight = 0;
    quint64 requests = 0;
    quint64 successes = 0;
    quint64 failures = 0;
    int lastStatus = 0;
    QString lastError; // the last failed attempt ("HTTP 429 ..."), empty if none
    QList<ModelCooldown> modelCooldowns;
    bool hasLimits = false;
    KeyUsage usage;

    bool usable() const { return state == KeyState::Ok; }
};

struct UpstreamSnapshot
{
    QString id;
    QString name;
    QString type; // "openai", "anthropic", "gemini"
    QString baseUrl;
    bool enabled = true;
    int priority = 0;
    int inflight = 0;
    QList<KeySnapshot> keys;
};

// Requests that ended in one wall-clock minute, for the live chart.
struct MinutePoint
{
    qint64 minuteMs = 0; // epoch ms at the minute's start
    int requests = 0;
    int failures = 0; // answered with a status >= 400, or broken off
    qint64 latencySumMs = 0;
    qint64 tokens = 0;

    double meanLatencyMs() const { return requests ? double(latencySumMs) / requests : 0.0; }
};

struct RelayTotals
{
    qint64 requests = 0;
    qint64 successes = 0;
    qint64 tokensIn = 0;
    qint64 tokensOut = 0;

    double successRate() const { return requests ? double(successes) / double(requests) : 1.0; }
};

// The relay as a whole, for the tray icon: healthy, degraded (some keys cooling or invalid),
// down (no usable key, or not listening because of an error), paused (not listening on
// purpose).
enum class RelayState { Starting, Healthy, Degraded, Down, Paused, Stopped };
QString relayStateName(RelayState state);

// One consistent picture of the relay, made in the relay's thread and handed to the GUI by
// value (queued signals): the GUI never reads relay objects.
struct RelaySnapshot
{
    RelayState state = RelayState::Starting;
    // Why the state is not Healthy: "port_taken", "port_refused", "listen_failed", "no_upstream",
    // "no_usable_key", "some_keys_unusable", "paused", "starting", "stopped".
    QString reason;
    QString detail; // the English message for reason, with numbers filled in
    QString address;
    quint16 port = 0; // 0 while not listening
    quint16 configuredPort = 0;
    QString accessKeyHint;
    QString adminKeyHint; // empty while there is no admin key (the management API is off)
    bool adminKeyFromEnvironment = false; // RELAY_ADMIN_KEY: not changeable from the window
    QString configPath;
    QString dataFolder;
    QString secretsDescription;
    bool captureBodies = false;
    QList<UpstreamSnapshot> upstreams;
    RelayTotals today; // since the local midnight
    QList<MinutePoint> lastHour; // oldest first, minutes with no request omitted
    int inflight = 0;
    qint64 takenAtMs = 0;

    int usableKeys() const;
    int unusableKeys() const; // enabled keys that cannot be used now
};

} // namespace relay

Q_DECLARE_METATYPE(relay::RelaySnapshot)
Q_DECLARE_METATYPE(relay::RelayState)
