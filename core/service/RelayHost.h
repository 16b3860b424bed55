#pragma once

#include "ConfigEdit.h"
#include "RelayService.h"
#include "store/StoreWriter.h"
#include "types/KeyProbeResult.h"
#include "types/RelaySnapshot.h"
#include "types/RequestRecord.h"

#include <QObject>
#include <QThread>
#include <functional>

namespace relay {

class RelayController;

// Runs a RelayController in a thread of its own, for the GUI. It lives in the caller's thread;
// every call is queued to the relay's thread and every answer and signal comes back queued,
// as values, so the caller never touches a relay object and a busy GUI never stalls a stream.
// Callbacks run in this object's thread, and not at all once it is gone.
class RelayHost final : public QObject
{
    Q_OBJECT
public:
    explicit RelayHost(RelayService::Options options, QObject *parent = nullptr);
    // Ends the relay at once if it still runs (shutdown() first for a graceful end).
    ~RelayHost() override;
    Q_DISABLE_COPY_MOVE(RelayHost)

    void start();
    // Ends the relay now and returns once the store is flushed (the session is ending).
    void stopNow();
    // Graceful: streams in flight get the grace period; stopped() follows.
    void shutdown();
    void pause();
    void resume();
    void moveToFreePort(std::function<void(const ConfigEditResult &)> done);
    void edit(const ConfigEdit &edit, std::function<void(const ConfigEditResult &)> done);
    void reload(std::function<void(const ConfigProblems &)> done);
    void probeDraft(const QJsonObject &upstream, const QString &secret,
                    std::function<void(const KeyProbeResult &)> done);
    void probeSaved(const QString &upstreamId, const QString &keyId,
                    std::function<void(const KeyProbeResult &)> done);
    void readLog(const StoreWriter::LogQuery &query, std::function<void(const QJsonObject &)> done);
    void readUsage(int days, std::function<void(const QJsonObject &)> done);
    // The access key, for a copy button; drop it once used.
    void fetchAccessKey(std::function<void(const QString &)> done);
    // The access or admin key (KeyStore's refs) replaced; the new one is shown once.
    void rotateKey(const QString &ref,
                   std::function<void(const QString &key, const QString &error)> done);
    void removeAdminKey(std::function<void(const QString &error)> done);

    // The latest of what the relay sent (empty before the first snapshot / start).
    const RelaySnapshot &snapshot() const { return m_snapshot; }
    const QJsonObject &config() const { return m_config; }
    bool isRunning() const { return m_thread.isRunning(); }

Q_SIGNALS:
    void started();
    void startFailed(const QString &error);
    void stopped();
    void notice(const QString &message);
    void snapshotReady(const relay::RelaySnapshot &snapshot);
    void stateChanged(relay::RelayState state, const QString &reason);
    void requestsFinished(const QList<relay::RequestRecord> &records);
    void configChanged(const QJsonObject &config);
    void keyInvalid(const QString &upstream, const QString &keyLabel, const QString &reason);
    void keysExhausted();
    void portUnavailable(quint16 port, const QString &reason, const QString &message);

private:
    // Runs work(controller) in the relay's thread.
    void call(std::function<void(RelayController &)> work);
    // A callback for the relay's thread that delivers its answer to done() in this thread.
    template<typename... Args>
    std::function<void(const Args &...)> back(std::function<void(const Args &...)> done);
    void create();
    void destroyAndQuit(); // in the relay's thread

    RelayService::Options m_options;
    QThread m_thread;
    QObject *m_anchor; // lives in the relay's thread: the target of queued calls
    RelayController *m_controller = nullptr; // read and written in the relay's thread only
    bool m_started = false; // the thread has been started once (never restarted)
    RelaySnapshot m_snapshot;
    QJsonObject m_config;
};

} // namespace relay
