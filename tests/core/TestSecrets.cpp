#include "RelayTestCase.h"
#include "config/ConfigParser.h"
#include "secrets/KeyStore.h"
#include "secrets/KeychainBackend.h"
#include "service/RelayService.h"

#include <QtTest>
#include <optional>

using namespace relay;
using namespace relay::test;

// Secrets in a real Secret Service (gnome-keyring; run under scripts/with-keyring.sh): plain keys
// move out of the config file, restarts read them back, environment keys stay in memory, the
// key-file and environment-only choices, and access-key rotation.
class TestSecrets : public RelayTestCase
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void init();
    void cleanup();
    void testPlainKeys_movedToKeychain_fileKeepsHints();
    void testRestart_keysReadFromKeychain();
    void testPlantedKeys_appearInNoFileLogOrAnswer();
    void testEnvironmentKey_usedButNeverStored();
    void testKeyFile_ownerOnly_refusedWhenOthersCanRead();
    void testEnvironmentOnly_plainKeysRefusedAndKept();
    void testRotateAccessKey_oldRefusedNewKept();

private:
    static QByteArray readFile(const QString &path);
};

namespace {
QByteArray g_log; // everything the relay logged, to search for secrets
QtMessageHandler g_previousHandler = nullptr;

void captureMessage(QtMsgType type, const QMessageLogContext &context, const QString &message)
{
    g_log += message.toUtf8() + '\n';
    g_previousHandler(type, context, message);
}

const QStringList kPlanted { QStringLiteral("sk-secret-a-k1"), QStringLiteral("sk-secret-a-k2"),
                             QString::fromLatin1(RelayFixture::kAccessKey) };
} // namespace

void TestSecrets::initTestCase()
{
    g_previousHandler = qInstallMessageHandler(captureMessage);
}

void TestSecrets::init()
{
    RelayTestCase::init();
    m_relay->options().secrets.mode = SecretVault::Mode::Keychain; // what this test is about
}

// Every entry a test stored leaves the keychain again (on Windows the user's real Credential
// Manager, when run there), and is read back as gone.
void TestSecrets::cleanup()
{
    const ParsedConfig parsed = ConfigParser::parse(readFile(m_relay->configPath()));
    RelayTestCase::cleanup();
    if (parsed.config.instanceId.isEmpty())
        return;
    // The backend's own probe entry too: its deletion is not waited for.
    QStringList refs { KeyStore::accessKeyRef(), KeyStore::adminKeyRef(), QStringLiteral("probe") };
    for (const UpstreamConfig &u : parsed.config.upstreams) {
        for (const KeyConfig &k : u.keys)
            refs.append(KeyStore::upstreamKeyRef(u.id, k.id));
    }
    auto *keychain = new KeychainBackend(parsed.config.instanceId);
    keychain->moveToThread(SecretVault::backendThread());
    const auto release = qScopeGuard([keychain] { keychain->deleteLater(); });
    std::optional<QString> removeError;
    std::optional<QHash<QString, QString>> found;
    QObject context; // answers come back to this thread
    connect(keychain, &SecretBackend::removed, &context,
            [&](const QString &error) { removeError = error; });
    connect(keychain, &SecretBackend::readDone, &context,
            [&](const QHash<QString, QString> &f, const QString &) { found = f; });
    QMetaObject::invokeMethod(keychain, [keychain, refs] { keychain->remove(refs); });
    QTRY_VERIFY_WITH_TIMEOUT(removeError.has_value(), 10000);
    QCOMPARE(*removeError, QString());
    QMetaObject::invokeMethod(keychain, [keychain, refs] { keychain->read(refs); });
    QTRY_VERIFY_WITH_TIMEOUT(found.has_value(), 10000);
    QVERIFY2(found->isEmpty(), qPrintable(found->keys().join(u' ')));
}

