#include "RelayTestCase.h"

#include <QTcpSocket>
#include <QtTest>

using namespace relay;
using namespace relay::test;

// What a web page can do with the relay: names other than loopback ones and the configured ones
// are refused (DNS rebinding), and only configured origins get CORS answers, preflights
// included.
class TestEndpointSecurity : public RelayTestCase
{
    Q_OBJECT
private Q_SLOTS:
    void testHost_data();
    void testHost();
    void testPreflight_allowedOrigin_204WithPrivateNetwork();
    void testPreflight_otherOrigin_403();
    void testAllowedOrigin_everyResponseCarriesCors();
    void testOtherOrigin_noCorsHeaders();
    void testBody_overLimitByLength_413BeforeReading();
    void testBody_chunkedOverLimit_413ByCounting();
    void testHeaders_over64KB_431();
    void testBody_underLimit_relayed();
    void testHead_headersWithoutBody_connectionStaysUsable();

private:
    bool start();
    TestResponse *send(const QByteArray &method, const QByteArray &path,
                       QList<QPair<QByteArray, QByteArray>> headers, const QByteArray &body = {});
};

bool TestEndpointSecurity::start()
{
    return m_relay->start(RelayFixture::config(
        { RelayFixture::upstream("a", *m_a, 1) },
        { { "security",
            QJsonObject { { "allowedHosts", QJsonArray { "relay.lan", "*.corp.example" } },
                          { "corsOrigins", QJsonArray { "https://chat.example" } } } } }));
}

TestResponse *TestEndpointSecurity::send(const QByteArray &method, const QByteArray &path,
                                         QList<QPair<QByteArray, QByteArray>> headers,
                                         const QByteArray &body)
{
    TestResponse *r = m_relay->request(method, path, body, headers);
    RelayFixture::wait(r);
    return r;
}

void TestEndpointSecurity::testHost_data()
{
    QTest::addColumn<QByteArray>("host");
    QTest::addColumn<int>("status");
    QTest::newRow("loopback address") << QByteArray("127.0.0.1:17635") << 200;
    QTest::newRow("localhost") << QByteArray("localhost:17635") << 200;
    QTest::newRow("sub.localhost") << QByteArray("app.localhost") << 200;
    QTest::newRow("ipv6 loopback") << QByteArray("[::1]:17635") << 200;
    QTest::newRow("LAN address") << QByteArray("192.168.1.20:17635") << 200;
    QTest::newRow("configured name") << QByteArray("Relay.LAN:17635") << 200;
    QTest::newRow("configured wildcard") << QByteArray("box.corp.example") << 200;
    QTest::newRow("rebinding name") << QByteArray("evil.example:17635") << 403;
    QTest::newRow("wildcard's own base") << QByteArray("corp.example") << 403;
    QTest::newRow("localhost lookalike") << QByteArray("localhost.evil.example") << 403;
}

void TestEndpointSecurity::testHost()
{
    QFETCH(QByteArray, host);
    QFETCH(int, status);
    QVERIFY(start());
    TestResponse *r
        = send("GET", "/v1/models",
               { { "host", host },
                 { "authorization", QByteArray("Bearer ") + RelayFixture::kAccessKey } });
    QCOMPARE(r->status, status);
    if (status == 403) {
        QCOMPARE(r->json().value("error").toObject().value("code").toString(),
                 QStringLiteral("host_not_allowed"));
        QVERIFY(r->json().value("error").toObject().value("message").toString().contains(
            QStringLiteral("security.allowedHosts")));
    }
}

// Chrome's preflight for a public page calling a loopback address asks for private-network
// access; the answer needs no access key (preflights carry none) and echoes the headers asked.
void TestEndpointSecurity::testPreflight_allowedOrigin_204WithPrivateNetwork()
{
    QVERIFY(start());
    TestResponse *r = send("OPTIONS", "/v1/chat/completions",
                           { { "origin", "https://chat.example" },
                             { "access-control-request-method", "POST" },
                             { "access-control-request-headers", "authorization, content-type" },
                             { "access-control-request-private-network", "true" } });
    QCOMPARE(r->status, 204);
    QCOMPARE(r->header("access-control-allow-origin"), QByteArray("https://chat.example"));
    QCOMPARE(r->header("access-control-allow-headers"), QByteArray("authorization, content-type"));
    QVERIFY(r->header("access-control-allow-methods").contains("POST"));
    QCOMPARE(r->header("access-control-allow-private-network"), QByteArray("true"));
    QCOMPARE(m_a->requests().size(), 0);
}

