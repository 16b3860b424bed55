#pragma once

#include "config/RelayConfig.h"

#include <QHash>
#include <QObject>
#include <QTimer>

namespace relay {

class ConfigFile;
class HttpFront;
class MemoryKeyStore;
class RelayEngine;
struct ParsedConfig;

// The whole relay, ready to run headless or behind a GUI: configuration source, key store,
// engine and HTTP front, with start-up and graceful shutdown.
class RelayService final : public QObject
{
    Q_OBJECT
public:
    struct Options
    {
        QString configPath; // used unless quickStart is set
        bool quickStart = false; // config built from flags and environment, no file
        RelayConfig quickConfig;
        QHash<QString, QString> quickSecrets;
        int portOverride = -1; // >= 0 replaces the configured port (0: any free port)
    };

    explicit RelayService(Options options, QObject *parent = nullptr);
    ~RelayService() override;
    Q_DISABLE_COPY_MOVE(RelayService)

    // Loads the configuration and starts listening. On failure *error says what to do.
    bool start(QString *error);
    // Stops accepting, lets streams finish for the grace period, then ends the rest.
    void shutdown();

    quint16 port() const;
    QString accessKey() const;
    QString configPath() const;
    RelayEngine &engine() { return *m_engine; }

    static QString generateAccessKey();

Q_SIGNALS:
    void notice(const QString &message);
    void stopped();

private:
    static constexpr int kFlushTimeoutMs = 3000;

    bool loadConfig(RelayConfig *config, QString *error);
    void finishShutdown();
    void emitStopped();
    void apply(const ParsedConfig &parsed);

    Options m_options;
    MemoryKeyStore *m_keys;
    RelayEngine *m_engine;
    HttpFront *m_front;
    ConfigFile *m_file = nullptr;
    bool m_stopping = false;
    bool m_stopped = false;
    QTimer m_grace;
};

} // namespace relay