QByteArray TestSecrets::readFile(const QString &path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

// A config with plain keys: they move into the keychain and the file keeps id, label and the
// last 4 characters; the backup holds no copy; requests use the moved keys.
void TestSecrets::testPlainKeys_movedToKeychain_fileKeepsHints()
{
    QVERIFY(m_relay->start(RelayFixture::config({ RelayFixture::upstream("a", *m_a, 2) })));
    const QByteArray file = readFile(m_relay->configPath());
    for (const QString &secret : kPlanted) {
        QVERIFY2(!file.contains(secret.toUtf8()), qPrintable(secret));
        QVERIFY2(!readFile(m_relay->configPath() + ".bak").contains(secret.toUtf8()),
                 qPrintable(secret));
    }
    const ParsedConfig parsed = ConfigParser::parse(file);
    QVERIFY(parsed.ok());
    QVERIFY(!parsed.config.instanceId.isEmpty());
    QCOMPARE(parsed.config.upstreams.at(0).keys.at(0).hint, QStringLiteral("a-k1"));
    QCOMPARE(parsed.config.upstreams.at(0).keys.at(1).hint, QStringLiteral("a-k2"));
    QCOMPARE(m_relay->chatAndWait("m")->status, 200);
    QCOMPARE(m_relay->chatAndWait("m")->status, 200);
    const QList<QByteArray> used = m_a->keysUsed();
    QCOMPARE(QSet<QByteArray>(used.begin(), used.end()),
             QSet<QByteArray>({ "sk-secret-a-k1", "sk-secret-a-k2" }));
}

// After the move, a restart reads every key back from the Secret Service.
void TestSecrets::testRestart_keysReadFromKeychain()
{
    QVERIFY(m_relay->start(RelayFixture::config({ RelayFixture::upstream("a", *m_a, 2) })));
    QVERIFY(!readFile(m_relay->configPath()).contains("sk-secret"));
    QVERIFY(m_relay->restart());
    QCOMPARE(m_relay->chatAndWait("m")->status, 200); // the access key came back too
    QCOMPARE(m_relay->chatAndWait("m")->status, 200);
    const QList<QByteArray> used = m_a->keysUsed();
    QCOMPARE(QSet<QByteArray>(used.begin(), used.end()),
             QSet<QByteArray>({ "sk-secret-a-k1", "sk-secret-a-k2" }));
    QVERIFY(m_relay->service().newAccessKey().isEmpty()); // not regenerated
}

// Known keys, through successes, upstream rejections, wrong access keys and status reads:
// none appears in any file the relay wrote, in its log, or in an answer.
void TestSecrets::testPlantedKeys_appearInNoFileLogOrAnswer()
{
    g_log.clear();
    QVERIFY(m_relay->start(RelayFixture::config({ RelayFixture::upstream("a", *m_a, 2) })));
    QByteArray answers;
    answers += m_relay->chatAndWait("m")->body;
    m_a->setDefaultFault("sk-secret-a-k1", Fault::httpStatus(401));
    m_a->setDefaultFault("sk-secret-a-k2", Fault::httpStatus(429));
    TestResponse *failed = m_relay->chatAndWait("m", true);
    answers += failed->body;
    TestResponse *wrong = m_relay->request("POST", "/v1/chat/completions", chatBody("m", false),
                                           { { "Authorization", "Bearer sk-secret-a-k1" } });
    QVERIFY(RelayFixture::wait(wrong));
    QCOMPARE(wrong->status, 401);
    answers += wrong->body;
    TestResponse *status = m_relay->request("GET", "/relay/status");
    QVERIFY(RelayFixture::wait(status));
    answers += status->body;
    QVERIFY(m_relay->restart());

    QByteArray files;
    const QDir dir(m_relay->dir());
    for (const QString &name : dir.entryList(QDir::Files | QDir::Hidden))
        files += readFile(dir.filePath(name));
    QVERIFY(!files.isEmpty());
    // The database (which logged the requests above) is among the files searched.
    QVERIFY(dir.entryList(QDir::Files).contains(QStringLiteral("relay.db")));
    QVERIFY(g_log.contains("key=a-k1")); // the log names keys by label
    for (const QString &secret : kPlanted) {
        QVERIFY2(!files.contains(secret.toUtf8()), qPrintable(secret));
        QVERIFY2(!g_log.contains(secret.toUtf8()), qPrintable(secret));
        QVERIFY2(!answers.contains(secret.toUtf8()), qPrintable(secret));
    }
}

// A key from the environment is used, never written: after a restart without the variable
// the key is missing, and the relay says which variable would supply it.
void TestSecrets::testEnvironmentKey_usedButNeverStored()
{
    QJsonObject u = RelayFixture::upstream("a", *m_a, 1);
    u.insert("keys", QJsonArray { QJsonObject { { "id", "a-k1" } } });
    qputenv("RELAY_KEY_A_A_K1", "sk-from-environment-1");
    const bool started = m_relay->start(RelayFixture::config({ u }));
    qunsetenv("RELAY_KEY_A_A_K1");
    QVERIFY(started);
    QCOMPARE(m_relay->chatAndWait("m")->status, 200);
    QCOMPARE(m_a->keysUsed().constLast(), QByteArray("sk-from-environment-1"));
    QVERIFY(!readFile(m_relay->configPath()).contains("sk-from-environment-1"));

    QVERIFY(m_relay->restart());
    QCOMPARE(m_relay->chatAndWait("m")->status, 503); // no usable key
}

// --key-file: secrets go to an owner-only file; a file others can read is refused.
void TestSecrets::testKeyFile_ownerOnly_refusedWhenOthersCanRead()
{
#ifdef Q_OS_WIN
    QSKIP("Windows has ACLs, not file modes: the key file is protected by the ACL of the user's "
          "profile folder, and the relay does not check modes there (KeyFileBackend)");
#endif
    const QString keyFile = m_relay->dir() + QStringLiteral("/keys/keys.json");
    m_relay->options().secrets = { SecretVault::Mode::KeyFile, keyFile };
    QVERIFY(m_relay->start(RelayFixture::config({ RelayFixture::upstream("a", *m_a, 1) })));
    const QFileDevice::Permissions others = QFileDevice::ReadGroup | QFileDevice::WriteGroup
        | QFileDevice::ReadOther | QFileDevice::WriteOther;
    QCOMPARE(QFile::permissions(keyFile) & others, QFileDevice::Permissions());
    QVERIFY(QFile::permissions(keyFile) & QFileDevice::ReadOwner);
    QVERIFY(readFile(keyFile).contains("sk-secret-a-k1"));
    QVERIFY(!readFile(m_relay->configPath()).contains("sk-secret-a-k1"));
    QCOMPARE(m_relay->chatAndWait("m")->status, 200);

    QVERIFY(QFile::setPermissions(keyFile, QFile::permissions(keyFile) | QFileDevice::ReadOther));
    RelayService::Options options = m_relay->options();
    options.configPath = m_relay->configPath();
    options.portOverride = 0;
    RelayService again(options);
    QSignalSpy failed(&again, &RelayService::startFailed);
    again.start();
    QVERIFY(failed.wait(10000));
    QVERIFY2(failed.constFirst().at(0).toString().contains(QStringLiteral("chmod 600")),
             qPrintable(failed.constFirst().at(0).toString()));
}

// --keys-from-env cannot store anything, so plain keys in the file stop the start with the
// variables to use instead, and the file is left as it was.
void TestSecrets::testEnvironmentOnly_plainKeysRefusedAndKept()
{
    m_relay->options().secrets.mode = SecretVault::Mode::EnvironmentOnly;
    QVERIFY(m_relay->writeConfig(RelayFixture::config({ RelayFixture::upstream("a", *m_a, 1) })));
    RelayService service({ m_relay->configPath(), false, {}, {}, 0, m_relay->options().secrets });
    QSignalSpy failed(&service, &RelayService::startFailed);
    service.start();
    QVERIFY(failed.wait(10000));
    const QString error = failed.constFirst().at(0).toString();
    QVERIFY2(error.contains(QStringLiteral("RELAY_KEY_A_A_K1")), qPrintable(error));
    QVERIFY2(error.contains(QStringLiteral("RELAY_ACCESS_KEY")), qPrintable(error));
    QVERIFY(readFile(m_relay->configPath()).contains("sk-secret-a-k1"));
}

// Rotation: the new key is shown once and kept; the old one is refused from then on.
void TestSecrets::testRotateAccessKey_oldRefusedNewKept()
{
    QVERIFY(m_relay->start(RelayFixture::config({ RelayFixture::upstream("a", *m_a, 1) })));
    m_relay->options().rotateAccessKey = true;
    QVERIFY(m_relay->restart());
    const QByteArray fresh = m_relay->service().newAccessKey().toUtf8();
    QVERIFY(fresh.startsWith("sk-relay-") && fresh.size() == 49);
    m_relay->options().rotateAccessKey = false;
    QVERIFY(m_relay->restart());
    QVERIFY(m_relay->service().newAccessKey().isEmpty());
    QCOMPARE(m_relay->chatAndWait("m")->status, 401); // the fixture sends the old key
    TestResponse *r = m_relay->request("POST", "/v1/chat/completions", chatBody("m", false),
                                       { { "Authorization", "Bearer " + fresh } });
    QVERIFY(RelayFixture::wait(r));
    QCOMPARE(r->status, 200);
}

QTEST_GUILESS_MAIN(TestSecrets)
#include "TestSecrets.moc"
