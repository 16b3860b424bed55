#include "SingleInstance.h"

#include <QLocalServer>
#include <QLocalSocket>
#include <QLockFile>
#include <QPointer>
#include <QScopeGuard>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QtTest>

#include <atomic>
#include <thread>

using relay::SingleInstance;

// One desktop app per config file: a second claim finds the first, asks it to come forward,
// and gives way; once the first is gone, the next claim wins again. `--quit` asks it to end.
class TestSingleInstance : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void init();
    void testSecondLaunch_bringsFirstForwardAndGivesWay();
    void testLaunchWhileFirstStarts_waitsForItAndGivesWay();
    void testOwnerEndsWhileSecondKnocks_secondRuns();
    void testOwnerNeverAnswers_secondSaysSo();
    void testOtherConfig_runsBesideIt();
    void testQuit_runningOneQuitsAndTheCallerWaitsForIt();
    void testQuit_noneRunning_saysSoAtOnce();
    void testQuit_runningOneStays_callerGivesUp();

private:
    QString config(const char *name) const { return m_dir->filePath(QString::fromLatin1(name)); }
    std::unique_ptr<QTemporaryDir> m_dir;
};

void TestSingleInstance::init()
{
    m_dir = std::make_unique<QTemporaryDir>(); // a config of its own: no clash with a real run
}

void TestSingleInstance::testSecondLaunch_bringsFirstForwardAndGivesWay()
{
    auto first = std::make_unique<SingleInstance>(config("config.json"));
    QCOMPARE(first->claim(), SingleInstance::Claim::Owner);
    QSignalSpy activated(first.get(), &SingleInstance::activationRequested);
    // The second launch is another process: here another thread, so that the first one's event
    // loop answers while the second waits.
    std::atomic<int> secondClaimed { -1 };
    std::thread launch([&] {
        SingleInstance second(config("config.json"));
        secondClaimed = static_cast<int>(second.claim());
    });
    const bool cameForward = activated.wait(5000);
    launch.join();
    QVERIFY(cameForward);
    QCOMPARE(secondClaimed.load(), static_cast<int>(SingleInstance::Claim::OtherCameForward));
    first.reset();
    SingleInstance third(config("config.json"));
    QCOMPARE(third.claim(), SingleInstance::Claim::Owner); // the name is free again
}

// Two launches at once: the first holds the lock but is not listening yet. The second must not
// take the name over; it waits for the first to listen, asks it to come forward and gives way.
void TestSingleInstance::testLaunchWhileFirstStarts_waitsForItAndGivesWay()
{
    const QString path = config("config.json");
    QLockFile firstLock(SingleInstance::lockPath(path));
    QVERIFY(firstLock.tryLock(0));
    std::atomic<int> secondClaimed { -1 };
    std::thread launch([&] {
        SingleInstance second(path);
        secondClaimed = static_cast<int>(second.claim());
    });
    const auto joinLaunch = qScopeGuard([&] { launch.join(); }); // also when a check fails
    QLocalServer::removeServer(SingleInstance::serverName(path));
    QLocalServer first;
    QVERIFY(first.listen(SingleInstance::serverName(path)));
    QVERIFY(first.waitForNewConnection(10000));
    QLocalSocket *asked = first.nextPendingConnection();
    QVERIFY(asked);
    QVERIFY(asked->canReadLine() || asked->waitForReadyRead(5000));
    QCOMPARE(asked->readLine(), QByteArray("show\n"));
    asked->write("ok\n");
    asked->waitForBytesWritten(1000);
    QTRY_COMPARE_WITH_TIMEOUT(secondClaimed.load(),
                              static_cast<int>(SingleInstance::Claim::OtherCameForward), 10000);
}