void TestEndpointSecurity::testPreflight_otherOrigin_403()
{
    QVERIFY(start());
    TestResponse *r = send(
        "OPTIONS", "/v1/messages",
        { { "origin", "https://evil.example" }, { "access-control-request-method", "POST" } });
    QCOMPARE(r->status, 403);
    QVERIFY(r->header("access-control-allow-origin").isEmpty());
    QCOMPARE(r->json().value("type").toString(), QStringLiteral("error")); // Anthropic's shape
}

// Relayed answers, streams and the relay's own errors all let the allowed page read them.
void TestEndpointSecurity::testAllowedOrigin_everyResponseCarriesCors()
{
    QVERIFY(start());
    const QByteArray auth = QByteArray("Bearer ") + RelayFixture::kAccessKey;
    for (const bool stream : { false, true }) {
        TestResponse *r = send("POST", "/v1/chat/completions",
                               { { "origin", "https://chat.example" }, { "authorization", auth } },
                               chatBody("m", stream));
        QCOMPARE(r->status, 200);
        QCOMPARE(r->header("access-control-allow-origin"), QByteArray("https://chat.example"));
        QVERIFY(r->header("access-control-expose-headers").contains("retry-after"));
    }
    TestResponse *denied
        = send("GET", "/v1/models",
               { { "origin", "https://chat.example" }, { "authorization", "Bearer wrong-key" } });
    QCOMPARE(denied->status, 401);
    QCOMPARE(denied->header("access-control-allow-origin"), QByteArray("https://chat.example"));
}

void TestEndpointSecurity::testOtherOrigin_noCorsHeaders()
{
    QVERIFY(start());
    TestResponse *r
        = send("GET", "/v1/models",
               { { "origin", "https://evil.example" },
                 { "authorization", QByteArray("Bearer ") + RelayFixture::kAccessKey } });
    QCOMPARE(r->status, 200);
    QVERIFY(r->header("access-control-allow-origin").isEmpty());
}

static QJsonObject smallBodyLimit()
{
    return { { "security", QJsonObject { { "maxBodyBytes", 1024 * 1024 } } } };
}

// A Content-Length over the limit is refused as soon as the head arrives, in the caller's
// format, and the connection closes.
void TestEndpointSecurity::testBody_overLimitByLength_413BeforeReading()
{
    QVERIFY(m_relay->start(
        RelayFixture::config({ RelayFixture::upstream("a", *m_a, 1) }, smallBodyLimit())));
    const QByteArray big(2 * 1024 * 1024, 'a');
    TestResponse *r = send("POST", "/v1/chat/completions", {}, big);
    QCOMPARE(r->status, 413);
    QCOMPARE(r->json().value("error").toObject().value("code").toString(),
             QStringLiteral("request_too_large"));
    TestResponse *a
        = send("POST", "/v1/messages", { { "x-api-key", RelayFixture::kAccessKey } }, big);
    QCOMPARE(a->status, 413);
    QCOMPARE(a->json().value("type").toString(), QStringLiteral("error"));
    QCOMPARE(m_a->requests().size(), 0);
}

