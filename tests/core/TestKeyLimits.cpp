#include "RelayTestCase.h"
#include "config/DailyReset.h"
#include "routing/RequestWindow.h"

#include <QtTest>

using namespace relay;
using namespace relay::test;

// Per-key RPM and RPD: a key at a limit is skipped until its window frees, the client is told
// when to come back, and /relay/status shows usage against the limits. (That they survive a
// restart is TestStore's.)
class TestKeyLimits : public RelayTestCase
{
    Q_OBJECT
private Q_SLOTS:
    void testDailyReset_data();
    void testDailyReset();
    void testDailyReset_rejectsBadText();
    void testWindow_rpmFreesAsStartsAge();
    void testWindow_tpmFreesAsTokensAge();
    void testRpm_keyAtLimitIsSkipped();
    void testRpd_lastKeyAtLimit_429UntilReset();
};

static qint64 utc(const char *iso)
{
    return QDateTime::fromString(QString::fromLatin1(iso), Qt::ISODate).toMSecsSinceEpoch();
}

void TestKeyLimits::testDailyReset_data()
{
    QTest::addColumn<QString>("reset");
    QTest::addColumn<qint64>("now");
    QTest::addColumn<qint64>("dayStart");
    QTest::addColumn<qint64>("next");
    QTest::newRow("midnight UTC") << "00:00 UTC" << utc("2026-11-22T15:00:00Z")
                                  << utc("2026-11-22T00:00:00Z") << utc("2026-11-23T00:00:00Z");
    QTest::newRow("no zone is UTC") << "08:30" << utc("2026-11-22T08:00:00Z")
                                    << utc("2026-11-21T08:30:00Z") << utc("2026-11-22T08:30:00Z");
    // Pacific standard time in November: UTC-8.
    QTest::newRow("Pacific") << "00:00 America/Los_Angeles" << utc("2026-11-22T05:00:00Z")
                             << utc("2026-11-21T08:00:00Z") << utc("2026-11-22T08:00:00Z");
    // The night clocks go forward the Pacific day is 23 hours long.
    QTest::newRow("Pacific, DST starts")
        << "00:00 America/Los_Angeles" << utc("2026-03-08T12:00:00Z") << utc("2026-03-08T08:00:00Z")
        << utc("2026-03-09T07:00:00Z");
}

void TestKeyLimits::testDailyReset()
{
    QFETCH(QString, reset);
    QFETCH(qint64, now);
    QFETCH(qint64, dayStart);
    QFETCH(qint64, next);
    DailyReset r;
    QVERIFY(DailyReset::parse(reset, &r));
    QCOMPARE(r.dayStartMs(now), dayStart);
    QCOMPARE(r.nextResetMs(now), next);
}

void TestKeyLimits::testDailyReset_rejectsBadText()
{
    DailyReset r;
    QVERIFY(!DailyReset::parse(QStringLiteral("25:00 UTC"), &r));
    QVERIFY(!DailyReset::parse(QStringLiteral("00:00 Mars/Olympus"), &r));
    QVERIFY(!DailyReset::parse(QStringLiteral("midnight"), &r));
}

void TestKeyLimits::testWindow_rpmFreesAsStartsAge()
{
    RequestWindow w;
    const KeyLimits limits { 2, 0, 0 };
    QString why;
    w.note(1000, 0);
    w.note(5000, 0);
    QCOMPARE(w.freeAtMs(limits, 6000, 0, 86400000, &why), qint64(61000));
    QVERIFY(why.contains(QStringLiteral("rpm 2")));
    QCOMPARE(w.freeAtMs(limits, 61000, 0, 86400000, &why), qint64(0));
    QCOMPARE(w.lastMinute(61000), 1);
}

// With priority order, a key at its RPM limit hands the next requests to the following key.
// Tokens count per second: a second's tokens leave once all of it is a minute old.
void TestKeyLimits::testWindow_tpmFreesAsTokensAge()
{
    RequestWindow w;
    const KeyLimits limits { 0, 0, 10 };
    QString why;
    w.noteTokens(1000, 8);
    w.noteTokens(1500, 1); // same second
    w.noteTokens(5000, 8);
    QCOMPARE(w.tokensLastMinute(6000), qint64(17));
    QCOMPARE(w.freeAtMs(limits, 6000, 0, 86400000, &why), qint64(62000));
    QVERIFY(why.contains(QStringLiteral("tpm 10")));
    QCOMPARE(w.freeAtMs(limits, 61999, 0, 86400000, &why), qint64(62000));
    QCOMPARE(w.freeAtMs(limits, 62000, 0, 86400000, &why), qint64(0));
    QCOMPARE(w.tokensLastMinute(62000), qint64(8));
}

void TestKeyLimits::testRpm_keyAtLimitIsSkipped()
{
    QJsonObject upstream = RelayFixture::upstream("a", *m_a, 2);
    QJsonArray keys = upstream.value("keys").toArray();
    QJsonObject first = keys.at(0).toObject();
    first.insert("limits", QJsonObject { { "rpm", 2 } });
    keys.replace(0, first);
    upstream.insert("keys", keys);
    QVERIFY(m_relay->start(RelayFixture::config({ upstream }, { { "strategy", "priority" } })));
    for (int i = 0; i < 4; ++i)
        QCOMPARE(m_relay->chatAndWait("m")->status, 200);
    QCOMPARE(m_a->keysUsed(),
             QList<QByteArray>(
                 { "sk-secret-a-k1", "sk-secret-a-k1", "sk-secret-a-k2", "sk-secret-a-k2" }));
    const QJsonObject status = keyStatus("a-k1");
    QCOMPARE(status.value("state").toString(), QStringLiteral("limited"));
    QCOMPARE(status.value("usage").toObject().value("lastMinute").toInt(), 2);
    QCOMPARE(status.value("usage").toObject().value("rpm").toInt(), 2);
}

// The only key has used its day: 429 with Retry-After up to the provider's next reset.
void TestKeyLimits::testRpd_lastKeyAtLimit_429UntilReset()
{
    QJsonObject upstream = RelayFixture::upstream("a", *m_a, 1);
    QJsonArray keys = upstream.value("keys").toArray();
    QJsonObject only = keys.at(0).toObject();
    only.insert("limits", QJsonObject { { "rpd", 1 } });
    keys.replace(0, only);
    upstream.insert("keys", keys);
    upstream.insert("dailyReset", "00:00 America/Los_Angeles");
    QVERIFY(m_relay->start(RelayFixture::config({ upstream })));
    QCOMPARE(m_relay->chatAndWait("m")->status, 200);
    TestResponse *r = m_relay->chatAndWait("m");
    QCOMPARE(r->status, 429);
    const int retryAfter = r->header("retry-after").toInt();
    QVERIFY2(retryAfter > 0 && retryAfter <= 25 * 3600, r->header("retry-after").constData());
    QVERIFY(r->json().value("error").toObject().value("message").toString().contains(
        QStringLiteral("rpd 1")));
    QCOMPARE(m_a->requests().size(), 1);
}

QTEST_GUILESS_MAIN(TestKeyLimits)
#include "TestKeyLimits.moc"
