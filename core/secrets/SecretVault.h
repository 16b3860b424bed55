#pragma once

#include <QHash>
#include <QObject>
#include <QStringList>
#include <deque>
#include <functional>

class QThread;

namespace relay {

class SecretBackend;
struct ParsedConfig;

// Gathers the secrets a configuration needs from where they rest (the keychain or an opted-in
// key file), from the environment (held in memory only), and from plain text found in the
// config file, which it moves into the backend. Work is queued: one backend operation at a time.
class SecretVault final : public QObject
{
    Q_OBJECT
public:
    enum class Mode { Keychain, KeyFile, EnvironmentOnly };
    struct Options
    {
        Mode mode = Mode::Keychain;
        QString keyFilePath;
    };

    // What one load found.
    struct Result
    {
        QHash<QString, QString> secrets; // everything the relay holds in memory
        QStringList moved; // refs that were plain text in the config and are now in the backend
        QString generatedAccessKey; // made this time (first start or rotation): show it once
        QString generatedAdminKey;
        QStringList missing; // configured keys with no secret anywhere
        QString warning; // a problem that did not stop the load
    };

    explicit SecretVault(Options options, QObject *parent = nullptr);
    ~SecretVault() override;
    Q_DISABLE_COPY_MOVE(SecretVault)

    // Where secrets rest, in words for the user.
    QString description() const;
    // The environment variable that supplies a ref, e.g. RELAY_KEY_OPENAI_K1.
    static QString environmentName(const QString &ref);
    static QString generateKey(const QString &prefix);
    // The one thread every backend lives in (QtKeychain queues all jobs on the thread of its
    // first): a backend used directly, outside a vault, must be moved there too.
    static QThread *backendThread();

    struct LoadRequest
    {
        QString instanceId;
        QStringList refs; // every secret the configuration uses
        QHash<QString, QString> plain; // found in the config file
        bool rotateAccessKey = false;
        bool rotateAdminKey = false;
    };
    // Answers with loaded() or failed().
    void load(const LoadRequest &request);
    // Whether the environment supplies `ref` (and so wins over the keychain at every load).
    static bool fromEnvironment(const QString &ref);
    // Stores (or with an empty secret, removes) one secret; done gets the error, if any.
    void store(const QString &ref, const QString &secret,
               std::function<void(const QString &error)> done = {});

Q_SIGNALS:
    void loaded(const relay::SecretVault::Result &result);
    void failed(const QString &error);

private:
    void enqueue(std::function<void()> task);
    void taskDone();
    void ensureBackend(const QString &instanceId);
    void runLoad(const LoadRequest &request);
    static QHash<QString, QString> environmentSecrets(const LoadRequest &request);
    void finishLoad(const LoadRequest &request, const QHash<QString, QString> &env,
                    QHash<QString, QString> found);
    QString unreachableMessage(const QString &why) const;
    // Runs fn on the backend in the secrets thread.
    template<typename Fn> void onBackend(Fn fn);

    Options m_options;
    SecretBackend *m_backend = nullptr;
    QString m_backendInstance;
    bool m_probed = false;
    std::deque<std::function<void()>> m_queue;
    bool m_busy = false;
};

} // namespace relay

Q_DECLARE_METATYPE(relay::SecretVault::Result)
