#include "RelayTestCase.h"
#include "relay/RelayEngine.h"
#include "service/RelayService.h"

#include <QtTest>

using namespace relay;
using namespace relay::test;

class TestRelayStreaming : public RelayTestCase
{
    Q_OBJECT
private Q_SLOTS:
    void testStream_firstChunkBeforeUpstreamSendsLast();
    void testStream_bytesUntouchedAndTerminated();
    void testStream_finishReasonWithoutDone_cleanEnd();
    void testStream_failureBeforeFirstByte_retriedInvisibly();
    void testStream_cutMidStream_clientGetsErrorEvent();
    void testStream_idleTimeoutMidStream_clientGetsErrorEvent();
    void testStream_clientDisconnects_upstreamAbortedAtOnce();
    void testStream_64Concurrent_allStartWithoutQueueing();
};

// The client holds the first chunk while the upstream has not yet sent the last one.
void TestRelayStreaming::testStream_firstChunkBeforeUpstreamSendsLast()
{
    QVERIFY(m_relay->start(RelayFixture::config({ RelayFixture::upstream("s", *m_a, 1) })));
    m_a->setStreamShape(3, 0);
    m_a->closeGate();
    TestResponse *r = m_relay->chat("m", true);
    QSignalSpy firstChunk(r, &TestResponse::chunkReceived);
    QVERIFY(firstChunk.wait(5000));
    QCOMPARE(r->status, 200);
    QCOMPARE(r->header("content-type"), QByteArray("text/event-stream"));
    QVERIFY(r->body.contains("tok0"));
    QVERIFY(!r->body.contains("tok1"));
    QCOMPARE(m_a->streamsWaitingAtGate(), 1); // the upstream is still holding the rest
    QVERIFY(!r->finished);
    m_a->openGate();
    QVERIFY(RelayFixture::wait(r));
    QVERIFY(r->body.contains("tok2"));
}

// Stream bytes arrive exactly as the upstream sent them, ending with [DONE] and a clean end.
void TestRelayStreaming::testStream_bytesUntouchedAndTerminated()
{
    QVERIFY(m_relay->start(RelayFixture::config({ RelayFixture::upstream("s", *m_a, 1) })));
    m_a->setStreamShape(5, 5);
    TestResponse *r = m_relay->chatAndWait("m", true);
    QVERIFY(!r->connectionLost);
    QByteArray expected;
    for (int i = 0; i < 5; ++i)
        expected
            += "data: "
               "{\"id\":\"chatcmpl-fake\",\"object\":\"chat.completion.chunk\",\"model\":\"m\","
               "\"choices\":[{\"index\":0,\"delta\":{\"content\":\"tok"
            + QByteArray::number(i) + " \"}}]}\n\n";
    expected += "data: [DONE]\n\n";
    QCOMPARE(r->body, expected);
    QVERIFY(r->chunks.size() >= 2); // delivered piecewise, not as one buffered block
}

// A stream that ends with a finish_reason chunk and no [DONE] is complete, not cut.
void TestRelayStreaming::testStream_finishReasonWithoutDone_cleanEnd()
{
    QVERIFY(m_relay->start(RelayFixture::config({ RelayFixture::upstream("s", *m_a, 1) })));
    m_a->setEndWithDone(false);
    TestResponse *r = m_relay->chatAndWait("m", true);
    QCOMPARE(r->status, 200);
    QVERIFY(r->body.endsWith("\"finish_reason\": \"stop\"}]}\n\n"));
    QVERIFY(!r->body.contains("stream_interrupted"));
}

// A 429 before the first byte is retried on another key; the client sees one clean stream.
void TestRelayStreaming::testStream_failureBeforeFirstByte_retriedInvisibly()
{
    QVERIFY(m_relay->start(RelayFixture::config({ RelayFixture::upstream("s", *m_a, 2) })));
    m_a->script("sk-secret-s-k1", { Fault::rateLimited("5") });
    TestResponse *r = m_relay->chatAndWait("m", true);
    QCOMPARE(r->status, 200);
    QVERIFY(r->body.endsWith("data: [DONE]\n\n"));
    QVERIFY(!r->body.contains("error"));
    QCOMPARE(m_a->keysUsed().size(), 2);
}

