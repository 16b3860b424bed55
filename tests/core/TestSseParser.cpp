#include "protocol/SseParser.h"

#include <QtTest>

using namespace relay;

Q_DECLARE_METATYPE(QList<SseEvent>)

class TestSseParser : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void testParse_data();
    void testParse();
    void testParse_anySplit_sameEvents();
    void testTruncated_partialEventReported();
    void testOversizedEvent_stops();

private:
    static QList<SseEvent> parseInPieces(const QByteArray &stream, qsizetype piece);
};

static SseEvent ev(const QByteArray &type, const QByteArray &data, const QByteArray &id = {})
{
    SseEvent e;
    e.type = type;
    e.data = data;
    e.id = id;
    return e;
}

void TestSseParser::testParse_data()
{
    QTest::addColumn<QByteArray>("stream");
    QTest::addColumn<QList<SseEvent>>("events");
    QTest::newRow("openai chunks")
        << QByteArray("data: {\"a\":1}\n\ndata: [DONE]\n\n")
        << QList<SseEvent> { ev("message", "{\"a\":1}"), ev("message", "[DONE]") };
    QTest::newRow("anthropic named events")
        << QByteArray("event: message_start\ndata: {\"type\":\"message_start\"}\n\nevent: "
                      "ping\ndata: {\"type\": \"ping\"}\n\n")
        << QList<SseEvent> { ev("message_start", "{\"type\":\"message_start\"}"),
                             ev("ping", "{\"type\": \"ping\"}") };
    QTest::newRow("crlf and cr line ends")
        << QByteArray("data: a\r\n\r\ndata: b\r\rdata: c\n\n")
        << QList<SseEvent> { ev("message", "a"), ev("message", "b"), ev("message", "c") };
    QTest::newRow("multi-line data") << QByteArray("data: one\ndata: two\ndata\n\n")
                                     << QList<SseEvent> { ev("message", "one\ntwo\n") };
    QTest::newRow("no space after colon")
        << QByteArray("data:x\n\n") << QList<SseEvent> { ev("message", "x") };
    QTest::newRow("two spaces keep one")
        << QByteArray("data:  x\n\n") << QList<SseEvent> { ev("message", " x") };
    QTest::newRow("comments ignored") << QByteArray(": ping\n\n: keep-alive\ndata: x\n\n")
                                      << QList<SseEvent> { ev("message", "x") };
    QTest::newRow("event without data not dispatched")
        << QByteArray("event: lonely\n\ndata: x\n\n") << QList<SseEvent> { ev("message", "x") };
    QTest::newRow("id carries over")
        << QByteArray("id: 7\ndata: a\n\ndata: b\n\n")
        << QList<SseEvent> { ev("message", "a", "7"), ev("message", "b", "7") };
    QTest::newRow("unknown fields ignored")
        << QByteArray("retry: 10\nfoo: bar\ndata: x\n\n") << QList<SseEvent> { ev("message", "x") };
    QTest::newRow("bom stripped") << QByteArray("\xEF\xBB\xBF"
                                                "data: x\n\n")
                                  << QList<SseEvent> { ev("message", "x") };
    QTest::newRow("gemini alt=sse") << QByteArray("data: {\"candidates\":[]}\r\n\r\n")
                                    << QList<SseEvent> { ev("message", "{\"candidates\":[]}") };
    QTest::newRow("unterminated last event")
        << QByteArray("data: a\n\ndata: b\n") << QList<SseEvent> { ev("message", "a") };
    QTest::newRow("binary garbage") << QByteArray("\x00\x01\xff\n\n", 5) << QList<SseEvent> {};
}

void TestSseParser::testParse()
{
    QFETCH(QByteArray, stream);
    QFETCH(QList<SseEvent>, events);
    SseParser parser;
    QCOMPARE(parser.feed(stream), events);
}

QList<SseEvent> TestSseParser::parseInPieces(const QByteArray &stream, qsizetype piece)
{
    SseParser parser;
    QList<SseEvent> out;
    for (qsizetype i = 0; i < stream.size(); i += piece)
        out += parser.feed(stream.mid(i, piece));
    return out;
}

// Network reads split streams anywhere, even inside a CRLF; the events never change.
void TestSseParser::testParse_anySplit_sameEvents()
{
    const QByteArray stream
        = "\xEF\xBB\xBF"
          "event: a\r\ndata: 1\r\n\r\n: c\rdata: 2\r\rid: x\ndata: 3\ndata: 4\n\n";
    SseParser whole;
    const QList<SseEvent> expected = whole.feed(stream);
    QCOMPARE(expected.size(), 3);
    for (qsizetype piece = 1; piece <= stream.size(); ++piece)
        QCOMPARE(parseInPieces(stream, piece), expected);
    for (qsizetype cut = 0; cut <= stream.size(); ++cut) {
        SseParser parser;
        QList<SseEvent> events = parser.feed(stream.left(cut));
        events += parser.feed(stream.mid(cut));
        QCOMPARE(events, expected);
    }
}

// A stream cut short leaves a partial event the caller can see.
void TestSseParser::testTruncated_partialEventReported()
{
    SseParser parser;
    parser.feed("data: {\"a\":1}\n\n");
    QVERIFY(!parser.hasPartialEvent());
    parser.feed("data: {\"b\"");
    QVERIFY(parser.hasPartialEvent());
    SseParser fieldOnly;
    fieldOnly.feed("event: message_delta\n");
    QVERIFY(fieldOnly.hasPartialEvent());
}

// An endless line does not eat memory: the parser gives up and says so.
void TestSseParser::testOversizedEvent_stops()
{
    SseParser parser;
    const QByteArray block(1024 * 1024, 'x');
    parser.feed("data: ");
    for (int i = 0; i < 17 && !parser.overflowed(); ++i)
        parser.feed(block);
    QVERIFY(parser.overflowed());
    QVERIFY(parser.feed("\n\ndata: x\n\n").isEmpty());
}

QTEST_GUILESS_MAIN(TestSseParser)
#include "TestSseParser.moc"
