#include "SecretVault.h"

#include "KeyFileBackend.h"
#include "KeyStore.h"
#include "KeychainBackend.h"

#include <QLoggingCategory>
#include <QRandomGenerator>
#include <QThread>
#include <memory>

Q_LOGGING_CATEGORY(lcSecrets, "relay.secrets")

namespace relay {

namespace {
// Connects for one emission only: the vault runs one backend operation at a time, so the
// next emission of that signal belongs to the operation just started.
template<typename Signal, typename Slot>
void once(SecretBackend *backend, Signal signal, QObject *context, Slot slot)
{
    auto connection = std::make_shared<QMetaObject::Connection>();
    *connection
        = QObject::connect(backend, signal, context,
                           [connection, slot = std::move(slot)](const auto &...args) mutable {
                               QObject::disconnect(*connection);
                               slot(args...);
                           });
}
// Backends live in one thread for the whole process: key-file I/O stays off the relay thread,
// the Secret Service client (libsecret) needs a GLib event loop, which the relay thread does
// not run (see main.cpp), and QtKeychain queues every job on the thread of its first one.
class SecretsThread
{
public:
    SecretsThread()
    {
        m_thread.setObjectName(QStringLiteral("relay-secrets"));
        m_thread.start();
    }
    ~SecretsThread()
    {
        m_thread.quit();
        m_thread.wait();
    }
    QThread *get() { return &m_thread; }

private:
    QThread m_thread;
};
Q_GLOBAL_STATIC(SecretsThread, g_secretsThread)

QThread *secretsThread()
{
    return g_secretsThread->get();
}
} // namespace

QThread *SecretVault::backendThread()
{
    return secretsThread();
}

SecretVault::SecretVault(Options options, QObject *parent)
    : QObject(parent)
    , m_options(std::move(options))
{
    qRegisterMetaType<Result>();
}

SecretVault::~SecretVault()
{
    if (m_backend)
        m_backend->deleteLater(); // thread-safe; runs when the thread ends at the latest
}

template<typename Fn> void SecretVault::onBackend(Fn fn)
{
    QMetaObject::invokeMethod(m_backend,
                              [backend = m_backend, fn = std::move(fn)] { fn(backend); });
}

QString SecretVault::description() const
{
    switch (m_options.mode) {
    case Mode::EnvironmentOnly:
        return QStringLiteral("environment variables only (nothing is stored)");
    case Mode::KeyFile:
        return KeyFileBackend(m_options.keyFilePath).description();
    case Mode::Keychain:
        break;
    }
    return KeychainBackend(QString()).description();
}

bool SecretVault::fromEnvironment(const QString &ref)
{
    return !qEnvironmentVariable(qPrintable(environmentName(ref))).trimmed().isEmpty();
}

QString SecretVault::environmentName(const QString &ref)
{
    if (ref == KeyStore::accessKeyRef())
        return QStringLiteral("RELAY_ACCESS_KEY");
    if (ref == KeyStore::adminKeyRef())
        return QStringLiteral("RELAY_ADMIN_KEY");
    QString name = QStringLiteral("RELAY_KEY_") + ref.toUpper();
    for (QChar &c : name) {
        if (!(c >= u'A' && c <= u'Z') && !(c >= u'0' && c <= u'9'))
            c = u'_';
    }
    return name;
}

QString SecretVault::generateKey(const QString &prefix)
{
    static constexpr char kAlphabet[]
        = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    QString key = prefix;
    QRandomGenerator *random = QRandomGenerator::system(); // the OS's cryptographic source
    for (int i = 0; i < 40; ++i)
        key += QLatin1Char(kAlphabet[random->bounded(int(sizeof(kAlphabet) - 1))]);
    return key;
}

QString SecretVault::unreachableMessage(const QString &why) const
{
    if (m_options.mode == Mode::KeyFile)
        return why;
    return QStringLiteral(
               "No OS keychain is reachable (%1). LLM Relay keeps API keys in the keychain and "
               "never falls back to a plain file on its own. Choose one:\n"
               "  - start a keychain (on Linux: a desktop session, or gnome-keyring-daemon with "
               "the Secret Service) and start again;\n"
               "  - --key-file FILE: keep the keys in FILE, readable by you only;\n"
               "  - --keys-from-env: take every key from environment variables (RELAY_ACCESS_KEY, "
               "RELAY_KEY_<UPSTREAM>_<KEY>), held in memory and never written.")
        .arg(why);
}

void SecretVault::enqueue(std::function<void()> task)
{
    m_queue.push_back(std::move(task));
    if (m_busy)
        return;
    // Even an answer known at once (environment-only mode) comes from the event loop.
    m_busy = true;
    QMetaObject::invokeMethod(this, &SecretVault::taskDone, Qt::QueuedConnection);
}

void SecretVault::taskDone()
{
    m_busy = !m_queue.empty();
    if (!m_busy)
        return;
    std::function<void()> next = std::move(m_queue.front());
    m_queue.pop_front();
    next();
}

void SecretVault::ensureBackend(const QString &instanceId)
{
    if (m_backend && m_backendInstance == instanceId)
        return;
    if (m_backend)
        m_backend->deleteLater(); // thread-safe; run when the thread ends at the latest
    m_backendInstance = instanceId;
    m_probed = false;
    if (m_options.mode == Mode::KeyFile)
        m_backend = new KeyFileBackend(m_options.keyFilePath);
    else
        m_backend = new KeychainBackend(instanceId);
    m_backend->moveToThread(secretsThread());
}

void SecretVault::load(const LoadRequest &request)
{
    enqueue([this, request] { runLoad(request); });
}

QHash<QString, QString> SecretVault::environmentSecrets(const LoadRequest &request)
{
    QHash<QString, QString> found;
    for (const QString &ref :
         request.refs + QStringList { KeyStore::accessKeyRef(), KeyStore::adminKeyRef() }) {
        const QString value = qEnvironmentVariable(qPrintable(environmentName(ref))).trimmed();
        if (!value.isEmpty())
            found.insert(ref, value);
    }
    return found;
}

void SecretVault::runLoad(const LoadRequest &request)
{
    // Read once per load: the keychain is not asked for what the environment supplies.
    const QHash<QString, QString> env = environmentSecrets(request);
    if (m_options.mode == Mode::EnvironmentOnly) {
        if (!request.plain.isEmpty()) {
            QStringList names;
            for (auto it = request.plain.cbegin(); it != request.plain.cend(); ++it)
                names.append(environmentName(it.key()));
            names.sort();
            Q_EMIT failed(
                QStringLiteral("The config file holds %1 secret(s) in plain text, and with "
                               "--keys-from-env nothing is stored anywhere, so they cannot be "
                               "moved out of it. Put them in the environment variables %2 and "
                               "delete them from the file, or start with --key-file instead.")
                    .arg(request.plain.size())
                    .arg(names.join(QStringLiteral(", "))));
            taskDone();
            return;
        }
        finishLoad(request, env, {});
        return;
    }
    ensureBackend(request.instanceId);
    auto readStored = [this, request, env] {
        QStringList wanted;
        for (const QString &ref :
             request.refs + QStringList { KeyStore::accessKeyRef(), KeyStore::adminKeyRef() }) {
            if (!request.plain.contains(ref) && !env.contains(ref))
                wanted.append(ref);
        }
        once(m_backend, &SecretBackend::readDone, this,
             [this, request, env](const QHash<QString, QString> &found, const QString &error) {
                 if (!error.isEmpty()) {
                     Q_EMIT failed(unreachableMessage(error));
                     taskDone();
                     return;
                 }
                 finishLoad(request, env, found);
             });
        onBackend([wanted](SecretBackend *b) { b->read(wanted); });
    };
    if (m_probed) {
        readStored();
        return;
    }
    once(m_backend, &SecretBackend::probed, this, [this, readStored](const QString &error) {
        if (!error.isEmpty()) {
            Q_EMIT failed(unreachableMessage(error));
            taskDone();
            return;
        }
        m_probed = true;
        readStored();
    });
    onBackend([](SecretBackend *b) { b->probe(); });
}

void SecretVault::finishLoad(const LoadRequest &request, const QHash<QString, QString> &env,
                             QHash<QString, QString> found)
{
    Result result;
    result.secrets = std::move(found);
    QHash<QString, QString> toWrite = request.plain;
    result.secrets.insert(request.plain);
    result.secrets.insert(env); // in memory only, never written
    if (!env.contains(KeyStore::accessKeyRef())
        && (request.rotateAccessKey || result.secrets.value(KeyStore::accessKeyRef()).isEmpty())) {
        result.generatedAccessKey = generateKey(QStringLiteral("sk-relay-"));
        result.secrets.insert(KeyStore::accessKeyRef(), result.generatedAccessKey);
        toWrite.insert(KeyStore::accessKeyRef(), result.generatedAccessKey);
    }
    if (request.rotateAdminKey && !env.contains(KeyStore::adminKeyRef())) {
        result.generatedAdminKey = generateKey(QStringLiteral("sk-relay-admin-"));
        result.secrets.insert(KeyStore::adminKeyRef(), result.generatedAdminKey);
        toWrite.insert(KeyStore::adminKeyRef(), result.generatedAdminKey);
    }
    for (const QString &ref : request.refs) {
        if (result.secrets.value(ref).isEmpty())
            result.missing.append(ref);
    }
    if (toWrite.isEmpty() || m_options.mode == Mode::EnvironmentOnly) {
        Q_EMIT loaded(result);
        taskDone();
        return;
    }
    once(m_backend, &SecretBackend::written, this,
         [this, result, plain = request.plain](const QString &error) mutable {
             if (error.isEmpty()) {
                 result.moved = plain.keys();
             } else {
                 result.warning = QStringLiteral("Could not store secrets in %1: %2. Keys found "
                                                 "in the config file stay there, and a newly "
                                                 "generated key works for this run only.")
                                      .arg(description(), error);
                 qCWarning(lcSecrets).noquote() << result.warning;
             }
             Q_EMIT loaded(result);
             taskDone();
         });
    onBackend([toWrite](SecretBackend *b) { b->write(toWrite); });
}

void SecretVault::store(const QString &ref, const QString &secret,
                        std::function<void(const QString &error)> done)
{
    enqueue([this, ref, secret, done] {
        auto answer = [this, done](const QString &error) {
            if (done)
                done(error);
            taskDone();
        };
        if (m_options.mode == Mode::EnvironmentOnly || !m_backend) {
            answer(QStringLiteral("keys come from environment variables only, so nothing can be "
                                  "stored; set %1 instead")
                       .arg(environmentName(ref)));
            return;
        }
        if (secret.isEmpty()) {
            once(m_backend, &SecretBackend::removed, this, answer);
            onBackend([ref](SecretBackend *b) { b->remove({ ref }); });
        } else {
            once(m_backend, &SecretBackend::written, this, answer);
            onBackend([ref, secret](SecretBackend *b) { b->write({ { ref, secret } }); });
        }
    });
}

} // namespace relay
