#include "FakeProvider.h"
#include "RelayTestCase.h"
#include "protocol/SseParser.h"

#include <QtTest>

using namespace relay;
using namespace relay::test;

// The Responses API (Codex, the Vercel AI SDK, client.responses) on upstreams that do not serve
// it: chat completions only, Anthropic and Gemini. m_a runs in provider mode, so each upstream
// checks its requests the way the real API does.
class TestRelayResponses : public RelayTestCase
{
    Q_OBJECT
private Q_SLOTS:
    void testJson_translated_data();
    void testJson_translated();
    void testStream_typedEventsAndUsageCounted_data();
    void testStream_typedEventsAndUsageCounted();
    void testToolRoundTrip_data();
    void testToolRoundTrip();
    void testStoredState_400InOpenAiFormat();
    void testBadRequests_400NamingTheField_data();
    void testBadRequests_400NamingTheField();

private:
    static constexpr auto kAdminKey = "admin-key-for-tests-0123456789";
    static void addUpstreamRows();
    bool startProviders();
    TestResponse *responses(const QJsonObject &body);
    QJsonObject lastLogged();
};

void TestRelayResponses::addUpstreamRows()
{
    QTest::addColumn<QString>("model");
    QTest::addColumn<QByteArray>("upstreamPath");
    QTest::newRow("chat-completions") << "openai-chat" << QByteArray("/v1/chat/completions");
    QTest::newRow("anthropic") << "anthropic-chat" << QByteArray("/v1/messages");
    QTest::newRow("gemini") << "gemini-chat"
                            << QByteArray("/v1beta/models/gemini-chat:generateContent");
}

bool TestRelayResponses::startProviders()
{
    m_a->setProviderMode(true);
    return m_relay->start(RelayFixture::config(RelayFixture::providerUpstreams(*m_a),
                                               { { "adminKey", QString::fromLatin1(kAdminKey) } }));
}

TestResponse *TestRelayResponses::responses(const QJsonObject &body)
{
    TestResponse *r
        = m_relay->request("POST", "/v1/responses", QJsonDocument(body).toJson(),
                           { { "authorization", QByteArray("Bearer ") + RelayFixture::kAccessKey },
                             { "content-type", "application/json" } });
    RelayFixture::wait(r);
    return r;
}

// The newest entry of the request log, once the store has it.
QJsonObject TestRelayResponses::lastLogged()
{
    QJsonObject entry;
    const auto poll = [&] {
        TestResponse *r
            = m_relay->request("GET", "/admin/requests?limit=1", {},
                               { { "Authorization", QByteArray("Bearer ") + kAdminKey } });
        RelayFixture::wait(r);
        entry = r->json().value("entries").toArray().at(0).toObject();
        return !entry.isEmpty();
    };
    [&] { QTRY_VERIFY(poll()); }();
    return entry;
}

void TestRelayResponses::testJson_translated_data()
{
    addUpstreamRows();
}

// A whole answer: instructions reach the upstream as its system prompt, the client gets a
// response object with the upstream's text and usage in Responses terms.
void TestRelayResponses::testJson_translated()
{
    QFETCH(QString, model);
    QFETCH(QByteArray, upstreamPath);
    QVERIFY(startProviders());
    TestResponse *r = responses({ { "model", model },
                                  { "instructions", "Be brief." },
                                  { "input", "hi" },
                                  { "store", false },
                                  { "max_output_tokens", 64 } });
    QCOMPARE(r->status, 200);
    const QJsonObject response = r->json();
    QCOMPARE(response.value("object").toString(), QStringLiteral("response"));
    QCOMPARE(response.value("status").toString(), QStringLiteral("completed"));
    QCOMPARE(response.value("model").toString(), model);
    QCOMPARE(response.value("instructions").toString(), QStringLiteral("Be brief."));
    QVERIFY(response.value("id").toString().startsWith(u"resp_"));
    const QJsonArray output = response.value("output").toArray();
    QCOMPARE(output.size(), 1);
    const QJsonObject message = output.at(0).toObject();
    QCOMPARE(message.value("type").toString(), QStringLiteral("message"));
    QCOMPARE(message.value("role").toString(), QStringLiteral("assistant"));
    QCOMPARE(message.value("content").toArray().at(0).toObject().value("text").toString(),
             QStringLiteral("Echo: hi"));
    const QJsonObject usage = response.value("usage").toObject();
    QCOMPARE(usage.value("input_tokens").toInt(), 11);
    QCOMPARE(usage.value("output_tokens").toInt(), 7);
    QCOMPARE(usage.value("total_tokens").toInt(), 18);

    QCOMPARE(m_a->requests().size(), 1);
    const ReceivedRequest &up = m_a->requests().at(0);
    QCOMPARE(up.path, upstreamPath);
    QVERIFY2(up.body.contains("Be brief."), up.body.constData());
    QVERIFY2(!up.body.contains("\"instructions\"") && !up.body.contains("max_output_tokens"),
             up.body.constData());
}

