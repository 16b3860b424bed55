#include "protocol/OpenAiToAnthropicResponse.h"

#include <QtTest>

using namespace relay;

// Golden files in tests/data/openai-to-anthropic-response/: NAME.in.json is an OpenAI chat
// completion, NAME.out.json the Anthropic message it must become, or NAME.error.txt the error.
class TestOpenAiToAnthropicResponse : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void testGolden_data();
    void testGolden();
};

static QByteArray readFile(const QString &path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

void TestOpenAiToAnthropicResponse::testGolden_data()
{
    QTest::addColumn<QString>("base");
    const QDir dir(QStringLiteral(RELAY_TEST_DATA_DIR "/openai-to-anthropic-response"));
    const QStringList inputs
        = dir.entryList({ QStringLiteral("*.in.json") }, QDir::Files, QDir::Name);
    QVERIFY(inputs.size() >= 6);
    for (const QString &input : inputs)
        QTest::newRow(qPrintable(input.chopped(8))) << dir.filePath(input.chopped(8));
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
