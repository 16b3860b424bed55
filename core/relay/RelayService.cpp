#include "RelayService.h"

#include "RelayEngine.h"
#include "config/ConfigFile.h"
#include "secrets/KeyStore.h"
#include "secrets/MemoryKeyStore.h"
#include "server/HttpFront.h"

#include <QHostAddress>
#include <QRandomGenerator>

namespace relay {

RelayService::RelayService(Options options, QObject *parent)
    : QObject(parent)
    , m_options(std::move(options))
    , m_keys(new MemoryKeyStore)
    , m_engine(new RelayEngine(*m_keys, this))
    , m_front(new HttpFront(*m_engine, *m_keys, this))
{
    m_grace.setSingleShot(true);
    connect(&m_grace, &QTimer::timeout, this,
            [this] { m_engine->abortAll(QStringLiteral("the relay is shutting down")); });
    connect(m_engine, &RelayEngine::idle, this, [this] {
        if (m_stopping)
            finishShutdown();
    });
    connect(m_front, &HttpFront::connectionsClosed, this, &RelayService::emitStopped);
}

RelayService::~RelayService()
{
    delete m_front;
    delete m_engine;
    delete m_keys;
}

QString RelayService::generateAccessKey()
{
    static constexpr char kAlphabet[]
        = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    QString key = QStringLiteral("sk-relay-");
    QRandomGenerator *random = QRandomGenerator::system(); // cryptographically secure
    for (int i = 0; i < 40; ++i)
        key += QLatin1Char(kAlphabet[random->bounded(int(sizeof(kAlphabet) - 1))]);
    return key;
}

void RelayService::apply(const ParsedConfig &parsed)
{
    QHash<QString, QString> secrets = parsed.secrets;
    // The running access key stays when a reloaded file has none (first start wrote it).
    if (!secrets.contains(KeyStore::accessKeyRef()))
        secrets.insert(KeyStore::accessKeyRef(), m_keys->secret(KeyStore::accessKeyRef()));
    m_keys->replaceAll(secrets);
    RelayConfig config = parsed.config;
    if (m_options.portOverride >= 0)
        config.port = static_cast<quint16>(m_options.portOverride);
    m_engine->setConfig(config);
    m_front->setMaxBodyBytes(config.maxBodyBytes);
}

bool RelayService::loadConfig(RelayConfig *config, QString *error)
{
    if (m_options.quickStart) {
        ParsedConfig parsed;
        parsed.config = m_options.quickConfig;
        parsed.secrets = m_options.quickSecrets;
        if (parsed.secrets.value(KeyStore::accessKeyRef()).isEmpty())
            parsed.secrets.insert(KeyStore::accessKeyRef(), generateAccessKey());
        apply(parsed);
        *config = m_engine->config();
        return true;
    }

    m_file = new ConfigFile(m_options.configPath, this);
    ConfigFile::LoadResult loaded = m_file->load();
    if (loaded.missing) {
        loaded.parsed.secrets.insert(KeyStore::accessKeyRef(), generateAccessKey());
        if (!m_file->save(loaded.parsed.config, loaded.parsed.secrets, error))
            return false;
        Q_EMIT notice(QStringLiteral("Created a new config file at %1 with a new access key and "
                                     "no upstreams yet: add your providers there.")
                          .arg(m_file->path()));
    } else if (loaded.recovered) {
        Q_EMIT notice(QStringLiteral("The config file %1 had problems and was set aside as %2; "
                                     "the last good copy (%3) is in use. Problems:\n  %4")
                          .arg(m_file->path(), loaded.setAsidePath, m_file->backupPath(),
                               loaded.originalErrors.join(QStringLiteral("\n  "))));
    } else if (!loaded.parsed.ok()) {
        *error = QStringLiteral("The config file %1 has problems (and there is no good backup):"
                                "\n  %2\nFix them, or check with: llm-relay --check-config %1")
                     .arg(m_file->path(), loaded.parsed.errors.join(QStringLiteral("\n  ")));
        return false;
    }
    if (!loaded.parsed.secrets.contains(KeyStore::accessKeyRef())) {
        // A hand-written file without an access key: make one and persist it, never run open.
        loaded.parsed.secrets.insert(KeyStore::accessKeyRef(), generateAccessKey());
        if (!m_file->save(loaded.parsed.config, loaded.parsed.secrets, error))
            return false;
        Q_EMIT notice(
            QStringLiteral("Generated an access key and saved it to %1.").arg(m_file->path()));
    }
    apply(loaded.parsed);
    *config = m_engine->config();

    connect(m_file, &ConfigFile::changed, this, [this](const ParsedConfig &parsed) {
        apply(parsed);
        Q_EMIT notice(QStringLiteral("Configuration reloaded from %1 (%2 upstreams).")
                          .arg(m_file->path())
                          .arg(parsed.config.upstreams.size()));
    });
    connect(m_file, &ConfigFile::reloadFailed, this, [this](const QStringList &errors) {
        Q_EMIT notice(QStringLiteral("The changed config file %1 was not applied; the running "
                                     "configuration stays. Problems:\n  %2")
                          .arg(m_file->path(), errors.join(QStringLiteral("\n  "))));
    });
    m_front->setReloadHandler([this] { return m_file->reload(); });
    m_file->startWatching();
    return true;
}

bool RelayService::start(QString *error)
{
    RelayConfig config;
    if (!loadConfig(&config, error))
        return false;
    return m_front->listenOn(QHostAddress(config.listenAddress), config.port, error);
}

void RelayService::shutdown()
{
    if (m_stopping)
        return;
    m_stopping = true;
    m_front->stopListening();
    if (m_engine->inflight() == 0) {
        finishShutdown();
        return;
    }
    Q_EMIT notice(QStringLiteral("Waiting up to %1 s for %2 request(s) in flight.")
                      .arg(m_engine->config().shutdownGraceSeconds)
                      .arg(m_engine->inflight()));
    m_grace.start(m_engine->config().shutdownGraceSeconds * 1000);
}

void RelayService::finishShutdown()
{
    m_grace.stop();
    // The last bytes of the last stream may still sit in a socket buffer: let them out.
    m_front->closeConnections();
    QTimer::singleShot(kFlushTimeoutMs, this, &RelayService::emitStopped);
}

void RelayService::emitStopped()
{
    if (!m_stopping || m_stopped)
        return;
    m_stopped = true;
    Q_EMIT stopped();
}

quint16 RelayService::port() const
{
    return m_front->listeningPort();
}

QString RelayService::accessKey() const
{
    return m_keys->secret(KeyStore::accessKeyRef());
}

QString RelayService::configPath() const
{
    return m_file ? m_file->path() : QString();
}

} // namespace relay
