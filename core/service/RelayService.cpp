#include "RelayService.h"

#include "config/ConfigFile.h"
#include "relay/RelayEngine.h"
#include "secrets/KeyStore.h"
#include "secrets/MemoryKeyStore.h"
#include "secrets/SecretRedactor.h"
#include "store/RequestStore.h"

#include <QDateTime>
#include <QFileInfo>

#include <QHostAddress>
#include <QRandomGenerator>

namespace relay {

RelayService::RelayService(Options options, QObject *parent)
    : QObject(parent)
    , m_options(std::move(options))
    , m_keys(new MemoryKeyStore)
    , m_vault(new SecretVault(m_options.secrets, this))
    , m_engine(new RelayEngine(*m_keys, this))
    , m_front(new HttpFront(*m_engine, *m_keys, this))
    , m_store(new RequestStore(this))
{
    connect(m_engine, &RelayEngine::requestFinished, m_store, &RequestStore::record);
    connect(m_store, &RequestStore::failed, this, &RelayService::notice);
    connect(m_store, &RequestStore::opened, this,
            [this](const QList<MinuteUsage> &lastDay, const QString &note, const QString &error) {
                if (!note.isEmpty())
                    Q_EMIT notice(note);
                if (!error.isEmpty() && m_starting) {
                    m_starting = false;
                    Q_EMIT startFailed(
                        error
                        + QStringLiteral(". The relay keeps its request log and usage there; fix "
                                         "the file's folder or permissions and start again."));
                    return;
                }
                m_restoredUsage = lastDay;
                startStepDone();
            });
    m_grace.setSingleShot(true);
    connect(&m_grace, &QTimer::timeout, this,
            [this] { m_engine->abortAll(QStringLiteral("the relay is shutting down")); });
    connect(m_engine, &RelayEngine::idle, this, [this] {
        if (m_stopping)
            finishShutdown();
    });
    connect(m_front, &HttpFront::connectionsClosed, this, &RelayService::emitStopped);
    connect(m_vault, &SecretVault::loaded, this, &RelayService::onSecretsLoaded);
    connect(m_vault, &SecretVault::failed, this, &RelayService::onSecretsFailed);
}

RelayService::~RelayService()
{
    delete m_front;
    delete m_engine;
    delete m_keys;
}

void RelayService::apply(const RelayConfig &config, const QHash<QString, QString> &secrets)
{
    m_keys->replaceAll(secrets);
    RelayConfig effective = config;
    if (m_options.portOverride >= 0)
        effective.port = static_cast<quint16>(m_options.portOverride);
    const RelayConfig previous = m_engine->config();
    m_engine->setConfig(effective);
    m_loaded = true;
    // A new address or port takes effect at once, unless the relay is paused or not up yet.
    if (!m_starting && !m_paused && !m_stopping
        && (previous.listenAddress != effective.listenAddress || previous.port != effective.port))
        listen();
    Q_EMIT configApplied();
    m_front->setLimits({ effective.maxBodyBytes, effective.idleTimeoutSeconds * 1000,
                         effective.headerTimeoutSeconds * 1000, effective.maxConnections });
    m_store->setRequestLogLimit(effective.requestLogLimit);
}

void RelayService::start()
{
    m_starting = true;
    if (!m_options.quickStart) {
        startFromFile();
        return;
    }
    // Quick start: keys from the environment, held in memory only.
    QHash<QString, QString> secrets = m_options.quickSecrets;
    if (secrets.value(KeyStore::accessKeyRef()).isEmpty()) {
        m_newAccessKey = SecretVault::generateKey(QStringLiteral("sk-relay-"));
        secrets.insert(KeyStore::accessKeyRef(), m_newAccessKey);
    }
    apply(m_options.quickConfig, secrets);
    m_startSteps = 1; // no database without a config file
    QMetaObject::invokeMethod(this, &RelayService::startStepDone, Qt::QueuedConnection);
}

void RelayService::startFromFile()
{
    m_file = new ConfigFile(m_options.configPath, this);
    ConfigFile::LoadResult loaded = m_file->load();
    if (loaded.missing) {
        Q_EMIT notice(QStringLiteral("No config file yet: creating %1 with a new access key and "
                                     "no upstreams; add your providers there.")
                          .arg(m_file->path()));
    } else if (loaded.recovered) {
        Q_EMIT notice(QStringLiteral("The config file %1 had problems and was set aside as %2; "
                                     "the last good copy (%3) is in use. Problems:\n  %4")
                          .arg(m_file->path(), loaded.setAsidePath, m_file->backupPath(),
                               loaded.originalErrors.join(QStringLiteral("\n  "))));
    } else if (!loaded.parsed.ok()) {
        const QString error
            = QStringLiteral("The config file %1 has problems (and there is no good backup):"
                             "\n  %2\nFix them, or check with: llm-relay --check-config %1")
                  .arg(m_file->path(), loaded.parsed.errors().join(QStringLiteral("\n  ")));
        QMetaObject::invokeMethod(
            this, [this, error] { Q_EMIT startFailed(error); }, Qt::QueuedConnection);
        return;
    }
    if (loaded.parsed.config.instanceId.isEmpty()) {
        loaded.parsed.config.instanceId
            = QString::fromLatin1(QByteArray::number(QRandomGenerator::system()->generate64(), 16)
                                      .rightJustified(16, '0'));
        m_saveAfterLoad = true;
    }

    connect(m_file, &ConfigFile::changed, this,
            [this](const ParsedConfig &parsed) { loadSecrets(parsed, false, false); });
    connect(m_file, &ConfigFile::reloadFailed, this, [this](const ConfigProblems &problems) {
        Q_EMIT notice(QStringLiteral("The changed config file %1 was not applied; the running "
                                     "configuration stays. Problems:\n  %2")
                          .arg(m_file->path(),
                               ConfigProblem::messages(problems).join(QStringLiteral("\n  "))));
    });
    m_front->setReloadHandler([this](HttpFront::ReloadDone done) { reload(std::move(done)); });
    if (m_adminHandler)
        m_front->setAdminHandler(m_adminHandler);
    m_startSteps = 2;
    m_store->open(databasePath(), loaded.parsed.config.requestLogLimit);
    loadSecrets(loaded.parsed, m_options.rotateAccessKey, m_options.rotateAdminKey);
}

void RelayService::reload(Done done)
{
    const size_t waiting = m_waitingForSecrets.size();
    const ConfigProblems problems = m_file->reload(); // a good file queues a secrets load
    if (!problems.isEmpty() || m_waitingForSecrets.size() == waiting)
        done(problems);
    else
        m_waitingForSecrets.back().done = std::move(done);
}

void RelayService::applyEdit(const QByteArray &configJson, Done done, bool clearPortOverride)
{
    ParsedConfig parsed = ConfigParser::parse(configJson);
    if (!m_file) {
        done({ { {}, QStringLiteral("no_config_file"), {} } });
        return;
    }
    if (!parsed.ok()) {
        done(parsed.problems);
        return;
    }
    parsed.config.instanceId = m_fileConfig.instanceId;
    loadSecrets(parsed, false, false);
    m_waitingForSecrets.back().done = std::move(done);
    m_waitingForSecrets.back().persist = true;
    m_waitingForSecrets.back().clearPortOverride = clearPortOverride;
}

void RelayService::forgetSecrets(const QStringList &refs)
{
    for (const QString &ref : refs)
        m_vault->store(ref, QString());
}

void RelayService::storeSecret(const QString &ref, const QString &secret,
                               std::function<void(const QString &error)> done)
{
    // Every load takes the environment's value again: a change here would silently end there.
    if (SecretVault::fromEnvironment(ref)) {
        done(QStringLiteral("%1 is set in the environment and replaces this key at every load; "
                            "change or unset it there, then restart the relay.")
                 .arg(SecretVault::environmentName(ref)));
        return;
    }
    m_vault->store(ref, secret, [this, ref, secret, done](const QString &error) {
        if (error.isEmpty())
            m_keys->set(ref, secret);
        done(error);
    });
}

void RelayService::rotateKey(const QString &ref, RotateDone done)
{
    const QString key = SecretVault::generateKey(ref == KeyStore::adminKeyRef()
                                                     ? QStringLiteral("sk-relay-admin-")
                                                     : QStringLiteral("sk-relay-"));
    storeSecret(ref, key, [key, done](const QString &error) {
        done(error.isEmpty() ? key : QString(), error);
    });
}

void RelayService::removeAdminKey(std::function<void(const QString &error)> done)
{
    storeSecret(KeyStore::adminKeyRef(), QString(), std::move(done));
}

void RelayService::loadSecrets(const ParsedConfig &parsed, bool rotateAccess, bool rotateAdmin)
{
    SecretVault::LoadRequest request;
    request.instanceId = parsed.config.instanceId;
    for (const UpstreamConfig &u : parsed.config.upstreams) {
        for (const KeyConfig &k : u.keys)
            request.refs.append(KeyStore::upstreamKeyRef(u.id, k.id));
    }
    request.plain = parsed.secrets;
    request.rotateAccessKey = rotateAccess;
    request.rotateAdminKey = rotateAdmin;
    m_waitingForSecrets.push_back({ parsed, {} });
    m_vault->load(request);
}

void RelayService::onSecretsLoaded(const SecretVault::Result &result)
{
    ParsedConfig parsed = std::move(m_waitingForSecrets.front().parsed);
    const auto done = std::move(m_waitingForSecrets.front().done);
    const bool persist = m_waitingForSecrets.front().persist;
    if (m_waitingForSecrets.front().clearPortOverride)
        m_options.portOverride = -1; // validated and stored: the edited port is the one now
    m_waitingForSecrets.pop_front();
    bool hintsChanged = false;
    for (UpstreamConfig &u : parsed.config.upstreams) {
        for (KeyConfig &k : u.keys) {
            const QString hint
                = secretHint(result.secrets.value(KeyStore::upstreamKeyRef(u.id, k.id)));
            hintsChanged = hintsChanged || (!hint.isEmpty() && hint != k.hint);
            if (!hint.isEmpty())
                k.hint = hint;
        }
    }
    if (!result.warning.isEmpty())
        Q_EMIT notice(result.warning);
    // Rewriting the file removes the plain copies; only done once they are safely stored.
    if (!result.warning.isEmpty() && persist) {
        // An edit whose secrets could not be stored is not applied: nothing half-done.
        if (done)
            done({ { {}, QStringLiteral("secrets_failed"), { result.warning } } });
        return;
    }
    if (result.warning.isEmpty()
        && (persist || m_saveAfterLoad || !result.moved.isEmpty() || hintsChanged)) {
        QString error;
        if (m_file->save(parsed.config, &error)) {
            m_saveAfterLoad = false;
            if (!result.moved.isEmpty() && !persist)
                Q_EMIT notice(QStringLiteral("Moved %1 secret(s) from the config file into %2; "
                                             "the file now keeps only labels and last 4 "
                                             "characters.")
                                  .arg(result.moved.size())
                                  .arg(m_vault->description()));
        } else if (persist) {
            if (done)
                done({ { {}, QStringLiteral("not_saved"), { error } } });
            return;
        } else {
            Q_EMIT notice(QStringLiteral("Could not rewrite the config file (%1). The secrets are "
                                         "in %2, but plain copies may remain in the file.")
                              .arg(error, m_vault->description()));
        }
    }
    if (!result.missing.isEmpty())
        Q_EMIT notice(QStringLiteral("No secret found for %1 (in %2 or the environment): those "
                                     "keys are skipped. Put the key in the config file's \"key\" "
                                     "field once (it is moved into %2), or set %3.")
                          .arg(result.missing.join(QStringLiteral(", ")), m_vault->description(),
                               SecretVault::environmentName(result.missing.constFirst())));
    m_fileConfig = parsed.config;
    apply(parsed.config, result.secrets);
    if (m_starting) {
        m_newAccessKey = result.generatedAccessKey;
        m_newAdminKey = result.generatedAdminKey;
        startStepDone();
        return;
    }
    Q_EMIT notice(QStringLiteral("Configuration %1 (%2 upstreams).")
                      .arg(persist ? QStringLiteral("changed through the admin API and saved to ")
                                   + m_file->path()
                                   : QStringLiteral("reloaded from ") + m_file->path())
                      .arg(parsed.config.upstreams.size()));
    if (done)
        done({});
}

void RelayService::onSecretsFailed(const QString &error)
{
    const auto done = std::move(m_waitingForSecrets.front().done);
    m_waitingForSecrets.pop_front();
    if (done)
        done({ { {}, QStringLiteral("secrets_failed"), { error } } });
    if (m_starting) {
        m_starting = false;
        Q_EMIT startFailed(error);
        return;
    }
    Q_EMIT notice(QStringLiteral("The changed configuration was not applied: %1").arg(error));
}

void RelayService::startStepDone()
{
    if (m_starting && --m_startSteps == 0) {
        restoreUsage();
        listen();
    }
}

void RelayService::restoreUsage()
{
    // Limit windows continue where the last run left them.
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    QHash<QString, const UpstreamConfig *> upstreamOf;
    for (const UpstreamConfig &u : m_engine->config().upstreams) {
        for (const KeyConfig &k : u.keys)
            upstreamOf.insert(KeyStore::upstreamKeyRef(u.id, k.id), &u);
    }
    for (const MinuteUsage &m : std::as_const(m_restoredUsage)) {
        if (const UpstreamConfig *u = upstreamOf.value(m.keyRef))
            m_engine->health().key(m.keyRef).window.restore(m.lastMs, m.attempts, m.tokens, now,
                                                            u->dailyReset.dayStartMs(now));
    }
    m_restoredUsage.clear();
}

bool RelayService::listen()
{
    const bool first = m_starting;
    m_starting = false;
    // Hand edits are picked up even while the port cannot be opened: that may be the fix.
    if (first && m_file)
        m_file->startWatching();
    const RelayConfig &config = m_engine->config();
    QString error;
    QAbstractSocket::SocketError kind = QAbstractSocket::UnknownSocketError;
    // Port 0 means any free port: once one is chosen, a resume reopens that one.
    const quint16 port = config.port == 0 ? m_lastPort : config.port;
    if (!m_front->listenOn(QHostAddress(config.listenAddress), port, &error, &kind)) {
        Q_EMIT listenFailed(error, kind);
        return false;
    }
    m_paused = false;
    m_lastPort = m_front->listeningPort();
    // The first time the port opens, also when that is after a port problem at start.
    if (!m_hasListened) {
        m_hasListened = true;
        Q_EMIT started();
    }
    Q_EMIT listening(m_front->listeningPort());
    return true;
}

void RelayService::pause()
{
    if (m_stopping || m_paused)
        return;
    m_paused = true;
    m_front->stopListening();
    Q_EMIT paused();
}

void RelayService::resume()
{
    if (m_stopping || !m_loaded || m_starting)
        return;
    if (!listen() && !m_front->isListening())
        m_paused = false; // not paused any more, but down: the state says why
}

bool RelayService::isListening() const
{
    return m_front->isListening();
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

QString RelayService::adminKey() const
{
    return m_keys->secret(KeyStore::adminKeyRef());
}

QString RelayService::databasePath() const
{
    // Beside the config file: one folder holds everything to back up.
    return m_file ? QFileInfo(m_file->path()).absolutePath() + QStringLiteral("/relay.db")
                  : QString();
}

QString RelayService::configPath() const
{
    return m_file ? m_file->path() : QString();
}

} // namespace relay
