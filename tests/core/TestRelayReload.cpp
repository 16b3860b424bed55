#include <QtTest>
class TestRelayReload : public QObject { Q_OBJECT };
QTEST_GUILESS_MAIN(TestRelayReload)
#include "TestRelayReload.moc"
