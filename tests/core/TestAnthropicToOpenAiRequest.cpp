#include "protocol/AnthropicToOpenAiRequest.h"

#include "GoldenFiles.h"

#include <QtTest>

using namespace relay;
using namespace relay::test;

// Golden files in tests/data/anthropic-to-openai-request/: NAME.in.json is an Anthropic
// Messages request; NAME.out.json the OpenAI request it must become, or NAME.error.txt a text
// the errors must contain.
class TestAnthropicToOpenAiRequest : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void testGolden_data();
    void testGolden();
};

void TestAnthropicToOpenAiRequest::testGolden_data()
{
    addGoldenRows(QStringLiteral("anthropic-to-openai-request"), QStringLiteral(".in.json"), 12);
}

void TestAnthropicToOpenAiRequest::testGolden()
{
    QFETCH(QString, base);
    const TranslatedRequest out = AnthropicToOpenAiRequest::translate(readFile(base + ".in.json"));
    if (QFileInfo::exists(base + ".error.txt")) {
        const QString expected = QString::fromUtf8(readFile(base + ".error.txt")).trimmed();
        QVERIFY(!out.ok());
        QVERIFY2(out.errors.join(u'\n').contains(expected), qPrintable(out.errors.join(u'\n')));
        return;
    }
    QVERIFY2(out.ok(), qPrintable(out.errors.join(u'\n')));
    const QJsonObject expected = QJsonDocument::fromJson(readFile(base + ".out.json")).object();
    QVERIFY(!expected.isEmpty());
    if (out.body != expected) {
        qWarning().noquote() << "got:" << QJsonDocument(out.body).toJson(QJsonDocument::Indented);
        QFAIL("translation differs from the golden file");
    }
}

QTEST_GUILESS_MAIN(TestAnthropicToOpenAiRequest)
#include "TestAnthropicToOpenAiRequest.moc"
