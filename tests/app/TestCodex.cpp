#include "FakeUpstream.h"
#include "RelayFixture.h"

#include <QProcess>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QtTest>

using namespace relay::test;

// The real Codex CLI (pinned in tests/e2e/package.json), which speaks only the Responses API,
// through a real relay to fake providers that do not serve it: chat completions only, Anthropic
// and Gemini. The fake model is told to run a shell command through Codex's exec_command tool;
// the last message can only hold the file's words if Codex ran it and its output came back
// through the translation.
class TestCodex : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void testExec_toolRoundTrip_data();
    void testExec_toolRoundTrip();
};

namespace {

QString codexBinary()
{
    return QStringLiteral(RELAY_E2E_DIR "/node_modules/@openai/codex-linux-x64/vendor/"
                                        "x86_64-unknown-linux-musl/bin/codex");
}

// What a user writes to keep Codex's own model name in its config.
QJsonObject upstreamOfType(const FakeUpstream &fake, const QString &type)
{
    return RelayFixture::providerUpstream(
        fake, type,
        { { QStringLiteral("modelMap"),
            QJsonObject { { QStringLiteral("gpt-*"), type + QStringLiteral("-chat") } } } });
}

// A custom provider, as Codex's documentation has it, and nothing that calls home.
bool writeCodexConfig(const QString &codexHome, quint16 port)
{
    QFile file(codexHome + QStringLiteral("/config.toml"));
    if (!QDir().mkpath(codexHome) || !file.open(QIODevice::WriteOnly))
        return false;
    // Plain literals: moc reads this file and loses its way in raw strings.
    file.write(QByteArray("model = \"gpt-5.1-codex\"\n"
                          "model_provider = \"relay\"\n"
                          "check_for_update_on_startup = false\n\n"
                          "[model_providers.relay]\n"
                          "name = \"LLM Relay\"\n"
                          "base_url = \"http://127.0.0.1:")
               + QByteArray::number(port)
               + QByteArray("/v1\"\n"
                            "env_key = \"RELAY_KEY\"\n"
                            "wire_api = \"responses\"\n\n"
                            "[analytics]\n"
                            "enabled = false\n"));
    return file.error() == QFile::NoError;
}

} // namespace

void TestCodex::testExec_toolRoundTrip_data()
{
    QTest::addColumn<QString>("type");
    QTest::addColumn<QByteArray>("path");
    QTest::newRow("chat-completions")
        << QStringLiteral("openai") << QByteArray("/v1/chat/completions");
    QTest::newRow("anthropic") << QStringLiteral("anthropic") << QByteArray("/v1/messages");
    QTest::newRow("gemini") << QStringLiteral("gemini")
                            << QByteArray("/v1beta/models/gemini-chat:streamGenerateContent");
}

void TestCodex::testExec_toolRoundTrip()
{
#if !defined(Q_OS_LINUX) || !defined(Q_PROCESSOR_X86_64)
    QSKIP("The pinned Codex binary in tests/e2e is the linux-x64 one; the Linux runs (Qt 6.4 and "
          "6.8) drive the same relay code");
#endif
    QFETCH(QString, type);
    QFETCH(QByteArray, path);
    QVERIFY2(QFileInfo(codexBinary()).isExecutable(),
             "Codex is not installed: run scripts/install-deps.sh (npm ci in tests/e2e)");
    FakeUpstream fake(QStringLiteral("provider"));
    fake.setProviderMode(true);
    QVERIFY(fake.start());
    RelayFixture relay;
    QVERIFY(relay.start(RelayFixture::config(QJsonArray { upstreamOfType(fake, type) })));

    QTemporaryDir home; // Codex's config, sessions and logs stay in here
    QVERIFY(home.isValid());
    const QString codexHome = home.filePath(QStringLiteral(".codex"));
    QVERIFY(writeCodexConfig(codexHome, relay.port()));
    const QByteArray marker = "the relay carried this command's output " + type.toUtf8();
    QFile file(home.filePath(QStringLiteral("note.txt")));
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write(marker + '\n');
    file.close();

    QProcess codex;
    codex.setWorkingDirectory(home.path());
    QProcessEnvironment env;
    env.insert(QStringLiteral("PATH"), qEnvironmentVariable("PATH"));
    env.insert(QStringLiteral("HOME"), home.path());
    env.insert(QStringLiteral("CODEX_HOME"), codexHome);
    env.insert(QStringLiteral("RELAY_KEY"), QString::fromLatin1(RelayFixture::kAccessKey));
    codex.setProcessEnvironment(env);
    QSignalSpy finished(&codex, &QProcess::finished);
    const QString lastMessage = home.filePath(QStringLiteral("last-message.txt"));
    codex.start(codexBinary(),
                // Codex's bubblewrap sandbox cannot mount inside a chroot (the Qt 6.8 run); the
                // command only reads a file in the temporary HOME, and the relay is under test.
                { QStringLiteral("exec"), QStringLiteral("--skip-git-repo-check"),
                  QStringLiteral("--sandbox"), QStringLiteral("danger-full-access"),
                  QStringLiteral("--output-last-message"), lastMessage,
                  QStringLiteral(R"(call exec_command {"cmd":"cat note.txt"})") });
    codex.closeWriteChannel(); // exec reads more of the prompt from stdin until it closes
    QVERIFY(finished.wait(120000));
    const QByteArray output = codex.readAllStandardOutput();
    const QByteArray errors = codex.readAllStandardError();
    QVERIFY2(codex.exitCode() == 0, (output + errors).constData());

    QFile answerFile(lastMessage);
    QVERIFY(answerFile.open(QIODevice::ReadOnly));
    const QByteArray answer = answerFile.readAll();
    QVERIFY2(answer.startsWith("Tool said: ") && answer.contains(marker),
             (answer + "\n---\n" + errors).constData());

    // The first request offered Codex's tools (its namespace flattened) under the mapped model
    // name, the second carried the command's output, both in the upstream's own API.
    QCOMPARE(fake.requests().size(), 2);
    for (const ReceivedRequest &request : fake.requests())
        QVERIFY2(request.path.startsWith(path), request.path.constData());
    const QByteArray first = fake.requests().at(0).body;
    QVERIFY(first.contains("exec_command"));
    QVERIFY2(first.contains("multi_agent_v1__"), "Codex's namespace tools were not offered");
    if (type != u"gemini") // Gemini has the model in the path, checked above
        QVERIFY(first.contains("\"model\":\"" + type.toUtf8() + "-chat\""));
    QVERIFY(fake.requests().at(1).body.contains(marker));
}

QTEST_GUILESS_MAIN(TestCodex)
#include "TestCodex.moc"
