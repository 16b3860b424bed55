#include "routing/Picker.h"

#include <QtTest>

using namespace relay;

class TestPicker : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void testWeighted_threeToOne_withinOnePercent();
    void testWeighted_smooth_noLongRuns();
    void testRoundRobin_even_andFailoverOrderRotates();
    void testRandom_roughlyUniform();
    void testPriority_alwaysConfigOrder();
    void testLeastInflight_lowestFirst_tiesRotate();

private:
    static QHash<QString, int> firstPicks(Picker &picker, Strategy s, const QList<PickCandidate> &c,
                                          int n);
};

QHash<QString, int> TestPicker::firstPicks(Picker &picker, Strategy s,
                                           const QList<PickCandidate> &c, int n)
{
    QHash<QString, int> counts;
    for (int i = 0; i < n; ++i)
        ++counts[picker.order(QStringLiteral("g"), s, c).constFirst()];
    return counts;
}

// Weights 3:1 give 75% / 25% of picks over thousands of requests.
void TestPicker::testWeighted_threeToOne_withinOnePercent()
{
    Picker picker(1);
    const auto counts
        = firstPicks(picker, Strategy::Weighted, { { "a", 3, 0 }, { "b", 1, 0 } }, 4000);
    QVERIFY2(qAbs(counts.value("a") - 3000) <= 40, qPrintable(QString::number(counts.value("a"))));
    QCOMPARE(counts.value("a") + counts.value("b"), 4000);
}

// Smooth weighted round-robin interleaves: with 3:1, "b" comes once in every four picks.
void TestPicker::testWeighted_smooth_noLongRuns()
{
    Picker picker(1);
    QString sequence;
    for (int i = 0; i < 12; ++i)
        sequence
            += picker
                   .order(QStringLiteral("g"), Strategy::Weighted, { { "a", 3, 0 }, { "b", 1, 0 } })
                   .constFirst();
    QCOMPARE(sequence.count(u'b'), 3);
    QVERIFY(!sequence.contains(QStringLiteral("aaaa")));
}

// Round-robin spreads evenly; the failover order after the pick follows the ring.
void TestPicker::testRoundRobin_even_andFailoverOrderRotates()
{
    Picker picker(1);
    const QList<PickCandidate> c { { "a", 1, 0 }, { "b", 1, 0 }, { "c", 1, 0 } };
    QCOMPARE(picker.order(QStringLiteral("g"), Strategy::RoundRobin, c),
             QStringList({ "a", "b", "c" }));
    QCOMPARE(picker.order(QStringLiteral("g"), Strategy::RoundRobin, c),
             QStringList({ "b", "c", "a" }));
    const auto counts = firstPicks(picker, Strategy::RoundRobin, c, 3000);
    QCOMPARE(counts.value("a"), 1000);
    QCOMPARE(counts.value("c"), 1000);
}

// Random picks each candidate about equally often.
void TestPicker::testRandom_roughlyUniform()
{
    Picker picker(42);
    const auto counts
        = firstPicks(picker, Strategy::Random, { { "a", 1, 0 }, { "b", 1, 0 } }, 4000);
    QVERIFY2(qAbs(counts.value("a") - 2000) < 200, qPrintable(QString::number(counts.value("a"))));
}

// Priority always starts with the first configured candidate.
void TestPicker::testPriority_alwaysConfigOrder()
{
    Picker picker(1);
    const QList<PickCandidate> c { { "x", 1, 0 }, { "y", 5, 0 } };
    for (int i = 0; i < 10; ++i)
        QCOMPARE(picker.order(QStringLiteral("g"), Strategy::Priority, c),
                 QStringList({ "x", "y" }));
}

// Least-inflight prefers the idle candidate and shares ties.
void TestPicker::testLeastInflight_lowestFirst_tiesRotate()
{
    Picker picker(1);
    QCOMPARE(picker.order(QStringLiteral("g"), Strategy::LeastInflight,
                          { { "a", 1, 5 }, { "b", 1, 0 }, { "c", 1, 2 } }),
             QStringList({ "b", "c", "a" }));
    const auto counts
        = firstPicks(picker, Strategy::LeastInflight, { { "a", 1, 0 }, { "b", 1, 0 } }, 100);
    QCOMPARE(counts.value("a"), 50);
}

QTEST_GUILESS_MAIN(TestPicker)
#include "TestPicker.moc"
