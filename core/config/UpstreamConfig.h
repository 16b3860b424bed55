#pragma once

#include "DailyReset.h"
#include "KeyConfig.h"

#include <QByteArray>
#include <QList>
#include <QMap>
#include <QPair>
#include <QString>
#include <QStringList>
#include <QUrl>

namespace relay {

enum class UpstreamType { OpenAi, Anthropic, Gemini };

QString upstreamTypeName(UpstreamType type);
constexpr unsigned upstreamTypeBit(UpstreamType type)
{
    return 1u << static_cast<unsigned>(type);
}
constexpr unsigned kAnyUpstreamType = 0x7;

struct UpstreamTimeouts
{
    int connectMs = 10000;
    int firstByteMs = 120000;
    int idleMs = 120000;
};

struct UpstreamConfig
{
    QString id;
    QString name;
    UpstreamType type = UpstreamType::OpenAi;
    QUrl baseUrl;
    bool enabled = true;
    // An openai upstream that serves /v1/responses itself (OpenAI does; most compatible
    // providers serve chat completions only): Responses requests pass through untranslated.
    bool responsesApi = false;
    QList<KeyConfig> keys;
    QStringList models; // exact names and '*' patterns; empty serves every model
    // Client model name -> upstream model name. Keys with '*' are patterns ("claude-*haiku*"),
    // tried after the exact names, the most specific first.
    QMap<QString, QString> modelMap;
    int priority = 0; // lower tiers are tried first
    int weight = 1;
    QString proxy = QStringLiteral("system"); // system, none, http://..., socks5://...
    UpstreamTimeouts timeouts;
    QList<QPair<QByteArray, QByteArray>> headers;
    DailyReset dailyReset; // when the keys' daily (RPD) counts start over

    // Whether this upstream serves the model the client asked for (after alias mapping).
    bool serves(const QString &clientModel) const;
    // The name to write into the forwarded body.
    QString upstreamModel(const QString &clientModel) const;
    // The modelMap entry for a client model: its exact name; else none for a name `models`
    // lists; else the most specific pattern.
    const QString *mapping(const QString &clientModel) const;
};

bool modelPatternMatches(const QString &pattern, const QString &model);
// An http(s) URL with a host.
bool isValidBaseUrl(const QString &text);
// "system", "none", or an http, https or socks5 URL with a host.
bool isValidProxy(const QString &proxy);
// A header name of token characters (RFC 9110) and a value without line breaks: anything else
// would be refused by the network stack or split into another header.
bool isValidHeader(const QString &name, const QString &value);

} // namespace relay
