#include <QtTest>
class TestRelayFailover : public QObject { Q_OBJECT };
QTEST_GUILESS_MAIN(TestRelayFailover)
#include "TestRelayFailover.moc"
