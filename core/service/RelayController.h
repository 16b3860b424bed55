#pragma once

#include "ConfigEdit.h"
#include "RelayService.h"
#include "store/StoreWriter.h"
#include "types/KeyProbeResult.h"
#include "types/RelaySnapshot.h"
#include "types/RequestRecord.h"

#include <QHash>
#include <QMap>
#include <QObject>
#include <QTimer>
#include <deque>
#include <functional>

namespace relay {

class AdminApi;
class KeyProber;

// The one facade over a running relay, used by the admin API, the headless app and (through
// RelayHost, from another thread) the GUI. It lives in the relay's thread; everything it hands
// out is a value: snapshots at most kSnapshotIntervalMs apart and only when something changed,
// state changes, finished requests in batches, and the answers of edits, probes and reads.
class RelayController final : public QObject
{
    Q_OBJECT
public:
    static constexpr int kSnapshotIntervalMs = 250;
    static constexpr int kMaxRecordsPerBatch = 500;
    static constexpr int kFreePortSearch = 100; // ports tried after the configured one

    explicit RelayController(RelayService::Options options, QObject *parent = nullptr);
    ~RelayController() override;
    Q_DISABLE_COPY_MOVE(RelayController)

    // For code in the relay's own thread (the headless app, tests).
    RelayService &service() { return *m_service; }

    void start();
    void shutdown();
    void pause();
    void resume();
    // Saves the first free port after the configured one and listens there.
    void moveToFreePort(std::function<void(const ConfigEditResult &)> done);

    using EditDone = std::function<void(const ConfigEditResult &result)>;
    // Validated like the file, new secrets stored first, saved atomically, then applied. Edits
    // run one after the other, each on what the one before saved.
    void edit(const ConfigEdit &edit, EditDone done);
    void reload(std::function<void(const ConfigProblems &)> done);
    using ProbeDone = std::function<void(const KeyProbeResult &result)>;
    // A key that may not be saved yet, on an upstream as the config writes it (the draft is
    // validated like the file; its problems come back as the result's error).
    void probeDraft(const QJsonObject &upstream, const QString &secret, ProbeDone done);
    // A saved key; false when there is no such key with a secret.
    bool probeSaved(const QString &upstreamId, const QString &keyId, ProbeDone done);
    using ReadDone = std::function<void(const QJsonObject &)>;
    void readLog(const StoreWriter::LogQuery &query, ReadDone done);
    void readUsage(int days, ReadDone done);
    // The access key, for a copy button: the caller drops it as soon as it is used.
    QString accessKey() const;
    void rotateKey(const QString &ref, RelayService::RotateDone done);
    void removeAdminKey(std::function<void(const QString &error)> done);

    RelaySnapshot snapshot() const;
    // The configuration as the file holds it: no secrets, keys with their hints.
    QJsonObject configJson() const;
    QJsonObject liveStatus() const;

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
    // Every enabled key of every enabled upstream is unusable (cooling, limited, invalid).
    void keysExhausted();
    // The port cannot be opened and a free one would do: reason "port_taken" (another
    // program holds it) or "port_refused" (the system does not allow it).
    void portUnavailable(quint16 port, const QString &reason, const QString &message);

private:
    void runNextEdit();
    // A new address or port must open before it is saved: otherwise the file would hold a
    // port the relay cannot use. Empty when it can.
    ConfigProblems checkListen(const QJsonObject &edited) const;
    void scheduleSnapshot();
    void emitSnapshot();
    void onRequestFinished(const RequestRecord &record);
    void restoreRecent();
    void rollDay(qint64 nowMs);
    void noteStates(const RelaySnapshot &snapshot);

    RelayService *m_service;
    KeyProber *m_prober;
    AdminApi *m_admin;
    QTimer m_snapshotTimer; // single shot: armed by a change, so an idle relay never wakes
    QTimer m_wakeTimer; // single shot: the next cooldown or limit end
    std::deque<std::pair<ConfigEdit, EditDone>> m_edits; // the first runs when m_editRunning
    bool m_editRunning = false;
    QList<RequestRecord> m_finished;
    RelayTotals m_today;
    qint64 m_todayStartMs = 0;
    QMap<qint64, MinutePoint> m_minutes; // minute start -> counts, the last hour
    QString m_listenError;
    QString m_listenReason; // as in the snapshot: port_taken, port_refused, listen_failed
    bool m_startFailed = false;
    bool m_stopped = false;
    RelayState m_state = RelayState::Starting;
    QString m_reason;
    QHash<QString, KeyState> m_keyStates; // "upstream/key" -> state at the last snapshot
};

} // namespace relay
