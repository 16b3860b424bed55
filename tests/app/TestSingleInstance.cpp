#include "SingleInstance.h"

#include <QSignalSpy>
#include <QtTest>

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
    relay::SingleInstance second;
    QVERIFY(!second.claim());
    QVERIFY(activated.wait(5000));
    first.reset();
    relay::SingleInstance third;
    QVERIFY(third.claim()); // the name is free again
}

QTEST_GUILESS_MAIN(TestSingleInstance)
#include "TestSingleInstance.moc"
