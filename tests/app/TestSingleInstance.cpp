#include "SingleInstance.h"

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

QTEST_GUILESS_MAIN(TestSingleInstance)
#include "TestSingleInstance.moc"
