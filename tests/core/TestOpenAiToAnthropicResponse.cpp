#include "protocol/OpenAiToAnthropicResponse.h"

#include "GoldenFiles.h"

#include <QtTest>

using namespace relay;
using namespace relay::test;

// Golden files in tests/data/openai-to-anthropic-response/: NAME.in.json is an OpenAI chat
// completion, NAME.out.json the Anthropic message it must become, or NAME.error.txt the error.
class TestOpenAiToAnthropicResponse : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void testGolden_data();
    void testGolden();
};

void TestOpenAiToAnthropicResponse::testGolden_data()
{
    addGoldenRows(QStringLiteral("openai-to-anthropic-response"), QStringLiteral(".in.json"), 6);
}

void TestOpenAiToAnthropicResponse::testGolden()
{
    QFETCH(QString, base);
    QString error;
    const QByteArray out = OpenAiToAnthropicResponse::translate(
        readFile(base + ".in.json"), QStringLiteral("claude-test"), &error);
    if (QFileInfo::exists(base + ".error.txt")) {
        QVERIFY(out.isEmpty());
        QVERIFY2(error.contains(QString::fromUtf8(readFile(base + ".error.txt")).trimmed()),
                 qPrintable(error));
        return;
    }
    QVERIFY2(error.isEmpty(), qPrintable(error));
    QCOMPARE(QJsonDocument::fromJson(out).object(),
             QJsonDocument::fromJson(readFile(base + ".out.json")).object());
}

QTEST_GUILESS_MAIN(TestOpenAiToAnthropicResponse)
#include "TestOpenAiToAnthropicResponse.moc"
