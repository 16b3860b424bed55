#include "FakeUpstream.h"
#include "RelayFixture.h"
#include "TestHttpClient.h"

#include <QSqlDatabase>
#include <QSqlQuery>
#include <QtTest>

using namespace relay::test;

// kill -9 under load: the database still opens and passes its integrity check, and every
// request finished more than a second before the kill is in the log.
class TestCrashSafety : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void testKill9UnderLoad_databaseOpensAndLosesAtMostLastSecond();

private:
    void sendOne();

    quint16 m_port = 0;
    QList<qint64> m_finishedAtMs; // when each answered request completed (epoch)
    bool m_stopped = false;
};

void TestCrashSafety::sendOne()
{
    if (m_stopped)
        return;
    auto *r = new TestResponse(this);
    connect(r, &TestResponse::done, this, [this, r] {
        if (!m_stopped && r->status == 200)
            m_finishedAtMs.append(QDateTime::currentMSecsSinceEpoch());
        r->deleteLater();
        sendOne(); // keeps the load constant
    });
    r->send(m_port, "POST", "/v1/chat/completions",
            { { "Authorization", QByteArray("Bearer ") + RelayFixture::kAccessKey },
              { "Content-Type", "application/json" } },
            chatBody(QStringLiteral("m"), false));
}

void TestCrashSafety::testKill9UnderLoad_databaseOpensAndLosesAtMostLastSecond()
{
    FakeUpstream fake;
    QVERIFY(fake.start());
    QTemporaryDir dir;
    const QString config = dir.filePath("config.json");
    QFile f(config);
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write(QJsonDocument(RelayFixture::config({ RelayFixture::upstream("a", fake, 2) })).toJson());
    f.close();
    QTcpServer probe;
    QVERIFY(probe.listen(QHostAddress::LocalHost, 0));
    m_port = probe.serverPort();
    probe.close();

    QProcess relay;
    relay.setProcessChannelMode(QProcess::ForwardedErrorChannel);
    relay.start(qEnvironmentVariable("RELAY_BINARY"),
                { "--headless", "--config", config, "--port", QString::number(m_port), "--key-file",
                  dir.filePath("keys.json") });
    QByteArray out;
    QTRY_VERIFY_WITH_TIMEOUT((out += relay.readAllStandardOutput()).contains("Access key:"), 15000);

    for (int i = 0; i < 8; ++i) // eight requests in flight at all times
        sendOne();
    const qint64 loadStart = QDateTime::currentMSecsSinceEpoch();
    QTRY_VERIFY_WITH_TIMEOUT(m_finishedAtMs.size() >= 100
                                 && QDateTime::currentMSecsSinceEpoch() - loadStart >= 2500,
                             30000);
    relay.kill(); // SIGKILL; TerminateProcess on Windows
    const qint64 killedAt = QDateTime::currentMSecsSinceEpoch();
    m_stopped = true;
    QVERIFY(relay.waitForFinished(10000));
    QCOMPARE(relay.exitStatus(), QProcess::CrashExit);
    const auto olderThanOneSecond = std::count_if(m_finishedAtMs.cbegin(), m_finishedAtMs.cend(),
                                                  [&](qint64 at) { return at < killedAt - 1000; });
    QVERIFY(olderThanOneSecond > 0);

    {
        QSqlDatabase db = QSqlDatabase::addDatabase("QSQLITE", "after-kill");
        db.setDatabaseName(dir.filePath("relay.db"));
        QVERIFY(db.open());
        QSqlQuery q(db);
        QVERIFY(q.exec("PRAGMA integrity_check") && q.next());
        QCOMPARE(q.value(0).toString(), QStringLiteral("ok"));
        QVERIFY(q.exec("SELECT count(*) FROM requests WHERE status = 200") && q.next());
        const int logged = q.value(0).toInt();
        qInfo("answered %lld, of which %lld more than 1 s before the kill; logged %d",
              qint64(m_finishedAtMs.size()), qint64(olderThanOneSecond), logged);
        QVERIFY(logged >= olderThanOneSecond);
        QVERIFY(logged <= m_finishedAtMs.size() + 8);
    }
    QSqlDatabase::removeDatabase("after-kill");
}

QTEST_GUILESS_MAIN(TestCrashSafety)
#include "TestCrashSafety.moc"
