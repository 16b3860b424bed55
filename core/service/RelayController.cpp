#include "RelayController.h"

#include "AdminApi.h"
#include "config/ConfigParser.h"
#include "relay/KeyProber.h"
#include "relay/RelayEngine.h"
#include "secrets/KeyStore.h"
#include "secrets/SecretRedactor.h"
#include "secrets/SecretVault.h"
#include "store/RequestStore.h"

#include <QDateTime>
#include <QFileInfo>
#include <QHostAddress>
#include <QJsonDocument>
#include <QTcpServer>

namespace relay {

namespace {
constexpr qint64 kHourMs = 60 * 60 * 1000;

qint64 localDayStartMs(qint64 nowMs)
{
    return QDateTime::fromMSecsSinceEpoch(nowMs).date().startOfDay().toMSecsSinceEpoch();
}
} // namespace

RelayController::RelayController(RelayService::Options options, QObject *parent)
    : QObject(parent)
    , m_service(new RelayService(std::move(options), this))
    , m_prober(new KeyProber(m_service->engine().client(), this))
    , m_admin(new AdminApi(*this, this))
{
    qRegisterMetaType<RelaySnapshot>();
    qRegisterMetaType<RelayState>();
    qRegisterMetaType<RequestRecord>();
    qRegisterMetaType<QList<RequestRecord>>();
    qRegisterMetaType<KeyProbeResult>();
    qRegisterMetaType<ConfigProblems>();
    qRegisterMetaType<ConfigEdit>();
    qRegisterMetaType<ConfigEditResult>();

    m_snapshotTimer.setSingleShot(true);
    m_snapshotTimer.setInterval(kSnapshotIntervalMs);
    connect(&m_snapshotTimer, &QTimer::timeout, this, &RelayController::emitSnapshot);
    m_wakeTimer.setSingleShot(true);
    connect(&m_wakeTimer, &QTimer::timeout, this, &RelayController::scheduleSnapshot);

    m_service->setAdminHandler(
        [this](const IncomingRequest &request, std::unique_ptr<HttpResponder> responder) {
            m_admin->handle(request, std::move(responder));
        });
    connect(m_service, &RelayService::notice, this, &RelayController::notice);
    connect(m_service, &RelayService::startFailed, this, [this](const QString &error) {
        m_startFailed = true;
        m_listenError = error;
        scheduleSnapshot();
        Q_EMIT startFailed(error);
    });
    connect(m_service, &RelayService::started, this, [this] {
        restoreRecent();
        Q_EMIT started();
    });
    connect(m_service, &RelayService::listening, this, [this] {
        m_listenError.clear();
        m_listenReason.clear();
        scheduleSnapshot();
    });
    connect(m_service, &RelayService::listenFailed, this,
            [this](const QString &error, QAbstractSocket::SocketError kind) {
                m_listenError = error;
                // Taken or refused, moving to a free port fixes it.
                m_listenReason = kind == QAbstractSocket::AddressInUseError
                    ? QStringLiteral("port_taken")
                    : kind == QAbstractSocket::SocketAccessError ? QStringLiteral("port_refused")
                                                                 : QStringLiteral("listen_failed");
                scheduleSnapshot();
                if (m_listenReason != u"listen_failed")
                    Q_EMIT portUnavailable(m_service->engine().config().port, m_listenReason,
                                           error);
            });
    connect(m_service, &RelayService::paused, this, &RelayController::scheduleSnapshot);
    connect(m_service, &RelayService::configApplied, this, [this] {
        Q_EMIT configChanged(configJson());
        scheduleSnapshot();
    });
    connect(m_service, &RelayService::stopped, this, [this] {
        m_stopped = true;
        emitSnapshot();
        Q_EMIT stopped();
    });
    connect(&m_service->engine(), &RelayEngine::activity, this, &RelayController::scheduleSnapshot);
    connect(&m_service->engine(), &RelayEngine::requestFinished, this,
            &RelayController::onRequestFinished);
}

RelayController::~RelayController() = default;

void RelayController::start()
{
    m_todayStartMs = localDayStartMs(QDateTime::currentMSecsSinceEpoch());
    m_service->start();
}

void RelayController::shutdown()
{
    m_service->shutdown();
}

void RelayController::pause()
{
    m_service->pause();
}

void RelayController::resume()
{
    m_service->resume();
}

void RelayController::moveToFreePort(std::function<void(const ConfigEditResult &)> done)
{
    const RelayConfig &config = m_service->engine().config();
    const QHostAddress address(config.listenAddress);
    const int first = config.port + 1;
    const int last = std::min(65535, config.port + kFreePortSearch);
    for (int port = first; port <= last; ++port) {
        QTcpServer probe;
        if (!probe.listen(address, static_cast<quint16>(port)))
            continue;
        probe.close();
        ConfigEdit change;
        change.value
            = { { QStringLiteral("listen"), QJsonObject { { QStringLiteral("port"), port } } } };
        edit(change, std::move(done));
        return;
    }
    ConfigEditResult result;
    result.problems.append({ QStringLiteral("listen.port"),
                             QStringLiteral("no_free_port"),
                             { QString::number(first), QString::number(last) } });
    done(result);
}

void RelayController::edit(const ConfigEdit &edit, EditDone done)
{
    m_edits.emplace_back(edit, std::move(done));
    runNextEdit();
}

void RelayController::runNextEdit()
{
    if (m_editRunning || m_edits.empty())
        return;
    m_editRunning = true;
    const ConfigEdit &edit = m_edits.front().first;
    const auto finish = [this](const ConfigEditResult &result) {
        const EditDone done = std::move(m_edits.front().second);
        m_edits.pop_front();
        m_editRunning = false;
        done(result); // may queue another edit
        runNextEdit();
    };
    // Built now, on what the edit before saved, so quick edits never undo each other.
    const ConfigEdit::Applied applied = edit.applyTo(configJson());
    ConfigEditResult refused;
    refused.refusal = applied.refusal;
    refused.message = applied.message;
    if (applied.refusal == ConfigEdit::Refusal::None)
        refused.problems = checkListen(applied.root);
    if (!refused.ok()) {
        finish(refused);
        return;
    }
    const bool listenChanged = applied.root.value(u"listen") != configJson().value(u"listen");
    m_service->applyEdit(
        QJsonDocument(applied.root).toJson(QJsonDocument::Compact),
        [this, applied, finish](const ConfigProblems &problems) {
            ConfigEditResult result;
            result.problems = problems;
            if (problems.isEmpty()) {
                m_service->forgetSecrets(applied.forget);
                for (const QJsonValue &u : configJson().value(u"upstreams").toArray()) {
                    if (u.toObject().value(u"id").toString() == applied.upstreamId)
                        result.upstream = u.toObject();
                }
            }
            finish(result);
        },
        // A port chosen here replaces one given on the command line.
        listenChanged);
}

ConfigProblems RelayController::checkListen(const QJsonObject &edited) const
{
    const QJsonObject listen = edited.value(u"listen").toObject();
    if (listen == configJson().value(u"listen").toObject())
        return {};
    const RelayConfig &running = m_service->engine().config();
    const QString address = listen.value(u"address").toString(running.listenAddress);
    const int port = listen.value(u"port").toInt(running.port);
    if (port <= 0 || port > 65535 || QHostAddress(address).isNull())
        return {}; // the parser explains it
    if (m_service->isListening() && address == running.listenAddress && port == m_service->port())
        return {};
    QTcpServer probe;
    if (probe.listen(QHostAddress(address), static_cast<quint16>(port)))
        return {};
    return { { QStringLiteral("listen.port"),
               QStringLiteral("port_unavailable"),
               { QString::number(port), probe.errorString() } } };
}

void RelayController::reload(std::function<void(const ConfigProblems &)> done)
{
    if (m_service->configPath().isEmpty()) {
        done({ { {}, QStringLiteral("no_config_file"), {} } });
        return;
    }
    m_service->reload(std::move(done));
}

void RelayController::probeDraft(const QJsonObject &upstream, const QString &secret, ProbeDone done)
{
    // Validated as the file would be, so a probe never runs on what could not be saved.
    const ParsedConfig parsed = ConfigParser::parse(
        QJsonDocument(QJsonObject { { QStringLiteral("upstreams"), QJsonArray { upstream } } })
            .toJson(QJsonDocument::Compact));
    if (!parsed.ok()) {
        KeyProbeResult result;
        result.error = parsed.errors().join(QStringLiteral("; "));
        done(result);
        return;
    }
    m_prober->probe(parsed.config.upstreams.constFirst(), secret, std::move(done));
}

bool RelayController::probeSaved(const QString &upstreamId, const QString &keyId, ProbeDone done)
{
    const UpstreamConfig *u = m_service->fileConfig().upstream(upstreamId);
    const QString secret
        = m_service->engine().keys().secret(KeyStore::upstreamKeyRef(upstreamId, keyId));
    if (!u || secret.isEmpty())
        return false;
    m_prober->probe(*u, secret, std::move(done));
    return true;
}

void RelayController::readLog(const StoreWriter::LogQuery &query, ReadDone done)
{
    m_service->store().read([query](StoreWriter &w) { return w.readLog(query); }, std::move(done));
}

void RelayController::readUsage(int days, ReadDone done)
{
    m_service->store().read([days](StoreWriter &w) { return w.readUsage(days); }, std::move(done));
}

QString RelayController::accessKey() const
{
    return m_service->accessKey();
}

void RelayController::rotateKey(const QString &ref, RelayService::RotateDone done)
{
    m_service->rotateKey(ref,
                         [this, done = std::move(done)](const QString &key, const QString &error) {
                             scheduleSnapshot(); // the hint changed
                             done(key, error);
                         });
}

void RelayController::removeAdminKey(std::function<void(const QString &error)> done)
{
    m_service->removeAdminKey([this, done = std::move(done)](const QString &error) {
        scheduleSnapshot();
        done(error);
    });
}

QJsonObject RelayController::configJson() const
{
    return ConfigParser::toJson(m_service->fileConfig());
}

QJsonObject RelayController::liveStatus() const
{
    return m_service->engine().status();
}

RelaySnapshot RelayController::snapshot() const
{
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    const RelayConfig &config = m_service->engine().config();
    RelaySnapshot s;
    s.upstreams = m_service->engine().upstreamSnapshots(now);
    s.address = config.listenAddress;
    s.port = m_service->port();
    s.configuredPort = config.port;
    s.accessKeyHint = redactSecret(m_service->accessKey());
    const QString adminKey = m_service->adminKey();
    s.adminKeyHint = adminKey.isEmpty() ? QString() : redactSecret(adminKey);
    s.adminKeyFromEnvironment = SecretVault::fromEnvironment(KeyStore::adminKeyRef());
    s.configPath = m_service->configPath();
    s.dataFolder = s.configPath.isEmpty() ? QString() : QFileInfo(s.configPath).absolutePath();
    s.secretsDescription = m_service->secretsDescription();
    s.captureBodies = config.captureBodies;
    s.today = m_today;
    for (auto it = m_minutes.lowerBound(now - kHourMs); it != m_minutes.cend(); ++it)
        s.lastHour.append(it.value());
    s.inflight = m_service->engine().inflight();
    s.takenAtMs = now;

    int enabledKeys = 0;
    for (const UpstreamSnapshot &u : std::as_const(s.upstreams)) {
        for (const KeySnapshot &k : u.keys)
            enabledKeys += u.enabled && k.enabled ? 1 : 0;
    }
    const int usable = s.usableKeys();
    const auto set = [&s](RelayState state, const QString &reason, const QString &detail) {
        s.state = state;
        s.reason = reason;
        s.detail = detail;
    };
    if (m_stopped)
        set(RelayState::Stopped, QStringLiteral("stopped"), QStringLiteral("stopped"));
    else if (m_startFailed)
        set(RelayState::Down, QStringLiteral("start_failed"), m_listenError);
    else if (m_service->isPaused())
        set(RelayState::Paused, QStringLiteral("paused"),
            QStringLiteral("paused: not listening until resumed"));
    else if (!m_service->isListening() && !m_listenError.isEmpty())
        set(RelayState::Down, m_listenReason, m_listenError);
    else if (!m_service->isListening())
        set(RelayState::Starting, QStringLiteral("starting"), QStringLiteral("starting"));
    else if (enabledKeys == 0)
        set(RelayState::Down, QStringLiteral("no_upstream"),
            QStringLiteral("no upstream with an enabled key is configured"));
    else if (usable == 0)
        set(RelayState::Down, QStringLiteral("no_usable_key"),
            QStringLiteral("none of the %1 keys can be used now").arg(enabledKeys));
    else if (usable < enabledKeys)
        set(RelayState::Degraded, QStringLiteral("some_keys_unusable"),
            QStringLiteral("%1 of %2 keys cannot be used now")
                .arg(enabledKeys - usable)
                .arg(enabledKeys));
    else
        set(RelayState::Healthy, {}, QStringLiteral("running"));
    return s;
}

void RelayController::scheduleSnapshot()
{
    if (!m_snapshotTimer.isActive())
        m_snapshotTimer.start();
}

void RelayController::emitSnapshot()
{
    m_snapshotTimer.stop();
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    rollDay(now);
    m_minutes.erase(m_minutes.begin(), m_minutes.lowerBound(now - kHourMs));
    const RelaySnapshot s = snapshot();
    noteStates(s);
    if (!m_finished.isEmpty()) {
        Q_EMIT requestsFinished(m_finished);
        m_finished.clear();
    }
    Q_EMIT snapshotReady(s);
    // The next moment a key comes back by itself: the picture changes without a request.
    qint64 next = 0;
    for (const UpstreamSnapshot &u : s.upstreams) {
        for (const KeySnapshot &k : u.keys) {
            QList<qint64> ends { k.cooldownUntilMs };
            for (const ModelCooldown &c : k.modelCooldowns)
                ends.append(c.untilMs);
            for (const qint64 end : std::as_const(ends)) {
                if (end > now && (next == 0 || end < next))
                    next = end;
            }
        }
    }
    if (next > 0)
        m_wakeTimer.start(static_cast<int>(std::min<qint64>(next - now + 50, kHourMs)));
    else
        m_wakeTimer.stop();
}

void RelayController::noteStates(const RelaySnapshot &s)
{
    QHash<QString, KeyState> states;
    for (const UpstreamSnapshot &u : s.upstreams) {
        for (const KeySnapshot &k : u.keys) {
            const QString ref = KeyStore::upstreamKeyRef(u.id, k.id);
            states.insert(ref, k.state);
            // Invalid marks live in memory only, so a fresh start knows of none yet.
            if (k.state == KeyState::Invalid
                && m_keyStates.value(ref, KeyState::Ok) != KeyState::Invalid)
                Q_EMIT keyInvalid(u.name, k.label, k.reason);
        }
    }
    const bool changed = s.state != m_state || s.reason != m_reason;
    if (changed && s.reason == u"no_usable_key" && m_reason != u"no_usable_key")
        Q_EMIT keysExhausted();
    m_keyStates = states;
    m_state = s.state;
    m_reason = s.reason;
    if (changed)
        Q_EMIT stateChanged(s.state, s.reason);
}

void RelayController::onRequestFinished(const RequestRecord &record)
{
    rollDay(record.startedMs);
    ++m_today.requests;
    m_today.successes += record.succeeded() ? 1 : 0;
    m_today.tokensIn += record.tokensIn;
    m_today.tokensOut += record.tokensOut;
    const qint64 minute = record.startedMs / 60000 * 60000;
    MinutePoint &point = m_minutes[minute];
    point.minuteMs = minute;
    ++point.requests;
    point.failures += record.succeeded() ? 0 : 1;
    point.latencySumMs += record.latencyMs;
    point.tokens += record.tokensIn + record.tokensOut;
    if (m_finished.size() >= kMaxRecordsPerBatch)
        m_finished.removeFirst();
    m_finished.append(record);
    scheduleSnapshot();
}

void RelayController::rollDay(qint64 nowMs)
{
    const qint64 start = localDayStartMs(nowMs);
    if (start > m_todayStartMs) {
        m_todayStartMs = start;
        m_today = {};
    }
}

void RelayController::restoreRecent()
{
    // After a restart the status page continues today's figures and the chart's last hour.
    if (m_service->databasePath().isEmpty())
        return;
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    const qint64 since = m_todayStartMs;
    m_service->store().read(
        [since, now](StoreWriter &w) { return w.readRecent(since, now - kHourMs); },
        [this](const QJsonObject &recent) {
            m_today.requests += recent.value(u"requests").toInteger();
            m_today.successes += recent.value(u"successes").toInteger();
            m_today.tokensIn += recent.value(u"tokensIn").toInteger();
            m_today.tokensOut += recent.value(u"tokensOut").toInteger();
            for (const QJsonValue &v : recent.value(u"minutes").toArray()) {
                const QJsonObject o = v.toObject();
                MinutePoint &p = m_minutes[o.value(u"minuteMs").toInteger()];
                p.minuteMs = o.value(u"minuteMs").toInteger();
                p.requests += int(o.value(u"requests").toInteger());
                p.failures += int(o.value(u"failures").toInteger());
                p.latencySumMs += o.value(u"latencySumMs").toInteger();
                p.tokens += o.value(u"tokens").toInteger();
            }
            scheduleSnapshot();
        });
}

} // namespace relay
