#include <QtTest>
class TestRelayStreaming : public QObject { Q_OBJECT };
QTEST_GUILESS_MAIN(TestRelayStreaming)
#include "TestRelayStreaming.moc"
