#include "SingleInstance.h"

#include <QLocalServer>
#include <QLocalSocket>
#include <QLockFile>
#include <QScopeGuard>
#include <QSignalSpy>
#include <QtTest>

#include <atomic>
#include <thread>

// One desktop app per user: a second claim finds the first, asks it to come forward, and
// gives way; once the first is gone, the next claim wins again.
class TestSingleInstance : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void testSecondLaunch_bringsFirstForwardAndGivesWay();
    void testLaunchWhileFirstStarts_waitsForItAndGivesWay();
};

void TestSingleInstance::testSecondLaunch_bringsFirstForwardAndGivesWay()
{
    auto first = std::make_unique<relay::SingleInstance>();
    QVERIFY(first->claim());
    QSignalSpy activated(first.get(), &relay::SingleInstance::activationRequested);
    // The second launch is another process: here another thread, so that the first one's event
    // loop answers while the second waits.
    std::atomic<int> secondClaimed { -1 };
    std::thread launch([&] {
        relay::SingleInstance second;
        secondClaimed = second.claim() ? 1 : 0;
    });
    const bool cameForward = activated.wait(5000);
    launch.join();
    QVERIFY(cameForward);
    QCOMPARE(secondClaimed.load(), 0);
    first.reset();
    relay::SingleInstance third;
    QVERIFY(third.claim()); // the name is free again
}

// Two launches at once: the first holds the lock but is not listening yet. The second must not
// take the name over; it waits for the first to listen, asks it to come forward and gives way.
void TestSingleInstance::testLaunchWhileFirstStarts_waitsForItAndGivesWay()
{
    QLockFile firstLock(relay::SingleInstance::lockPath());
    QVERIFY(firstLock.tryLock(0));
    std::atomic<int> secondClaimed { -1 };
    std::thread launch([&] {
        relay::SingleInstance second;
        secondClaimed = second.claim() ? 1 : 0;
    });
    const auto joinLaunch = qScopeGuard([&] { launch.join(); }); // also when a check fails
    QLocalServer::removeServer(relay::SingleInstance::serverName());
    QLocalServer first;
    QVERIFY(first.listen(relay::SingleInstance::serverName()));
    QVERIFY(first.waitForNewConnection(10000));
    QLocalSocket *asked = first.nextPendingConnection();
    QVERIFY(asked);
    QVERIFY(asked->canReadLine() || asked->waitForReadyRead(5000));
    QCOMPARE(asked->readLine(), QByteArray("show\n"));
    asked->write("ok\n");
    asked->waitForBytesWritten(1000);
    QTRY_COMPARE_WITH_TIMEOUT(secondClaimed.load(), 0, 10000);
}

QTEST_GUILESS_MAIN(TestSingleInstance)
#include "TestSingleInstance.moc"
