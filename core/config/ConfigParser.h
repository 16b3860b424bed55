#pragma once

#include "ConfigProblem.h"
#include "RelayConfig.h"

#include <QByteArray>
#include <QHash>
#include <QJsonObject>
#include <QMetaType>
#include <QStringList>

namespace relay {

struct ParsedConfig
{
    RelayConfig config;
    QHash<QString, QString> secrets; // KeyStore refs -> secrets found in the file
    ConfigProblems problems;

    bool ok() const { return problems.isEmpty(); }
    // "json.path: problem; what to do", in English.
    QStringList errors() const { return ConfigProblem::messages(problems); }
};

// Reads and validates the JSON configuration. Every problem is reported with its JSON path;
// parsing never stops at the first one so the user can fix the file in one pass.
class ConfigParser
{
public:
    static ParsedConfig parse(const QByteArray &json);
    // Never writes a secret: those live in the keychain (see SecretVault).
    static QJsonObject toJson(const RelayConfig &config);
};

} // namespace relay

Q_DECLARE_METATYPE(relay::ParsedConfig)