void TestRelayResponses::testStream_typedEventsAndUsageCounted_data()
{
    addUpstreamRows();
}

// A stream: response.created first, response.completed last with the usage, every event named
// by its type and numbered in order; the request log counts the tokens (it used to log 0).
void TestRelayResponses::testStream_typedEventsAndUsageCounted()
{
    QFETCH(QString, model);
    QVERIFY(startProviders());
    TestResponse *r = responses({ { "model", model }, { "input", "hi" }, { "stream", true } });
    QCOMPARE(r->status, 200);
    QCOMPARE(r->header("content-type"), QByteArray("text/event-stream"));
    SseParser parser;
    const QList<SseEvent> events = parser.feed(r->body);
    QVERIFY(events.size() >= 6);
    QString text;
    QJsonObject completed;
    for (qsizetype i = 0; i < events.size(); ++i) {
        const QJsonObject data = QJsonDocument::fromJson(events.at(i).data).object();
        QCOMPARE(data.value("type").toString().toUtf8(), events.at(i).type);
        QCOMPARE(data.value("sequence_number").toInt(-1), int(i));
        if (events.at(i).type == "response.output_text.delta")
            text += data.value("delta").toString();
        if (events.at(i).type == "response.completed")
            completed = data.value("response").toObject();
    }
    QCOMPARE(events.first().type, QByteArray("response.created"));
    QCOMPARE(events.last().type, QByteArray("response.completed"));
    QCOMPARE(text, QStringLiteral("Echo: hi"));
    QCOMPARE(completed.value("status").toString(), QStringLiteral("completed"));
    QCOMPARE(completed.value("output")
                 .toArray()
                 .at(0)
                 .toObject()
                 .value("content")
                 .toArray()
                 .at(0)
                 .toObject()
                 .value("text")
                 .toString(),
             QStringLiteral("Echo: hi"));
    QCOMPARE(completed.value("usage").toObject().value("output_tokens").toInt(), 7);

    const QJsonObject logged = lastLogged();
    QCOMPARE(logged.value("model").toString(), model);
    QCOMPARE(logged.value("tokensIn").toInt(), 11);
    QCOMPARE(logged.value("tokensOut").toInt(), 7);
}

void TestRelayResponses::testToolRoundTrip_data()
{
    addUpstreamRows();
}

