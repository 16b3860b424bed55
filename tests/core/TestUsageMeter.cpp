#include "relay/UsageMeter.h"

#include <QtTest>

using namespace relay;

// Token counts as each provider reports them, whole or streamed (what TPM and the log use).
class TestUsageMeter : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void testWhole_data();
    void testWhole();
    void testStream_data();
    void testStream();
};

void TestUsageMeter::testWhole_data()
{
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<qint64>("input");
    QTest::addColumn<qint64>("output");
    QTest::newRow("openai") << QByteArray(R"({"choices":[],"usage":{"prompt_tokens":12,)"
                                          R"("completion_tokens":7,"total_tokens":19}})")
                            << qint64(12) << qint64(7);
    QTest::newRow("openai, \"usage\" in the text")
        << QByteArray(R"({"choices":[{"message":{"content":"see \"usage\": {\"x\":1}"}}],)"
                      R"("usage":{"prompt_tokens":3,"completion_tokens":4}})")
        << qint64(3) << qint64(4);
    QTest::newRow("anthropic with cache")
        << QByteArray(R"({"type":"message","usage":{"input_tokens":10,)"
                      R"("cache_read_input_tokens":90,"cache_creation_input_tokens":5,)"
                      R"("output_tokens":20}})")
        << qint64(105) << qint64(20);
    QTest::newRow("gemini with thoughts")
        << QByteArray(R"({"candidates":[],"usageMetadata":{"promptTokenCount":8,)"
                      R"("candidatesTokenCount":6,"thoughtsTokenCount":30}})")
        << qint64(8) << qint64(36);
    QTest::newRow("usage not last, pretty-printed")
        << QByteArray("{\n  \"usage\" : {\n \"prompt_tokens\": 2, \"completion_tokens\": 1 },\n"
                      "  \"id\": \"x\"\n}")
        << qint64(2) << qint64(1);
    QTest::newRow("none") << QByteArray(R"({"choices":[]})") << qint64(0) << qint64(0);
    QTest::newRow("not json") << QByteArray("<html>") << qint64(0) << qint64(0);
}

void TestUsageMeter::testWhole()
{
    QFETCH(QByteArray, body);
    QFETCH(qint64, input);
    QFETCH(qint64, output);
    UsageMeter meter;
    meter.feedWhole(body);
    QCOMPARE(meter.input(), input);
    QCOMPARE(meter.output(), output);
}

void TestUsageMeter::testStream_data()
{
    QTest::addColumn<QByteArray>("stream");
    QTest::addColumn<qint64>("input");
    QTest::addColumn<qint64>("output");
    QTest::newRow("openai include_usage")
        << QByteArray("data: {\"choices\":[{\"delta\":{\"content\":\"hi\"}}]}\n\n"
                      "data: {\"choices\":[],\"usage\":{\"prompt_tokens\":9,"
                      "\"completion_tokens\":2}}\n\ndata: [DONE]\n\n")
        << qint64(9) << qint64(2);
    QTest::newRow("anthropic start and delta")
        << QByteArray("event: message_start\ndata: {\"type\":\"message_start\",\"message\":"
                      "{\"usage\":{\"input_tokens\":25,\"output_tokens\":1}}}\n\n"
                      "event: message_delta\ndata: {\"type\":\"message_delta\",\"usage\":"
                      "{\"output_tokens\":15}}\n\n")
        << qint64(25) << qint64(15);
    QTest::newRow("responses api completed") << QByteArray(
        "event: response.created\ndata: {\"type\":\"response.created\",\"response\":"
        "{\"id\":\"resp_1\",\"usage\":null}}\n\n"
        "event: response.output_text.delta\ndata: {\"type\":"
        "\"response.output_text.delta\",\"delta\":\"usage\"}\n\n"
        "event: response.completed\ndata: {\"type\":\"response.completed\","
        "\"response\":{\"id\":\"resp_1\",\"usage\":{\"input_tokens\":31,"
        "\"input_tokens_details\":{\"cached_tokens\":8},\"output_tokens\":12,"
        "\"output_tokens_details\":{\"reasoning_tokens\":5},\"total_tokens\":43}}}\n\n")
                                             << qint64(31) << qint64(12);
    QTest::newRow("gemini running totals")
        << QByteArray("data: {\"usageMetadata\":{\"promptTokenCount\":4,"
                      "\"candidatesTokenCount\":1}}\r\n\r\n"
                      "data: {\"usageMetadata\":{\"promptTokenCount\":4,"
                      "\"candidatesTokenCount\":9}}\r\n\r\n")
        << qint64(4) << qint64(9);
}

void TestUsageMeter::testStream()
{
    QFETCH(QByteArray, stream);
    QFETCH(qint64, input);
    QFETCH(qint64, output);
    // Whatever the pieces the network delivers.
    for (int piece : { 1, 7, 1000 }) {
        UsageMeter meter;
        for (qsizetype i = 0; i < stream.size(); i += piece)
            meter.feedStream(stream.mid(i, piece));
        QCOMPARE(meter.input(), input);
        QCOMPARE(meter.output(), output);
    }
}

QTEST_GUILESS_MAIN(TestUsageMeter)
#include "TestUsageMeter.moc"
