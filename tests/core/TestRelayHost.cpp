#include "RelayTestCase.h"
#include "service/RelayHost.h"

#include <QPointer>
#include <QtTest>

using namespace relay;
using namespace relay::test;

// The relay in a thread of its own, as the GUI runs it: snapshots and answers arrive in the
// caller's thread as values, commands are queued, and shutdown ends the thread.
class TestRelayHost : public RelayTestCase
{
    Q_OBJECT
private Q_SLOTS:
    void testRelayInItsOwnThread_snapshotsCallsAndShutdown();
    void testDestroyedWhileRunning_endsTheThread();
    void testStopNowWhileShuttingDown_returns();

private:
    RelayService::Options options() const;
};

RelayService::Options TestRelayHost::options() const
{
    RelayService::Options o = m_relay->options();
    o.configPath = m_relay->configPath();
    o.portOverride = 0;
    return o;
}

void TestRelayHost::testRelayInItsOwnThread_snapshotsCallsAndShutdown()
{
    QVERIFY(m_relay->writeConfig(RelayFixture::config({ RelayFixture::upstream("a", *m_a, 1) })));
    RelayHost host(options());
    QSignalSpy started(&host, &RelayHost::started);
    QSignalSpy snapshots(&host, &RelayHost::snapshotReady);
    QSignalSpy stopped(&host, &RelayHost::stopped);
    host.start();
    QVERIFY(started.wait(10000));
    QTRY_VERIFY_WITH_TIMEOUT(host.snapshot().port != 0, 10000);
    QCOMPARE(host.snapshot().state, RelayState::Healthy);
    QVERIFY(host.config().value("upstreams").toArray().size() == 1);

    // A request through the relay's port shows in the next snapshot.
    TestResponse response;
    response.send(host.snapshot().port, "POST", "/v1/chat/completions",
                  { { "Authorization", QByteArray("Bearer ") + RelayFixture::kAccessKey },
                    { "Content-Type", "application/json" } },
                  chatBody(QStringLiteral("m"), false));
    QVERIFY(RelayFixture::wait(&response));
    QCOMPARE(response.status, 200);
    QTRY_COMPARE_WITH_TIMEOUT(host.snapshot().today.requests, qint64(1), 10000);

    // Answers come back in this thread.
    QThread *answeredIn = nullptr;
    KeyProbeResult probe;
    m_a->setDefaultFault("sk-secret-a-k1", Fault::httpStatus(200, R"({"data":[{"id":"x"}]})"));
    host.probeSaved(QStringLiteral("a"), QStringLiteral("a-k1"), [&](const KeyProbeResult &r) {
        answeredIn = QThread::currentThread();
        probe = r;
    });
    QTRY_VERIFY_WITH_TIMEOUT(answeredIn != nullptr, 10000);
    QCOMPARE(answeredIn, QThread::currentThread());
    QVERIFY(probe.valid);
    QString key;
    host.fetchAccessKey([&](const QString &k) { key = k; });
    QTRY_COMPARE_WITH_TIMEOUT(key, QString::fromLatin1(RelayFixture::kAccessKey), 10000);

    host.pause();
    QTRY_COMPARE_WITH_TIMEOUT(host.snapshot().state, RelayState::Paused, 10000);
    host.resume();
    QTRY_COMPARE_WITH_TIMEOUT(host.snapshot().state, RelayState::Healthy, 10000);

    host.shutdown();
    QVERIFY(stopped.wait(10000));
    QVERIFY(!host.isRunning());
}

void TestRelayHost::testDestroyedWhileRunning_endsTheThread()
{
    QVERIFY(m_relay->writeConfig(RelayFixture::config({ RelayFixture::upstream("a", *m_a, 1) })));
    quint16 port = 0;
    bool called = false;
    {
        RelayHost host(options());
        QSignalSpy started(&host, &RelayHost::started);
        host.start();
        QVERIFY(started.wait(10000));
        QTRY_VERIFY_WITH_TIMEOUT(host.snapshot().port != 0, 10000);
        port = host.snapshot().port;
        QVERIFY(!RelayFixture::portRefused(port));
        // Destroyed with a call in flight: the callback must never run on a dead object.
        host.fetchAccessKey([&](const QString &) { called = true; });
    }
    QTest::qWait(50);
    QVERIFY(!called);
    QVERIFY(RelayFixture::portRefused(port)); // the relay and its thread are gone
}

// The session end on Windows: asked first (a graceful shutdown starts), then told (stopNow).
// When the graceful end had just ended the relay's thread, stopNow() waited for ever on a call
// that thread would never run (seen under Wine: the tray app hung at sign-out). Each round stops
// a little later after the shutdown request, so that some rounds land in that moment.
void TestRelayHost::testStopNowWhileShuttingDown_returns()
{
    QVERIFY(m_relay->writeConfig(RelayFixture::config({ RelayFixture::upstream("a", *m_a, 1) })));
    for (int round = 0; round < 60; ++round) {
        RelayHost host(options());
        QSignalSpy started(&host, &RelayHost::started);
        host.start();
        QVERIFY(started.wait(10000));
        host.shutdown();
        QElapsedTimer delay;
        delay.start();
        while (delay.nsecsElapsed() < round * 50000) { } // 0 to 3 ms, in 50 µs steps
        host.stopNow(); // a hang here is the failure: ctest's timeout ends the test
        QVERIFY(!host.isRunning());
    }
}

QTEST_GUILESS_MAIN(TestRelayHost)
#include "TestRelayHost.moc"
