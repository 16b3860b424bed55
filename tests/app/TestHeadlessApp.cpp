#include <QtTest>
class TestHeadlessApp : public QObject { Q_OBJECT };
QTEST_GUILESS_MAIN(TestHeadlessApp)
#include "TestHeadlessApp.moc"