// A stream that breaks after bytes reached the client ends with an error event, not silence.
void TestRelayStreaming::testStream_cutMidStream_clientGetsErrorEvent()
{
    QVERIFY(m_relay->start(RelayFixture::config({ RelayFixture::upstream("s", *m_a, 2) })));
    m_a->script("sk-secret-s-k1", { Fault::of(Fault::Kind::CutMidStream, 2) });
    TestResponse *r = m_relay->chatAndWait("m", true);
    QCOMPARE(r->status, 200);
    QVERIFY(!r->connectionLost); // the relay ended the response properly
    QVERIFY(r->body.contains("tok1"));
    QVERIFY(!r->body.contains("[DONE]"));
    const QByteArray last = r->body.mid(r->body.lastIndexOf("data: "));
    const QJsonObject error
        = QJsonDocument::fromJson(last.mid(6).trimmed()).object().value("error").toObject();
    QVERIFY2(error.value("code").toString() == QStringLiteral("stream_interrupted"),
             r->body.constData());
    QVERIFY(error.value("message").toString().contains(QStringLiteral("incomplete")));
    QCOMPARE(m_a->keysUsed().size(), 1); // no retry once the client has bytes
    QTRY_COMPARE(m_relay->service().engine().inflight(), 0);
}

// An upstream that goes quiet mid-stream trips the idle timeout, and the client is told.
void TestRelayStreaming::testStream_idleTimeoutMidStream_clientGetsErrorEvent()
{
    QVERIFY(m_relay->start(RelayFixture::config({ RelayFixture::upstream(
        "s", *m_a, 1, { { "timeouts", QJsonObject { { "idleMs", 300 } } } }) })));
    m_a->setStreamShape(3, 0);
    m_a->closeGate(); // sends one chunk, then nothing
    TestResponse *r = m_relay->chatAndWait("m", true);
    QVERIFY(r->finished && !r->connectionLost);
    QVERIFY(r->body.contains("tok0"));
    QVERIFY(r->body.contains("no data for 300 ms"));
    QVERIFY(r->body.contains("stream_interrupted"));
    QTRY_COMPARE(m_a->droppedByPeer(), 1);
}

// When the client goes away the upstream request is dropped at once, freeing the key.
void TestRelayStreaming::testStream_clientDisconnects_upstreamAbortedAtOnce()
{
    QVERIFY(m_relay->start(RelayFixture::config({ RelayFixture::upstream("s", *m_a, 1) })));
    m_a->setStreamShape(3, 0);
    m_a->closeGate();
    TestResponse *r = m_relay->chat("m", true);
    QSignalSpy chunk(r, &TestResponse::chunkReceived);
    QVERIFY(chunk.wait(5000));
    QCOMPARE(m_relay->service().engine().inflight(), 1);
    QSignalSpy dropped(m_a.get(), &FakeUpstream::peerDisconnected);
    r->abort();
    QVERIFY(dropped.wait(5000));
    QCOMPARE(m_a->droppedByPeer(), 1);
    QTRY_COMPARE(m_relay->service().engine().inflight(), 0);
}

// 64 streams through one upstream host are all open upstream at the same moment: none waits
// for a connection slot (QNetworkAccessManager alone would hold all but six).
void TestRelayStreaming::testStream_64Concurrent_allStartWithoutQueueing()
{
    QVERIFY(m_relay->start(RelayFixture::config({ RelayFixture::upstream("s", *m_a, 4) })));
    m_a->setStreamShape(2, 0);
    m_a->closeGate();
    constexpr int kStreams = 64;
    QList<TestResponse *> responses;
    for (int i = 0; i < kStreams; ++i)
        responses.append(m_relay->chat("m", true));
    // Every stream got its first chunk while all 64 are held open by the upstream.
    QTRY_COMPARE_WITH_TIMEOUT(m_a->streamsWaitingAtGate(), kStreams, 15000);
    QTRY_VERIFY_WITH_TIMEOUT(std::all_of(responses.cbegin(), responses.cend(),
                                         [](TestResponse *r) { return !r->chunks.isEmpty(); }),
                             15000);
    QVERIFY(m_a->openConnections() >= kStreams);
    m_a->openGate();
    for (TestResponse *r : responses) {
        QVERIFY(RelayFixture::wait(r));
        QVERIFY(r->body.endsWith("data: [DONE]\n\n"));
    }
}

QTEST_GUILESS_MAIN(TestRelayStreaming)
#include "TestRelayStreaming.moc"
