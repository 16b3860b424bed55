#include "CommandLine.h"

#include "config/ConfigFile.h"
#include "config/UpstreamConfig.h"
#include "secrets/KeyStore.h"

#include <QCommandLineParser>
#include <QUrl>

namespace relay {

namespace {
QString env(const char *name)
{
    return qEnvironmentVariable(name).trimmed();
}

// "from=to,from=to" into `map`, later entries replacing earlier ones of the same name.
void readModelMap(CommandLine &cl, const QString &where, const QString &text,
                  QMap<QString, QString> &map)
{
    for (const QString &item : text.split(u',', Qt::SkipEmptyParts)) {
        const qsizetype eq = item.indexOf(u'=');
        const QString from = item.left(eq).trimmed();
        const QString to = eq < 0 ? QString() : item.mid(eq + 1).trimmed();
        if (from.isEmpty() || to.isEmpty()) {
            cl.errors.append(QStringLiteral("%1: \"%2\" is not name=model; write it like "
                                            "claude-*haiku*=deepseek-chat,claude-*=deepseek-chat")
                                 .arg(where, item.trimmed()));
            continue;
        }
        map.insert(from, to);
    }
}

void buildQuickStart(CommandLine &cl, const QString &url, const QString &type,
                     const QString &modelMap)
{
    UpstreamConfig u;
    u.id = QStringLiteral("upstream");
    u.name = QUrl(url).host();
    if (!isValidBaseUrl(url))
        cl.errors.append(QStringLiteral("--upstream: \"%1\" is not a URL; write it like "
                                        "https://api.openai.com/v1")
                             .arg(url));
    u.baseUrl = QUrl(url, QUrl::StrictMode);
    readModelMap(cl, QStringLiteral("RELAY_MODEL_MAP"), env("RELAY_MODEL_MAP"), u.modelMap);
    readModelMap(cl, QStringLiteral("--model-map"), modelMap, u.modelMap);
    if (type == u"openai")
        u.type = UpstreamType::OpenAi;
    else if (type == u"anthropic")
        u.type = UpstreamType::Anthropic;
    else if (type == u"gemini")
        u.type = UpstreamType::Gemini;
    else
        cl.errors.append(QStringLiteral("--upstream-type: use openai, anthropic or gemini"));

    const QStringList keys = env("RELAY_UPSTREAM_KEYS").split(u',', Qt::SkipEmptyParts);
    if (keys.isEmpty())
        cl.errors.append(QStringLiteral("--upstream needs its keys in the environment variable "
                                        "RELAY_UPSTREAM_KEYS (comma-separated); keys are never "
                                        "taken from the command line, where other users can "
                                        "read them."));
    for (qsizetype i = 0; i < keys.size(); ++i) {
        KeyConfig key;
        key.id = QStringLiteral("key%1").arg(i + 1);
        key.label = key.id;
        u.keys.append(key);
        cl.service.quickSecrets.insert(KeyStore::upstreamKeyRef(u.id, key.id),
                                       keys.at(i).trimmed());
    }
    cl.service.quickConfig.upstreams.append(u);

    const QString access = env("RELAY_ACCESS_KEY");
    if (!access.isEmpty())
        cl.service.quickSecrets.insert(KeyStore::accessKeyRef(), access);
    const QString attempts = env("RELAY_MAX_ATTEMPTS");
    if (!attempts.isEmpty()) {
        bool ok = false;
        const int n = attempts.toInt(&ok);
        if (!ok || n < 1 || n > 20)
            cl.errors.append(QStringLiteral("RELAY_MAX_ATTEMPTS must be a number from 1 to 20"));
        else
            cl.service.quickConfig.retry.maxAttempts = n;
    }
    cl.service.quickStart = true;
}
} // namespace

CommandLine CommandLine::parse(const QStringList &arguments)
{
    CommandLine cl;
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral(
        "LLM Relay: one local OpenAI-compatible endpoint over many providers and keys."));
    parser.addHelpOption();
    parser.addVersionOption();
    const QCommandLineOption headless(QStringLiteral("headless"),
                                      QStringLiteral("Run the relay without any window."));
    const QCommandLineOption config(QStringLiteral("config"),
                                    QStringLiteral("Use this config file instead of the default."),
                                    QStringLiteral("file"));
    const QCommandLineOption check(QStringLiteral("check-config"),
                                   QStringLiteral("Validate a config file and exit."),
                                   QStringLiteral("file"));
    const QCommandLineOption port(QStringLiteral("port"),
                                  QStringLiteral("Listen on this port (overrides the config)."),
                                  QStringLiteral("n"));
    const QCommandLineOption upstream(
        QStringLiteral("upstream"),
        QStringLiteral("Quick start without a config file: relay to this base URL, with keys "
                       "from RELAY_UPSTREAM_KEYS, access key from RELAY_ACCESS_KEY."),
        QStringLiteral("url"));
    const QCommandLineOption upstreamType(QStringLiteral("upstream-type"),
                                          QStringLiteral("openai (default), anthropic or gemini."),
                                          QStringLiteral("type"), QStringLiteral("openai"));
    const QCommandLineOption modelMap(
        QStringLiteral("model-map"),
        QStringLiteral("Quick start: client model names to the upstream's, as name=model pairs "
                       "separated by commas; '*' matches any run of characters "
                       "(claude-*haiku*=deepseek-chat,claude-*=deepseek-reasoner). Added to "
                       "RELAY_MODEL_MAP."),
        QStringLiteral("map"));
    const QCommandLineOption keyFile(
        QStringLiteral("key-file"),
        QStringLiteral("Keep keys in this file (readable by you only) instead of the OS "
                       "keychain, for machines without one."),
        QStringLiteral("file"));
    const QCommandLineOption keysFromEnv(
        QStringLiteral("keys-from-env"),
        QStringLiteral("Use no keychain: every key comes from environment variables "
                       "(RELAY_ACCESS_KEY, RELAY_ADMIN_KEY, RELAY_KEY_<UPSTREAM>_<KEY>) and is "
                       "never written anywhere."));
    const QCommandLineOption rotateAccess(
        QStringLiteral("rotate-access-key"),
        QStringLiteral("Replace the access key with a new one (printed once); clients need it."));
    const QCommandLineOption rotateAdmin(
        QStringLiteral("rotate-admin-key"),
        QStringLiteral("Create or replace the admin key (printed once); this enables /admin/."));
    const QCommandLineOption quit(
        QStringLiteral("quit"),
        QStringLiteral("Ask the tray app running with this config to quit, and wait until it "
                       "has (the installer does this before it replaces the program)."));
    const QCommandLineOption startAtLogin(
        QStringLiteral("start-at-login"),
        QStringLiteral("Turn start at login on or off (as the tray menu does) and exit."),
        QStringLiteral("on|off"));
    parser.addOptions({ headless, config, check, port, upstream, upstreamType, modelMap, keyFile,
                        keysFromEnv, rotateAccess, rotateAdmin, quit, startAtLogin });

