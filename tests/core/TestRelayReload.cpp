#include "RelayTestCase.h"
#include "relay/RelayEngine.h"
#include "service/RelayService.h"

#include <QtTest>

using namespace relay;
using namespace relay::test;

class TestRelayReload : public RelayTestCase
{
    Q_OBJECT
private Q_SLOTS:
    void testFileChange_appliedLive_streamInFlightUntouched();
    void testReloadEndpoint_valid_applied();
    void testReloadEndpoint_invalid_422AndRunningConfigKept();
    void testChangedKey_clearsInvalidState();
    void testCorruptFileAtStart_backupUsed();
};

// Editing the file swaps upstreams for new requests; a stream already running finishes intact.
void TestRelayReload::testFileChange_appliedLive_streamInFlightUntouched()
{
    QVERIFY(m_relay->start(RelayFixture::config({ RelayFixture::upstream("a", *m_a, 1) })));
    m_a->setStreamShape(3, 0);
    m_a->closeGate();
    TestResponse *stream = m_relay->chat("m", true);
    QSignalSpy chunk(stream, &TestResponse::chunkReceived);
    QVERIFY(chunk.wait(5000));

    QVERIFY(m_relay->writeConfig(RelayFixture::config({ RelayFixture::upstream("b", *m_b, 1) })));
    QTRY_COMPARE_WITH_TIMEOUT(m_relay->service().engine().config().upstreams.constFirst().id,
                              QStringLiteral("b"), 5000);
    QCOMPARE(m_relay->chatAndWait("m")->header("x-relay-upstream"), QByteArray("b"));

    m_a->openGate();
    QVERIFY(RelayFixture::wait(stream));
    QVERIFY(!stream->connectionLost);
    QVERIFY(stream->body.endsWith("data: [DONE]\n\n"));
    QVERIFY(stream->body.contains("tok2"));
}

// POST /relay/reload applies the file now.
void TestRelayReload::testReloadEndpoint_valid_applied()
{
    QVERIFY(m_relay->start(RelayFixture::config({ RelayFixture::upstream("a", *m_a, 1) })));
    QVERIFY(m_relay->writeConfig(RelayFixture::config({ RelayFixture::upstream("b", *m_b, 1) })));
    TestResponse *r = m_relay->request("POST", "/relay/reload");
    QVERIFY(RelayFixture::wait(r));
    QCOMPARE(r->status, 200);
    QCOMPARE(m_relay->service().engine().config().upstreams.constFirst().id, QStringLiteral("b"));
}

// A broken file is refused with every problem listed; the relay keeps serving the old config.
void TestRelayReload::testReloadEndpoint_invalid_422AndRunningConfigKept()
{
    QVERIFY(m_relay->start(RelayFixture::config({ RelayFixture::upstream("a", *m_a, 1) })));
    QJsonObject bad = RelayFixture::config({ RelayFixture::upstream("b", *m_b, 1) });
    bad.insert("strategy", "fastest");
    QVERIFY(m_relay->writeConfig(bad));
    TestResponse *r = m_relay->request("POST", "/relay/reload");
    QVERIFY(RelayFixture::wait(r));
    QCOMPARE(r->status, 422);
    const QJsonArray problems = r->json().value("error").toObject().value("problems").toArray();
    QCOMPARE(problems.size(), 1);
    const QJsonObject problem = problems.at(0).toObject();
    QCOMPARE(problem.value("path").toString(), QStringLiteral("strategy"));
    QCOMPARE(problem.value("code").toString(), QStringLiteral("unknown_strategy"));
    QVERIFY(problem.value("message").toString().startsWith(QStringLiteral("strategy: unknown")));
    QCOMPARE(m_relay->chatAndWait("m")->header("x-relay-upstream"), QByteArray("a"));
}

// Replacing a rejected key's secret in the file puts it back in rotation.
void TestRelayReload::testChangedKey_clearsInvalidState()
{
    QJsonObject config = RelayFixture::config({ RelayFixture::upstream("a", *m_a, 1) });
    QVERIFY(m_relay->start(config));
    m_a->setDefaultFault("sk-secret-a-k1", Fault::httpStatus(401));
    QCOMPARE(m_relay->chatAndWait("m")->status, 502);
    QCOMPARE(m_relay->chatAndWait("m")->status, 503); // excluded: no usable key

    QJsonObject u = RelayFixture::upstream("a", *m_a, 1);
    QJsonArray keys = u.value("keys").toArray();
    QJsonObject key = keys.at(0).toObject();
    key.insert("key", "sk-fixed");
    keys.replace(0, key);
    u.insert("keys", keys);
    QVERIFY(m_relay->writeConfig(RelayFixture::config({ u })));
    TestResponse *reload = m_relay->request("POST", "/relay/reload");
    QVERIFY(RelayFixture::wait(reload));
    QCOMPARE(reload->status, 200);
    QCOMPARE(m_relay->chatAndWait("m")->status, 200);
    QCOMPARE(m_a->keysUsed().constLast(), QByteArray("sk-fixed"));
}

// A config file broken while the relay was off is set aside and the last good one used.
void TestRelayReload::testCorruptFileAtStart_backupUsed()
{
    QVERIFY(m_relay->writeConfig(RelayFixture::config({ RelayFixture::upstream("a", *m_a, 1) })));
    RelayService::Options options = m_relay->options(); // keys in the test's key file
    options.configPath = m_relay->configPath();
    options.portOverride = 0;
    {
        RelayService good(options);
        QVERIFY(RelayFixture::startService(good)); // a good load leaves a backup
    }
    QFile f(m_relay->configPath());
    QVERIFY(f.open(QIODevice::WriteOnly | QIODevice::Truncate));
    f.write("{ \"upstreams\": [ truncated");
    f.close();
    RelayService service(options);
    QSignalSpy notices(&service, &RelayService::notice);
    QVERIFY(RelayFixture::startService(service));
    QCOMPARE(service.engine().config().upstreams.size(), 1);
    QVERIFY(notices.size() >= 1);
    QVERIFY(notices.constFirst().at(0).toString().contains(QStringLiteral("set aside")));
    const QStringList setAside
        = QDir(m_relay->dir()).entryList({ QStringLiteral("config.json.invalid-*") });
    QCOMPARE(setAside.size(), 1);
}

QTEST_GUILESS_MAIN(TestRelayReload)
#include "TestRelayReload.moc"