// A chunked body has no length up front: it is counted as it arrives and cut off at the limit.
void TestEndpointSecurity::testBody_chunkedOverLimit_413ByCounting()
{
    QVERIFY(m_relay->start(
        RelayFixture::config({ RelayFixture::upstream("a", *m_a, 1) }, smallBodyLimit())));
    QTcpSocket socket;
    QByteArray received;
    qint64 sent = 0;
    connect(&socket, &QTcpSocket::readyRead, this, [&] { received += socket.readAll(); });
    QTimer pump;
    connect(&pump, &QTimer::timeout, this, [&] {
        if (socket.state() != QAbstractSocket::ConnectedState || socket.bytesToWrite() > 0)
            return;
        const QByteArray piece(64 * 1024, 'a');
        sent += socket.write(QByteArray::number(piece.size(), 16) + "\r\n" + piece + "\r\n");
    });
    socket.connectToHost(QHostAddress::LocalHost, m_relay->port());
    QVERIFY(socket.waitForConnected(5000));
    socket.write(QByteArray("POST /v1/chat/completions HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                            "Authorization: Bearer ")
                 + RelayFixture::kAccessKey
                 + "\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n");
    pump.start(0);
    QTRY_VERIFY2_WITH_TIMEOUT(
        received.contains("413"),
        (QByteArray::number(sent) + " sent, got: " + received.left(300)).constData(), 15000);
    pump.stop();
    QVERIFY(received.contains("request_too_large"));
    QCOMPARE(m_a->requests().size(), 0);
    QTRY_COMPARE_WITH_TIMEOUT(socket.state(), QAbstractSocket::UnconnectedState, 5000);
}

void TestEndpointSecurity::testHeaders_over64KB_431()
{
    QVERIFY(start());
    TestResponse *r = send("GET", "/v1/models", { { "x-padding", QByteArray(70 * 1024, 'p') } });
    QCOMPARE(r->status, 431);
}

void TestEndpointSecurity::testBody_underLimit_relayed()
{
    QVERIFY(m_relay->start(
        RelayFixture::config({ RelayFixture::upstream("a", *m_a, 1) }, smallBodyLimit())));
    const QJsonObject body {
        { "model", "m" },
        { "messages",
          QJsonArray {
              QJsonObject { { "role", "user" }, { "content", QString(900 * 1024, u'x') } } } }
    };
    TestResponse *r = send("POST", "/v1/chat/completions", {},
                           QJsonDocument(body).toJson(QJsonDocument::Compact));
    QCOMPARE(r->status, 200);
    QCOMPARE(m_a->requests().size(), 1);
}

// HEAD gets the headers a GET would get and no body: a body would be read as the start of the
// next answer on the connection (Node's HTTP parser drops the connection over it).
void TestEndpointSecurity::testHead_headersWithoutBody_connectionStaysUsable()
{
    QVERIFY(m_relay->start(RelayFixture::config({ RelayFixture::upstream("a", *m_a, 1) })));
    QTcpSocket socket;
    QByteArray received;
    connect(&socket, &QTcpSocket::readyRead, this, [&] { received += socket.readAll(); });
    socket.connectToHost(QHostAddress::LocalHost, m_relay->port());
    QVERIFY(socket.waitForConnected(5000));
    socket.write("HEAD /health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
    QTRY_VERIFY_WITH_TIMEOUT(received.contains("\r\n\r\n"), 10000);
    socket.write("GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
    QTRY_VERIFY_WITH_TIMEOUT(received.endsWith("}"), 10000);
    const qsizetype second = received.indexOf("HTTP/1.1 200", 1);
    QVERIFY2(second > 0, received.constData());
    const QByteArray head = received.left(second).toLower();
    const QByteArray get = received.mid(second).toLower();
    QVERIFY2(head.startsWith("http/1.1 200") && head.endsWith("\r\n\r\n"), head.constData());
    QCOMPARE(head.count("content-length:"), 1);
    // Qt 6.8's responder writes the length of what it sends (nothing), 6.4's what we say.
    const QByteArray length = QT_VERSION >= QT_VERSION_CHECK(6, 8, 0) ? "0" : "15";
    QVERIFY2(head.contains("content-length: " + length + "\r\n"), head.constData());
    QCOMPARE(get.count("content-length:"), 1);
    QVERIFY(get.endsWith("\r\n\r\n{\"status\":\"ok\"}"));

    // The relay's own reads answer HEAD as GET: the HEAD itself goes nowhere (the one upstream
    // call is the relay's GET of the provider's list, since "a" names no models).
    received.clear();
    socket.write("HEAD /v1/models HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer "
                 + QByteArray(RelayFixture::kAccessKey) + "\r\n\r\n");
    QTRY_VERIFY_WITH_TIMEOUT(received.endsWith("\r\n\r\n"), 10000);
    QVERIFY2(received.startsWith("HTTP/1.1 200"), received.constData());
    for (const ReceivedRequest &request : m_a->requests())
        QCOMPARE(request.method + ' ' + request.path, QByteArray("GET /v1/models"));
}

QTEST_GUILESS_MAIN(TestEndpointSecurity)
#include "TestEndpointSecurity.moc"