    if (!parser.parse(arguments)) {
        cl.errors.append(parser.errorText());
        return cl;
    }
    if (parser.isSet(QStringLiteral("help")) || parser.isSet(QStringLiteral("version"))) {
        cl.action = Action::Exit;
        if (parser.isSet(QStringLiteral("help")))
            parser.showHelp(0); // exits
        parser.showVersion(); // exits
    }
    if (!parser.positionalArguments().isEmpty())
        cl.errors.append(QStringLiteral("unexpected argument \"%1\"; see --help")
                             .arg(parser.positionalArguments().constFirst()));
    cl.headless = parser.isSet(headless);
    if (parser.isSet(check)) {
        cl.action = Action::CheckConfig;
        cl.checkConfigPath = parser.value(check);
        return cl;
    }
    if (parser.isSet(startAtLogin)) {
        const QString value = parser.value(startAtLogin);
        if (value != u"on" && value != u"off")
            cl.errors.append(QStringLiteral("--start-at-login: use on or off"));
        cl.action = Action::SetStartAtLogin;
        cl.startAtLogin = value == u"on";
        return cl;
    }
    cl.service.configPath = parser.isSet(config) ? parser.value(config) : ConfigFile::defaultPath();
    if (parser.isSet(quit)) {
        cl.action = Action::QuitRunning;
        return cl;
    }
    if (parser.isSet(port)) {
        bool ok = false;
        const int n = parser.value(port).toInt(&ok);
        if (!ok || n < 1 || n > 65535)
            cl.errors.append(QStringLiteral("--port must be a number from 1 to 65535"));
        else
            cl.service.portOverride = n;
    }
    if (parser.isSet(keyFile) && parser.isSet(keysFromEnv))
        cl.errors.append(QStringLiteral("use either --key-file or --keys-from-env, not both"));
    if (parser.isSet(keyFile)) {
        cl.service.secrets.mode = SecretVault::Mode::KeyFile;
        cl.service.secrets.keyFilePath = parser.value(keyFile);
    } else if (parser.isSet(keysFromEnv)) {
        cl.service.secrets.mode = SecretVault::Mode::EnvironmentOnly;
    }
    cl.service.rotateAccessKey = parser.isSet(rotateAccess);
    cl.service.rotateAdminKey = parser.isSet(rotateAdmin);
    if (parser.isSet(upstream)) {
        if (parser.isSet(config))
            cl.errors.append(QStringLiteral("use either --config or --upstream, not both"));
        buildQuickStart(cl, parser.value(upstream), parser.value(upstreamType),
                        parser.value(modelMap));
    } else if (parser.isSet(modelMap)) {
        cl.errors.append(QStringLiteral("--model-map is for quick start (--upstream); in a config "
                                        "file, use the upstream's \"modelMap\""));
    }
    return cl;
}

} // namespace relay
