#include "protocol/OpenAiToAnthropicStream.h"
#include "protocol/SseParser.h"

#include "GoldenFiles.h"

#include <QtTest>

using namespace relay;
using namespace relay::test;

// Golden transcripts in tests/data/openai-to-anthropic-stream/: NAME.in.sse is what an
// OpenAI-format upstream streamed, NAME.out.sse the Anthropic stream the client must get.
// Events are compared by name and JSON value, so key order does not matter.
class TestOpenAiToAnthropicStream : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void testGolden_data();
    void testGolden();
    void testEachChunk_forwardedBeforeTheNextArrives();
    void testFail_afterFinish_nothingMore();

private:
    static QByteArray run(const QByteArray &input, qsizetype piece);
};

static QList<QPair<QByteArray, QJsonObject>> events(const QByteArray &sse)
{
    SseParser parser;
    QList<QPair<QByteArray, QJsonObject>> out;
    for (const SseEvent &e : parser.feed(sse))
        out.append({ e.type, QJsonDocument::fromJson(e.data).object() });
    return out;
}

QByteArray TestOpenAiToAnthropicStream::run(const QByteArray &input, qsizetype piece)
{
    OpenAiToAnthropicStream stream(QStringLiteral("claude-test"), QStringLiteral("msg_test"));
    QByteArray out;
    for (qsizetype i = 0; i < input.size(); i += piece)
        out += stream.feed(input.mid(i, piece));
    out += stream.finish();
    return out;
}

void TestOpenAiToAnthropicStream::testGolden_data()
{
    addGoldenRows(QStringLiteral("openai-to-anthropic-stream"), QStringLiteral(".in.sse"), 8);
}

// Whole, and split into pieces of every size up to 64 bytes, the output is the golden one.
void TestOpenAiToAnthropicStream::testGolden()
{
    QFETCH(QString, base);
    const QByteArray input = readFile(base + ".in.sse");
    const auto expected = events(readFile(base + ".out.sse"));
    QVERIFY(!expected.isEmpty());
    const QByteArray whole = run(input, input.size());
    if (events(whole) != expected) {
        qWarning().noquote() << "got:\n" << whole;
        QFAIL("stream differs from the golden file");
    }
    for (qsizetype piece = 1; piece <= 64; ++piece)
        QCOMPARE(run(input, piece), whole);
}

// Output follows input event by event: nothing waits for the end of the stream.
void TestOpenAiToAnthropicStream::testEachChunk_forwardedBeforeTheNextArrives()
{
    OpenAiToAnthropicStream stream(QStringLiteral("m"), QStringLiteral("msg_x"));
    QByteArray out
        = stream.feed("data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"A\"}}]}\n\n");
    QVERIFY(out.contains("\"text\":\"A\""));
    out = stream.feed(
        "data: {\"choices\":[{\"index\":0,\"delta\":{\"tool_calls\":[{\"index\":0,\"id\":\"t\","
        "\"function\":{\"name\":\"f\",\"arguments\":\"{\\\"a\\\"\"}}]}}]}\n\n");
    QVERIFY(out.contains("content_block_stop"));
    QVERIFY(out.contains("\"partial_json\":\"{\\\"a\\\"\""));
    QVERIFY(!stream.isDone());
}

// After the stream is complete, a late failure adds nothing.
void TestOpenAiToAnthropicStream::testFail_afterFinish_nothingMore()
{
    OpenAiToAnthropicStream stream(QStringLiteral("m"), QStringLiteral("msg_x"));
    stream.feed("data: "
                "{\"choices\":[{\"index\":0,\"delta\":{\"content\":\"A\"},\"finish_reason\":"
                "\"stop\"}]}\n\ndata: [DONE]\n\n");
    QVERIFY(stream.isDone());
    QVERIFY(stream.fail(QStringLiteral("late")).isEmpty());
    QVERIFY(stream.finish().isEmpty());
}

QTEST_GUILESS_MAIN(TestOpenAiToAnthropicStream)
#include "TestOpenAiToAnthropicStream.moc"
