#include "FakeUpstream.h"
#include "RelayFixture.h"

#include <QProcess>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QtTest>

using namespace relay::test;

// The real Claude Code CLI (pinned in tests/e2e/package.json) through a real relay to the fake
// OpenAI-type and Gemini providers, whose model is told to call Claude Code's Read tool: the
// answer can only hold the file's words if the call reached Claude Code and its result came
// back through both translations.
class TestClaudeCode : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void testPrint_toolRoundTrip_data();
    void testPrint_toolRoundTrip();
};

namespace {

QString claudeBinary()
{
    return QStringLiteral(RELAY_E2E_DIR "/node_modules/@anthropic-ai/claude-code-linux-x64/claude");
}

// Claude Code asks for its own model names: a main one and a small fast one.
QJsonObject upstreamOfType(const FakeUpstream &fake, const QString &type)
{
    return RelayFixture::providerUpstream(
        fake, type,
        { { QStringLiteral("modelMap"),
            QJsonObject { { QStringLiteral("claude-*"), type + QStringLiteral("-chat") } } } });
}

} // namespace

void TestClaudeCode::testPrint_toolRoundTrip_data()
{
    QTest::addColumn<QString>("type");
    QTest::addColumn<QByteArray>("path");
    QTest::newRow("openai") << QStringLiteral("openai") << QByteArray("/v1/chat/completions");
    QTest::newRow("gemini") << QStringLiteral("gemini")
                            << QByteArray("/v1beta/models/gemini-chat:streamGenerateContent");
}

void TestClaudeCode::testPrint_toolRoundTrip()
{
#if !defined(Q_OS_LINUX) || !defined(Q_PROCESSOR_X86_64)
    QSKIP("The pinned Claude Code binary in tests/e2e is the linux-x64 one; the Linux runs (Qt "
          "6.4 and 6.8) drive the same relay code");
#endif
    QFETCH(QString, type);
    QFETCH(QByteArray, path);
    QVERIFY2(QFileInfo(claudeBinary()).isExecutable(),
             "Claude Code is not installed: run scripts/install-deps.sh (npm ci in tests/e2e)");
    FakeUpstream fake(QStringLiteral("provider"));
    fake.setProviderMode(true);
    QVERIFY(fake.start());
    RelayFixture relay;
    QVERIFY(relay.start(RelayFixture::config(QJsonArray { upstreamOfType(fake, type) })));

    QTemporaryDir home; // Claude Code's settings, sessions and caches stay in here
    QVERIFY(home.isValid());
    const QByteArray marker = "the relay carried this file's words " + type.toUtf8();
    QFile file(home.filePath(QStringLiteral("note.txt")));
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write(marker + '\n');
    file.close();

    QProcess claude;
    claude.setWorkingDirectory(home.path());
    QProcessEnvironment env;
    env.insert(QStringLiteral("PATH"), qEnvironmentVariable("PATH"));
    env.insert(QStringLiteral("HOME"), home.path());
    env.insert(QStringLiteral("ANTHROPIC_BASE_URL"),
               QStringLiteral("http://127.0.0.1:%1").arg(relay.port()));
    env.insert(QStringLiteral("ANTHROPIC_API_KEY"), QString::fromLatin1(RelayFixture::kAccessKey));
    env.insert(QStringLiteral("CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC"), QStringLiteral("1"));
    env.insert(QStringLiteral("DISABLE_TELEMETRY"), QStringLiteral("1"));
    env.insert(QStringLiteral("DISABLE_AUTOUPDATER"), QStringLiteral("1"));
    env.insert(QStringLiteral("DISABLE_ERROR_REPORTING"), QStringLiteral("1"));
    claude.setProcessEnvironment(env);
    QSignalSpy finished(&claude, &QProcess::finished);
    const QString prompt = QStringLiteral(R"(call Read {"file_path":"%1"})").arg(file.fileName());
    claude.start(claudeBinary(),
                 { QStringLiteral("-p"), prompt, QStringLiteral("--output-format"),
                   QStringLiteral("json"), QStringLiteral("--allowedTools"),
                   QStringLiteral("Read") });
    QVERIFY(finished.wait(120000));
    const QByteArray output = claude.readAllStandardOutput();
    const QByteArray errors = claude.readAllStandardError();
    QVERIFY2(claude.exitCode() == 0, (output + errors).constData());

    const QJsonObject result = QJsonDocument::fromJson(output).object();
    QCOMPARE(result.value(u"is_error").toBool(true), false);
    QCOMPARE(result.value(u"num_turns").toInt(), 2);
    const QString answer = result.value(u"result").toString();
    QVERIFY2(answer.startsWith(u"Tool said: ") && answer.contains(QString::fromUtf8(marker)),
             qPrintable(answer));

    // The first request offered Claude Code's tools and its system text; the second carried
    // the tool result. Both under the mapped model name, in the upstream's own API.
    QCOMPARE(fake.requests().size(), 2);
    for (const ReceivedRequest &request : fake.requests())
        QVERIFY2(request.path.startsWith(path), request.path.constData());
    const QByteArray first = fake.requests().at(0).body;
    QVERIFY(first.contains("\"Read\"") && first.contains("Claude"));
    QVERIFY(fake.requests().at(1).body.contains(marker));
}

QTEST_GUILESS_MAIN(TestClaudeCode)
#include "TestClaudeCode.moc"
