#include <QtTest>
class TestRelayPassthrough : public QObject { Q_OBJECT };
QTEST_GUILESS_MAIN(TestRelayPassthrough)
#include "TestRelayPassthrough.moc"
