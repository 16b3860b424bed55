#include "FakeUpstream.h"
#include "RelayFixture.h"

#include <QProcess>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QtTest>

using namespace relay::test;

// The real Gemini CLI (pinned in tests/e2e/package.json), which speaks the Gemini API, through a
// real relay to fake providers of each type: chat completions, Anthropic (both translated) and
// Gemini (passed through). The fake model is told to call Gemini CLI's read_file tool; the
// answer can only hold the file's words if Gemini CLI read it and its functionResponse came
// back through the relay.
class TestGeminiCli : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void testPrompt_toolRoundTrip_data();
    void testPrompt_toolRoundTrip();
};

namespace {

QString geminiScript()
{
    return QStringLiteral(RELAY_E2E_DIR "/node_modules/@google/gemini-cli/bundle/gemini.js");
}

// Gemini CLI's own model names, sent to the fake's model of each type.
QJsonObject upstreamOfType(const FakeUpstream &fake, const QString &type)
{
    return RelayFixture::providerUpstream(
        fake, type,
        { { QStringLiteral("modelMap"),
            QJsonObject { { QStringLiteral("gemini-2.5-*"), type + QStringLiteral("-chat") } } } });
}

// An API-key login, and nothing that calls home or updates itself.
bool writeSettings(const QString &home)
{
    QFile file(home + QStringLiteral("/.gemini/settings.json"));
    if (!QDir().mkpath(home + QStringLiteral("/.gemini")) || !file.open(QIODevice::WriteOnly))
        return false;
    const QJsonObject settings {
        { QStringLiteral("security"),
          QJsonObject { { QStringLiteral("auth"),
                          QJsonObject { { QStringLiteral("selectedType"),
                                          QStringLiteral("gemini-api-key") } } } } },
        { QStringLiteral("telemetry"), QJsonObject { { QStringLiteral("enabled"), false } } },
        { QStringLiteral("privacy"),
          QJsonObject { { QStringLiteral("usageStatisticsEnabled"), false } } },
        { QStringLiteral("general"),
          QJsonObject { { QStringLiteral("disableAutoUpdate"), true },
                        { QStringLiteral("disableUpdateNag"), true } } }
    };
    file.write(QJsonDocument(settings).toJson());
    return file.error() == QFile::NoError;
}

} // namespace

void TestGeminiCli::testPrompt_toolRoundTrip_data()
{
    QTest::addColumn<QString>("type");
    QTest::addColumn<QByteArray>("path");
    QTest::newRow("chat-completions")
        << QStringLiteral("openai") << QByteArray("/v1/chat/completions");
    QTest::newRow("anthropic") << QStringLiteral("anthropic") << QByteArray("/v1/messages");
    QTest::newRow("gemini") << QStringLiteral("gemini")
                            << QByteArray("/v1beta/models/gemini-chat:streamGenerateContent");
}

void TestGeminiCli::testPrompt_toolRoundTrip()
{
#ifdef Q_OS_WIN
    QSKIP("Gemini CLI is a Node.js program and the Wine prefix has no Windows Node.js; the Linux "
          "runs (Qt 6.4 and 6.8) drive the same relay code");
#endif
    QFETCH(QString, type);
    QFETCH(QByteArray, path);
    QVERIFY2(QFileInfo::exists(geminiScript()),
             "Gemini CLI is not installed: run scripts/install-deps.sh (npm ci in tests/e2e)");
    FakeUpstream fake(QStringLiteral("provider"));
    fake.setProviderMode(true);
    QVERIFY(fake.start());
    RelayFixture relay;
    QVERIFY(relay.start(RelayFixture::config(QJsonArray { upstreamOfType(fake, type) })));

    QTemporaryDir home; // settings, history and logs stay in here
    QVERIFY(home.isValid());
    QVERIFY(writeSettings(home.path()));
    const QByteArray marker = "the relay carried this file " + type.toUtf8();
    QFile file(home.filePath(QStringLiteral("note.txt")));
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write(marker + '\n');
    file.close();

    QProcess gemini;
    gemini.setWorkingDirectory(home.path());
    QProcessEnvironment env;
    env.insert(QStringLiteral("PATH"), qEnvironmentVariable("PATH"));
    env.insert(QStringLiteral("HOME"), home.path());
    env.insert(QStringLiteral("GEMINI_API_KEY"), QString::fromLatin1(RelayFixture::kAccessKey));
    env.insert(QStringLiteral("GOOGLE_GEMINI_BASE_URL"),
               QStringLiteral("http://127.0.0.1:%1").arg(relay.port()));
    env.insert(QStringLiteral("GEMINI_CLI_TRUST_WORKSPACE"), QStringLiteral("true"));
    gemini.setProcessEnvironment(env);
    QSignalSpy finished(&gemini, &QProcess::finished);
    const QString prompt = QStringLiteral("call read_file {\"file_path\":\"%1\"}")
                               .arg(home.filePath(QStringLiteral("note.txt")));
    gemini.start(QStringLiteral("node"),
                 { geminiScript(), QStringLiteral("-m"), QStringLiteral("gemini-2.5-flash"),
                   QStringLiteral("-p"), prompt, QStringLiteral("--output-format"),
                   QStringLiteral("json") });
    gemini.closeWriteChannel();
    QVERIFY2(gemini.waitForStarted(), "node is not installed");
    QVERIFY(finished.wait(120000));
    const QByteArray output = gemini.readAllStandardOutput();
    const QByteArray errors = gemini.readAllStandardError();
    QVERIFY2(gemini.exitCode() == 0, (output + errors).constData());

    const QJsonObject result = QJsonDocument::fromJson(output).object();
    const QString answer = result.value(u"response").toString();
    QVERIFY2(answer.startsWith(u"Tool said: ") && answer.contains(QString::fromUtf8(marker)),
             (output + "\n---\n" + errors).constData());

    // The first request offered Gemini CLI's tools, the second carried the file's words, both
    // in the upstream's own API.
    QCOMPARE(fake.requests().size(), 2);
    for (const ReceivedRequest &request : fake.requests())
        QVERIFY2(request.path.startsWith(path), request.path.constData());
    QVERIFY(fake.requests().at(0).body.contains("read_file"));
    QVERIFY(fake.requests().at(1).body.contains(marker));
}

QTEST_GUILESS_MAIN(TestGeminiCli)
#include "TestGeminiCli.moc"