// The agent loop Codex runs: a function tool, the model calls it, the client sends the call and
// its output back as input items, and the model answers from the output. Anthropic and Gemini
// check that the result answers the call.
void TestRelayResponses::testToolRoundTrip()
{
    QFETCH(QString, model);
    QVERIFY(startProviders());
    const QJsonArray tools { QJsonObject {
        { "type", "function" },
        { "name", "get_weather" },
        { "description", "Weather of a city" },
        { "parameters",
          QJsonObject {
              { "type", "object" },
              { "properties",
                QJsonObject { { "query", QJsonObject { { "type", "string" } } } } } } } } };
    const QJsonObject ask {
        { "type", "message" },
        { "role", "user" },
        { "content",
          QJsonArray { QJsonObject { { "type", "input_text" }, { "text", "Weather in Paris?" } } } }
    };
    TestResponse *first
        = responses({ { "model", model }, { "tools", tools }, { "input", QJsonArray { ask } } });
    QCOMPARE(first->status, 200);
    const QJsonArray output = first->json().value("output").toArray();
    QJsonObject call;
    for (const QJsonValue &item : output)
        if (item.toObject().value("type").toString() == u"function_call")
            call = item.toObject();
    QVERIFY2(!call.isEmpty(), first->body.constData());
    QCOMPARE(call.value("name").toString(), QStringLiteral("get_weather"));
    QCOMPARE(QJsonDocument::fromJson(call.value("arguments").toString().toUtf8()).object(),
             (QJsonObject { { "query", "Weather in Paris?" } }));
    const QString callId = call.value("call_id").toString();
    QVERIFY(!callId.isEmpty());
    QCOMPARE(first->json().value("status").toString(), QStringLiteral("completed"));

    QJsonArray input { ask };
    for (const QJsonValue &item : output)
        input.append(item);
    input.append(QJsonObject {
        { "type", "function_call_output" }, { "call_id", callId }, { "output", "Sunny, 21 C" } });
    TestResponse *second = responses(
        { { "model", model }, { "tools", tools }, { "input", input }, { "stream", true } });
    QCOMPARE(second->status, 200);
    QVERIFY2(second->body.contains("event: response.completed"), second->body.constData());
    // Gemini's functionResponse wraps a text output as {"result": ...}, which its model sees.
    QVERIFY2(second->body.contains("\"delta\":\"Tool said: ")
                 && second->body.contains("Sunny, 21 C"),
             second->body.constData());
    QCOMPARE(m_a->requests().size(), 2);
}

// previous_response_id and conversation point at state kept by OpenAI: a translated upstream
// cannot honour them, so the client hears why (in OpenAI's format) and nothing is sent.
void TestRelayResponses::testStoredState_400InOpenAiFormat()
{
    QVERIFY(startProviders());
    for (const char *field : { "previous_response_id", "conversation" }) {
        TestResponse *r
            = responses({ { "model", "anthropic-chat" }, { QLatin1String(field), "resp_123" } });
        QCOMPARE(r->status, 400);
        const QJsonObject error = r->json().value("error").toObject();
        QCOMPARE(error.value("type").toString(), QStringLiteral("invalid_request_error"));
        const QString message = error.value("message").toString();
        QVERIFY2(message.contains(QString::fromLatin1(field)
                                  + QStringLiteral(": refers to state kept at OpenAI")),
                 r->body.constData());
        QVERIFY2(!message.contains(u"input:"), r->body.constData()); // no noise about the rest
        QVERIFY2(error.value("message").toString().contains(u"\"responsesApi\": true"),
                 r->body.constData());
    }
    QCOMPARE(m_a->requests().size(), 0);
}

void TestRelayResponses::testBadRequests_400NamingTheField_data()
{
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<QString>("named");
    QTest::newRow("input-number") << QByteArray(R"({"model":"openai-chat","input":5})")
                                  << "\"input\"";
    QTest::newRow("hosted-tool") << QByteArray(
        R"({"model":"openai-chat","input":"hi","tools":[{"type":"file_search"}]})")
                                 << "tools[0].type";
    QTest::newRow("item-reference")
        << QByteArray(R"({"model":"gemini-chat","input":[{"type":"item_reference","id":"x"}]})")
        << "input[0]";
    QTest::newRow("no-model") << QByteArray(R"({"input":"hi"})") << "\"model\"";
    QTest::newRow("not-json") << QByteArray(R"({"model":)") << "JSON";
}

void TestRelayResponses::testBadRequests_400NamingTheField()
{
    QFETCH(QByteArray, body);
    QFETCH(QString, named);
    QVERIFY(startProviders());
    TestResponse *r = m_relay->request(
        "POST", "/v1/responses", body,
        { { "authorization", QByteArray("Bearer ") + RelayFixture::kAccessKey } });
    RelayFixture::wait(r);
    QCOMPARE(r->status, 400);
    const QString message = r->json().value("error").toObject().value("message").toString();
    QVERIFY2(message.contains(named), qPrintable(message));
    QCOMPARE(m_a->requests().size(), 0);
}

QTEST_GUILESS_MAIN(TestRelayResponses)
#include "TestRelayResponses.moc"