// The owner is on its way out (its lock not yet released) when the second launch knocks: once
// the lock is free the second one runs, rather than exiting with nothing left running.
void TestSingleInstance::testOwnerEndsWhileSecondKnocks_secondRuns()
{
    const QString path = config("config.json");
    auto endingLock = std::make_unique<QLockFile>(SingleInstance::lockPath(path));
    QVERIFY(endingLock->tryLock(0));
    QLocalServer::removeServer(SingleInstance::serverName(path));
    QLocalServer ending;
    QVERIFY(ending.listen(SingleInstance::serverName(path)));
    std::atomic<int> secondClaimed { -1 };
    std::thread launch([&] {
        SingleInstance second(path);
        secondClaimed = static_cast<int>(second.claim());
    });
    const auto joinLaunch = qScopeGuard([&] { launch.join(); });
    // The knock arrives as the owner ends: it lets go of its lock and hangs up unanswered.
    QVERIFY(ending.waitForNewConnection(10000));
    QLocalSocket *knock = ending.nextPendingConnection();
    QVERIFY(knock && (knock->canReadLine() || knock->waitForReadyRead(5000)));
    QCOMPARE(knock->readLine(), QByteArray("show\n"));
    endingLock.reset();
    knock->abort();
    ending.close();
    QTRY_COMPARE_WITH_TIMEOUT(secondClaimed.load(), static_cast<int>(SingleInstance::Claim::Owner),
                              10000);
}

// A hung owner holds the lock and never answers: the second launch gives up after its few
// seconds and says so (the app then tells the user what to do), never takes over.
void TestSingleInstance::testOwnerNeverAnswers_secondSaysSo()
{
    const QString path = config("config.json");
    QLockFile hung(SingleInstance::lockPath(path));
    QVERIFY(hung.tryLock(0));
    SingleInstance second(path);
    QCOMPARE(second.claim(), SingleInstance::Claim::OtherSilent);
}

void TestSingleInstance::testOtherConfig_runsBesideIt()
{
    SingleInstance first(config("a/config.json"));
    QCOMPARE(first.claim(), SingleInstance::Claim::Owner);
    SingleInstance second(config("b/config.json"));
    QCOMPARE(second.claim(), SingleInstance::Claim::Owner);
    QVERIFY(SingleInstance::serverName(config("a/config.json"))
            != SingleInstance::serverName(config("b/config.json")));
}

// The installer's `llm-relay --quit`: the running instance is told, ends, and only then does
// the caller return.
void TestSingleInstance::testQuit_runningOneQuitsAndTheCallerWaitsForIt()
{
    const QString path = config("config.json");
    QPointer<SingleInstance> running = new SingleInstance(path);
    QCOMPARE(running->claim(), SingleInstance::Claim::Owner);
    connect(running, &SingleInstance::quitRequested, running, &QObject::deleteLater);
    std::atomic<int> result { -1 };
    std::thread caller(
        [&] { result = static_cast<int>(SingleInstance::askRunningToQuit(path, 10000)); });
    const auto joinCaller = qScopeGuard([&] { caller.join(); });
    QTRY_VERIFY_WITH_TIMEOUT(running.isNull(), 10000);
    QTRY_COMPARE_WITH_TIMEOUT(result.load(), static_cast<int>(SingleInstance::QuitResult::Quit),
                              10000);
}

void TestSingleInstance::testQuit_noneRunning_saysSoAtOnce()
{
    QCOMPARE(SingleInstance::askRunningToQuit(config("config.json"), 0),
             SingleInstance::QuitResult::NoneRunning);
}

// An instance that does not end (a dialog it waits on, a hung stream): the caller says so
// rather than letting the installer overwrite a running program.
void TestSingleInstance::testQuit_runningOneStays_callerGivesUp()
{
    const QString path = config("config.json");
    SingleInstance running(path);
    QCOMPARE(running.claim(), SingleInstance::Claim::Owner);
    QSignalSpy asked(&running, &SingleInstance::quitRequested);
    std::atomic<int> result { -1 };
    std::thread caller(
        [&] { result = static_cast<int>(SingleInstance::askRunningToQuit(path, 300)); });
    const auto joinCaller = qScopeGuard([&] { caller.join(); });
    QTRY_COMPARE_WITH_TIMEOUT(result.load(),
                              static_cast<int>(SingleInstance::QuitResult::StillRunning), 10000);
    QCOMPARE(asked.count(), 1);
}

QTEST_GUILESS_MAIN(TestSingleInstance)
#include "TestSingleInstance.moc"
