#include "FakeUpstream.h"
#include "RelayFixture.h"

#include <QProcess>
#include <QSignalSpy>
#include <QtTest>

using namespace relay::test;

// The official `openai`, `@anthropic-ai/sdk` and `@google/genai` npm packages (installed into
// tests/e2e by scripts/install-deps.sh) drive a real relay whose upstreams are one fake provider of
// each type: tests/e2e/sdk-matrix.mjs runs every client format x upstream type x feature.
class TestSdkClients : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void testEveryClientOnEveryUpstreamType();
};

void TestSdkClients::testEveryClientOnEveryUpstreamType()
{
#ifdef Q_OS_WIN
    QSKIP("The SDK clients are Node.js programs and the Wine prefix has no Windows Node.js; the "
          "Linux runs (Qt 6.4 and 6.8) cover them against the same relay code");
#endif
    const QString dir = QStringLiteral(RELAY_E2E_DIR);
    QVERIFY2(QFileInfo::exists(dir + QStringLiteral("/node_modules/openai/package.json"))
                 && QFileInfo::exists(dir + QStringLiteral("/node_modules/@anthropic-ai/sdk"))
                 && QFileInfo::exists(dir + QStringLiteral("/node_modules/@google/genai")),
             "the SDKs are not installed: run scripts/install-deps.sh (npm ci in tests/e2e)");
    FakeUpstream fake(QStringLiteral("provider"));
    fake.setProviderMode(true);
    QVERIFY(fake.start());
    RelayFixture relay;
    QVERIFY(relay.start(RelayFixture::config(RelayFixture::providerUpstreams(fake))));

    QProcess node;
    node.setWorkingDirectory(dir);
    node.setProcessChannelMode(QProcess::MergedChannels);
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(QStringLiteral("RELAY_URL"),
               QStringLiteral("http://127.0.0.1:%1").arg(relay.port()));
    env.insert(QStringLiteral("RELAY_KEY"), QString::fromLatin1(RelayFixture::kAccessKey));
    node.setProcessEnvironment(env);
    QSignalSpy finished(&node, &QProcess::finished);
    node.start(QStringLiteral("node"), { QStringLiteral("sdk-matrix.mjs") });
    QVERIFY2(node.waitForStarted(), "node is not installed");
    QVERIFY(finished.wait(150000));
    const QByteArray output = node.readAll();
    qInfo().noquote() << output;
    QCOMPARE(node.exitStatus(), QProcess::NormalExit);
    const QJsonObject summary
        = QJsonDocument::fromJson(output.trimmed().split('\n').constLast()).object();
    QCOMPARE(summary.value(u"failed").toInt(-1), 0);
    // 7 general cases, then per upstream type 6 chat completions and 5 Responses cases with the
    // OpenAI SDK, 7 with Anthropic's and 7 with Google's.
    QCOMPARE(summary.value(u"passed").toInt(), 7 + 3 * (6 + 5 + 7 + 7));
    QCOMPARE(node.exitCode(), 0);
}

QTEST_GUILESS_MAIN(TestSdkClients)
#include "TestSdkClients.moc"
