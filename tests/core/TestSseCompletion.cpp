#include "relay/SseCompletion.h"

#include <QtTest>

using namespace relay;

class TestSseCompletion : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void testFinished_data();
    void testFinished();
};

void TestSseCompletion::testFinished_data()
{
    QTest::addColumn<QByteArray>("text");
    QTest::addColumn<bool>("finished");
    QTest::newRow("done") << QByteArray("data: [DONE]\n\n") << true;
    QTest::newRow("finish stop") << QByteArray(
        R"(data: {"choices":[{"delta":{},"finish_reason":"stop"}]})")
                                 << true;
    QTest::newRow("finish spaced")
        << QByteArray(R"(data: {"choices":[{"finish_reason" : "length"}]})") << true;
    QTest::newRow("finish null") << QByteArray(
        R"(data: {"choices":[{"delta":{"content":"x"},"finish_reason":null}]})")
                                 << false;
    QTest::newRow("null then stop")
        << QByteArray(R"({"finish_reason":null} {"finish_reason":"tool_calls"})") << true;
    QTest::newRow("content chunk")
        << QByteArray(R"(data: {"choices":[{"delta":{"content":"[DON"}}]})") << false;
    QTest::newRow("cut key") << QByteArray(R"(data: {"choices":[{"finish_reason)") << false;
    QTest::newRow("empty") << QByteArray() << false;
}

// Only an explicit end marker counts as a finished chat stream.
void TestSseCompletion::testFinished()
{
    QFETCH(QByteArray, text);
    QFETCH(bool, finished);
    QCOMPARE(sseSaysFinished(std::string_view(text.constData(), size_t(text.size()))), finished);
}

QTEST_GUILESS_MAIN(TestSseCompletion)
#include "TestSseCompletion.moc"
