#include "RelayTestCase.h"

#include <QTcpSocket>
#include <QtTest>

using namespace relay;
using namespace relay::test;

// Connections that hold the relay without using it: idle ones are closed, heads that trickle
// in get 408, connections past the limit get 503; a quiet stream is never taken for idle.
class TestSlowClients : public RelayTestCase
{
    Q_OBJECT
private Q_SLOTS:
    void testIdleConnection_closed();
    void testTricklingHead_408();
    void testQuietStream_keptWhileIdleConnectionClosed();
    void testPastMaxConnections_503();

private:
    bool start(const QJsonObject &security, const QJsonObject &extra = {});
    std::unique_ptr<QTcpSocket> connectRaw(QByteArray *received);
};

bool TestSlowClients::start(const QJsonObject &security, const QJsonObject &extra)
{
    QJsonObject all = extra;
    all.insert("security", security);
    return m_relay->start(RelayFixture::config({ RelayFixture::upstream("a", *m_a, 1) }, all));
}

std::unique_ptr<QTcpSocket> TestSlowClients::connectRaw(QByteArray *received)
{
    auto socket = std::make_unique<QTcpSocket>();
    QTcpSocket *raw = socket.get();
    connect(raw, &QTcpSocket::readyRead, this, [raw, received] { *received += raw->readAll(); });
    socket->connectToHost(QHostAddress::LocalHost, m_relay->port());
    socket->waitForConnected(5000);
    return socket;
}

// A connection that sends nothing, and one idle after its request, are both closed.
void TestSlowClients::testIdleConnection_closed()
{
    QVERIFY(start({ { "idleTimeoutSeconds", 1 } }));
    QByteArray silentBytes;
    auto silent = connectRaw(&silentBytes);
    QByteArray usedBytes;
    auto used = connectRaw(&usedBytes);
    used->write(QByteArray("GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"));
    QTRY_VERIFY_WITH_TIMEOUT(usedBytes.contains("200 OK"), 5000);
    QTRY_COMPARE_WITH_TIMEOUT(silent->state(), QAbstractSocket::UnconnectedState, 5000);
    QTRY_COMPARE_WITH_TIMEOUT(used->state(), QAbstractSocket::UnconnectedState, 5000);
    QVERIFY(silentBytes.isEmpty());
}

// Slowloris: a head sent a byte at a time never completes; the relay answers 408 and closes.
void TestSlowClients::testTricklingHead_408()
{
    QVERIFY(start({ { "headerTimeoutSeconds", 1 }, { "idleTimeoutSeconds", 60 } }));
    QByteArray received;
    auto socket = connectRaw(&received);
    socket->write("POST /v1/chat/completions HTTP/1.1\r\nHost: 127.0.0.1\r\n");
    QTimer trickle;
    connect(&trickle, &QTimer::timeout, this, [&] {
        if (socket->state() == QAbstractSocket::ConnectedState)
            socket->write("X");
    });
    trickle.start(200);
    QTRY_VERIFY_WITH_TIMEOUT(received.contains("408"), 8000);
    QVERIFY(received.contains("request_timeout"));
    QTRY_COMPARE_WITH_TIMEOUT(socket->state(), QAbstractSocket::UnconnectedState, 5000);
    QCOMPARE(m_a->requests().size(), 0);
}

// A stream with no bytes for longer than the idle timeout (a model thinking, no keep-alives)
// is not idle: an idle connection opened beside it is closed while the stream carries on.
void TestSlowClients::testQuietStream_keptWhileIdleConnectionClosed()
{
    QVERIFY(start({ { "idleTimeoutSeconds", 1 } }, { { "keepAliveMs", 0 } }));
    m_a->setStreamShape(3, 0);
    m_a->closeGate();
    TestResponse *stream = m_relay->chat("m", true);
    QSignalSpy chunk(stream, &TestResponse::chunkReceived);
    QVERIFY(chunk.wait(10000));
    QByteArray idleBytes;
    auto idle = connectRaw(&idleBytes);
    QTRY_COMPARE_WITH_TIMEOUT(idle->state(), QAbstractSocket::UnconnectedState, 5000);
    QVERIFY(!stream->connectionLost);
    QVERIFY(!stream->finished);
    m_a->openGate();
    QVERIFY(RelayFixture::wait(stream));
    QVERIFY2(stream->body.endsWith("data: [DONE]\n\n"), stream->body.constData());
}

// Past security.maxConnections a new connection is told why and closed.
void TestSlowClients::testPastMaxConnections_503()
{
    QVERIFY(start({ { "maxConnections", 2 } }));
    QByteArray first;
    QByteArray second;
    QByteArray third;
    auto a = connectRaw(&first);
    auto b = connectRaw(&second);
    a->write("GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
    b->write("GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
    QTRY_VERIFY_WITH_TIMEOUT(first.contains("200 OK") && second.contains("200 OK"), 5000);
    auto c = connectRaw(&third);
    QTRY_VERIFY_WITH_TIMEOUT(third.contains("503"), 5000);
    QVERIFY(third.contains("too_many_connections"));
    QTRY_COMPARE_WITH_TIMEOUT(c->state(), QAbstractSocket::UnconnectedState, 5000);
    a.reset(); // a slot frees when a client leaves
    QByteArray fourth;
    QTRY_VERIFY_WITH_TIMEOUT(
        [&] {
            fourth.clear();
            auto d = connectRaw(&fourth);
            d->write("GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
            return QTest::qWaitFor([&] { return !fourth.isEmpty(); }, 2000)
                && fourth.contains("200 OK");
        }(),
        10000);
}

QTEST_GUILESS_MAIN(TestSlowClients)
#include "TestSlowClients.moc"
