#include "routing/CooldownPolicy.h"

#include <QtTest>

using namespace relay;

class TestCooldownPolicy : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void testProviderReset_data();
    void testProviderReset();
    void testDuration_data();
    void testDuration();
    void testQuotaExhausted();
    void testBackoff_doublesAndCaps();
};

static constexpr qint64 kNow = 1700000000000; // 2023-11-14T22:13:20Z

void TestCooldownPolicy::testProviderReset_data()
{
    QTest::addColumn<HeaderList>("headers");
    QTest::addColumn<qint64>("expectedMs"); // -1: none
    QTest::newRow("retry-after seconds") << HeaderList { { "Retry-After", "20" } } << kNow + 20000;
    QTest::newRow("retry-after date")
        << HeaderList { { "retry-after", "Tue, 14 Nov 2023 22:14:00 GMT" } } << kNow + 40000;
    QTest::newRow("openai requests exhausted")
        << HeaderList { { "x-ratelimit-remaining-requests", "0" },
                        { "x-ratelimit-reset-requests", "6m0s" },
                        { "x-ratelimit-remaining-tokens", "100" },
                        { "x-ratelimit-reset-tokens", "2s" } }
        << kNow + 360000;
    QTest::newRow("openai none exhausted: soonest")
        << HeaderList { { "x-ratelimit-reset-requests", "1s" },
                        { "x-ratelimit-reset-tokens", "250ms" } }
        << kNow + 250;
    QTest::newRow("anthropic tokens")
        << HeaderList { { "anthropic-ratelimit-tokens-remaining", "0" },
                        { "anthropic-ratelimit-tokens-reset", "2023-11-14T22:15:00Z" } }
        << kNow + 100000;
    QTest::newRow("nothing") << HeaderList { { "content-type", "application/json" } } << qint64(-1);
    QTest::newRow("garbage retry-after") << HeaderList { { "retry-after", "soon" } } << qint64(-1);
}

// The provider's own reset time wins over guessing.
void TestCooldownPolicy::testProviderReset()
{
    QFETCH(HeaderList, headers);
    QFETCH(qint64, expectedMs);
    const auto reset = CooldownPolicy::providerResetMs(headers, kNow);
    QCOMPARE(reset.value_or(-1), expectedMs);
}

void TestCooldownPolicy::testDuration_data()
{
    QTest::addColumn<QByteArray>("text");
    QTest::addColumn<qint64>("ms");
    QTest::newRow("s") << QByteArray("1s") << qint64(1000);
    QTest::newRow("ms") << QByteArray("20ms") << qint64(20);
    QTest::newRow("m s") << QByteArray("6m0s") << qint64(360000);
    QTest::newRow("h m fractional s") << QByteArray("1h2m3.5s") << qint64(3723500);
    QTest::newRow("bad") << QByteArray("abc") << qint64(-1);
}

void TestCooldownPolicy::testDuration()
{
    QFETCH(QByteArray, text);
    QFETCH(qint64, ms);
    QCOMPARE(CooldownPolicy::parseDurationMs(text).value_or(-1), ms);
}

// Out-of-credit 429s are told apart from throttling.
void TestCooldownPolicy::testQuotaExhausted()
{
    QVERIFY(CooldownPolicy::isQuotaExhausted(
        R"({"error":{"message":"You exceeded your current quota","type":"insufficient_quota","code":"insufficient_quota"}})"));
    QVERIFY(!CooldownPolicy::isQuotaExhausted(
        R"({"error":{"message":"Rate limit reached for requests","type":"requests","code":"rate_limit_exceeded"}})"));
}

// 1 s doubling, capped.
void TestCooldownPolicy::testBackoff_doublesAndCaps()
{
    RetrySettings r;
    r.backoffBaseMs = 1000;
    r.backoffMaxMs = 10000;
    QCOMPARE(CooldownPolicy::backoffMs(0, r), qint64(1000));
    QCOMPARE(CooldownPolicy::backoffMs(1, r), qint64(2000));
    QCOMPARE(CooldownPolicy::backoffMs(3, r), qint64(8000));
    QCOMPARE(CooldownPolicy::backoffMs(4, r), qint64(10000));
    QCOMPARE(CooldownPolicy::backoffMs(100, r), qint64(10000));
}

QTEST_GUILESS_MAIN(TestCooldownPolicy)
#include "TestCooldownPolicy.moc"
