#include "FakeProvider.h"
#include "RelayTestCase.h"
#include "protocol/SseParser.h"

#include <QtTest>

using namespace relay;
using namespace relay::test;

// What the SDK matrix cannot see: the headers and paths each upstream type gets, errors and
// broken streams in the caller's format, keep-alives during silence, and key failover on
// translated upstreams. m_a runs in provider mode with one upstream of each type.
class TestRelayTranslation : public RelayTestCase
{
    Q_OBJECT
private Q_SLOTS:
    void testAnthropicUpstream_authAndVersionHeaders();
    void testGeminiUpstream_pathKeyAndBody();
    void testUpstreamError_inCallersFormat_data();
    void testUpstreamError_inCallersFormat();
    void testCutMidStream_errorInCallersFormat_data();
    void testCutMidStream_errorInCallersFormat();
    void testGeminiBadKey_otherKeyServes();
    void testAnthropicRateLimited_otherKeyServes();
    void testStreamAsked_upstreamAnsweredWhole_clientGetsAStream_data();
    void testStreamAsked_upstreamAnsweredWhole_clientGetsAStream();
    void testKeepAlive_pingsWhileUpstreamIsSilent_data();
    void testKeepAlive_pingsWhileUpstreamIsSilent();

private:
    bool startProviders(int keys = 1, const QJsonObject &extra = {});
    TestResponse *chat(const QString &model, bool stream);
    TestResponse *messages(const QString &model, bool stream,
                           QList<QPair<QByteArray, QByteArray>> extraHeaders = {});
};

bool TestRelayTranslation::startProviders(int keys, const QJsonObject &extra)
{
    m_a->setProviderMode(true);
    return m_relay->start(RelayFixture::config(RelayFixture::providerUpstreams(*m_a, keys), extra));
}

TestResponse *TestRelayTranslation::chat(const QString &model, bool stream)
{
    TestResponse *r
        = m_relay->request("POST", "/v1/chat/completions", chatBody(model, stream),
                           { { "authorization", QByteArray("Bearer ") + RelayFixture::kAccessKey },
                             { "content-type", "application/json" } });
    RelayFixture::wait(r);
    return r;
}

TestResponse *TestRelayTranslation::messages(const QString &model, bool stream,
                                             QList<QPair<QByteArray, QByteArray>> extraHeaders)
{
    const QJsonObject body {
        { "model", model },
        { "max_tokens", 64 },
        { "stream", stream },
        { "messages", QJsonArray { QJsonObject { { "role", "user" }, { "content", "hi" } } } }
    };
    extraHeaders
        += { { "x-api-key", RelayFixture::kAccessKey }, { "content-type", "application/json" } };
    TestResponse *r = m_relay->request(
        "POST", "/v1/messages", QJsonDocument(body).toJson(QJsonDocument::Compact), extraHeaders);
    RelayFixture::wait(r);
    return r;
}

// Anthropic upstreams get x-api-key, never the Authorization header; the client's own
// anthropic-version and anthropic-beta when it speaks Anthropic, 2023-06-01 otherwise.
void TestRelayTranslation::testAnthropicUpstream_authAndVersionHeaders()
{
    QVERIFY(startProviders());
    QCOMPARE(chat("anthropic-chat", false)->status, 200);
    QCOMPARE(messages("anthropic-chat", false,
                      { { "anthropic-version", "2023-01-01" },
                        { "anthropic-beta", "interleaved-thinking-2025-05-14" } })
                 ->status,
             200);
    QCOMPARE(m_a->requests().size(), 2);
    const ReceivedRequest &fromOpenAi = m_a->requests().at(0);
    QCOMPARE(fromOpenAi.path, QByteArray("/v1/messages"));
    QCOMPARE(fromOpenAi.headers.value("x-api-key"), QByteArray("sk-secret-anthropic-k1"));
    QVERIFY(!fromOpenAi.headers.contains("authorization"));
    QCOMPARE(fromOpenAi.headers.value("anthropic-version"), QByteArray("2023-06-01"));
    const ReceivedRequest &native = m_a->requests().at(1);
    QCOMPARE(native.headers.value("anthropic-version"), QByteArray("2023-01-01"));
    QCOMPARE(native.headers.value("anthropic-beta"), QByteArray("interleaved-thinking-2025-05-14"));
    QVERIFY(!native.headers.contains("authorization"));
}

// Gemini: the model in the path (after modelMap; Google's "models/" prefix is allowed), the key
// in x-goog-api-key, streams with alt=sse, and no "model" field in the body (Gemini rejects
// unknown fields).
void TestRelayTranslation::testGeminiUpstream_pathKeyAndBody()
{
    m_a->setProviderMode(true);
    QJsonArray upstreams = RelayFixture::providerUpstreams(*m_a);
    QJsonObject gemini = upstreams.at(2).toObject();
    gemini.insert("modelMap", QJsonObject { { "fast", "models/gemini-2.5-flash" } });
    upstreams.replace(2, gemini);
    QVERIFY(m_relay->start(RelayFixture::config(upstreams)));
    TestResponse *r = chat("fast", true);
    QCOMPARE(r->status, 200);
    QVERIFY2(r->body.contains("\"content\":\"Echo: hi\""), r->body.constData());
    QVERIFY(r->body.endsWith("data: [DONE]\n\n"));
    const ReceivedRequest &up = m_a->requests().at(0);
    QCOMPARE(up.path, QByteArray("/v1beta/models/gemini-2.5-flash:streamGenerateContent?alt=sse"));
    QCOMPARE(up.headers.value("x-goog-api-key"), QByteArray("sk-secret-gemini-k1"));
    QVERIFY(!up.headers.contains("authorization"));
    QVERIFY(!QJsonDocument::fromJson(up.body).object().contains("model"));
}

void TestRelayTranslation::testUpstreamError_inCallersFormat_data()
{
    QTest::addColumn<QString>("model");
    QTest::addColumn<bool>("anthropicClient");
    QTest::addColumn<QByteArray>("upstreamBody");
    const QByteArray anthropicError
        = R"({"type":"error","error":{"type":"invalid_request_error","message":"prompt is too long"}})";
    const QByteArray geminiError
        = R"({"error":{"code":400,"message":"prompt is too long","status":"INVALID_ARGUMENT"}})";
    QTest::newRow("openai client, anthropic upstream")
        << "anthropic-chat" << false << anthropicError;
    QTest::newRow("openai client, gemini upstream") << "gemini-chat" << false << geminiError;
    QTest::newRow("anthropic client, gemini upstream") << "gemini-chat" << true << geminiError;
    QTest::newRow("anthropic client, openai upstream")
        << "openai-chat" << true
        << QByteArray(
               R"({"error":{"message":"prompt is too long","type":"invalid_request_error"}})");
}

// A 400 from any upstream reaches the client in the client's own error format, message kept.
void TestRelayTranslation::testUpstreamError_inCallersFormat()
{
    QFETCH(QString, model);
    QFETCH(bool, anthropicClient);
    QFETCH(QByteArray, upstreamBody);
    QVERIFY(startProviders());
    const QByteArray key = "sk-secret-" + model.section(u'-', 0, 0).toUtf8() + "-k1";
    m_a->script(key, { Fault::httpStatus(400, upstreamBody) });
    TestResponse *r = anthropicClient ? messages(model, false) : chat(model, false);
    QCOMPARE(r->status, 400);
    const QJsonObject json = r->json();
    if (anthropicClient)
        QCOMPARE(json.value("type").toString(), QStringLiteral("error"));
    else
        QVERIFY(!json.contains("type"));
    QCOMPARE(json.value("error").toObject().value("message").toString(),
             QStringLiteral("prompt is too long"));
}

void TestRelayTranslation::testCutMidStream_errorInCallersFormat_data()
{
    QTest::addColumn<QString>("model");
    QTest::addColumn<bool>("anthropicClient");
    for (const char *model : { "openai-chat", "anthropic-chat", "gemini-chat" }) {
        QTest::addRow("openai client, %s", model) << QString::fromLatin1(model) << false;
        QTest::addRow("anthropic client, %s", model) << QString::fromLatin1(model) << true;
    }
}

// An upstream that drops the connection mid-stream: the client's stream ends with its own
// error event, never with a clean end.
void TestRelayTranslation::testCutMidStream_errorInCallersFormat()
{
    QFETCH(QString, model);
    QFETCH(bool, anthropicClient);
    QVERIFY(startProviders());
    const QByteArray key = "sk-secret-" + model.section(u'-', 0, 0).toUtf8() + "-k1";
    m_a->script(key, { Fault::of(Fault::Kind::CutMidStream, 2) });
    TestResponse *r = anthropicClient ? messages(model, true) : chat(model, true);
    QCOMPARE(r->status, 200);
    SseParser parser;
    const QList<SseEvent> events = parser.feed(r->body);
    QVERIFY(!events.isEmpty());
    const SseEvent &last = events.constLast();
    if (anthropicClient) {
        QCOMPARE(last.type, QByteArray("error"));
        QVERIFY(!r->body.contains("message_stop"));
    } else {
        QVERIFY2(QJsonDocument::fromJson(last.data).object().contains("error"),
                 last.data.constData());
        QVERIFY(!r->body.contains("[DONE]"));
    }
}

// Gemini answers a wrong key with 400 API_KEY_INVALID: the key is marked invalid and the
// request goes on with the next key.
void TestRelayTranslation::testGeminiBadKey_otherKeyServes()
{
    QVERIFY(startProviders(2, { { "strategy", "priority" } }));
    m_a->setDefaultFault(
        "sk-secret-gemini-k1",
        Fault::httpStatus(
            400,
            R"({"error":{"code":400,"message":"API key not valid. Please pass a valid API key.","status":"INVALID_ARGUMENT","details":[{"reason":"API_KEY_INVALID"}]}})"));
    TestResponse *r = chat("gemini-chat", false);
    QCOMPARE(r->status, 200);
    QCOMPARE(r->header("x-relay-key"), QByteArray("gemini-k2"));
    QCOMPARE(keyStatus("gemini-k1").value("state").toString(), QStringLiteral("invalid"));
}

// A 429 from an Anthropic upstream cools that key down and another one answers.
void TestRelayTranslation::testAnthropicRateLimited_otherKeyServes()
{
    QVERIFY(startProviders(2, { { "strategy", "priority" } }));
    m_a->script(
        "sk-secret-anthropic-k1",
        { Fault::httpStatus(
            429,
            R"({"type":"error","error":{"type":"rate_limit_error","message":"Number of requests has exceeded your rate limit"}})",
            { { "retry-after", "30" } }) });
    TestResponse *r = messages("anthropic-chat", true);
    QCOMPARE(r->status, 200);
    QVERIFY(r->body.contains("message_stop"));
    QCOMPARE(r->header("x-relay-key"), QByteArray("anthropic-k2"));
    QCOMPARE(keyStatus("anthropic-k1").value("state").toString(), QStringLiteral("cooldown"));
}

void TestRelayTranslation::testStreamAsked_upstreamAnsweredWhole_clientGetsAStream_data()
{
    QTest::addColumn<bool>("anthropicClient");
    QTest::newRow("openai client") << false;
    QTest::newRow("anthropic client") << true;
}

// Some OpenAI-compatible providers ignore "stream": true and answer with one JSON completion.
// The client asked for a stream and gets one, in its format, with the whole answer in it.
void TestRelayTranslation::testStreamAsked_upstreamAnsweredWhole_clientGetsAStream()
{
    QFETCH(bool, anthropicClient);
    QVERIFY(m_relay->start(RelayFixture::config({ RelayFixture::upstream("a", *m_a, 1) })));
    m_a->setDefaultFault(
        "sk-secret-a-k1",
        Fault::httpStatus(
            200,
            R"({"id":"chatcmpl-w","object":"chat.completion","created":1700000000,"model":"m","choices":[{"index":0,"message":{"role":"assistant","content":null,"tool_calls":[{"id":"call_w","type":"function","function":{"name":"f","arguments":"{\"a\":1}"}}]},"finish_reason":"tool_calls"}],"usage":{"prompt_tokens":4,"completion_tokens":2,"total_tokens":6}})"));
    TestResponse *r = anthropicClient ? messages("m", true) : chat("m", true);
    QCOMPARE(r->status, 200);
    QCOMPARE(r->header("content-type"), QByteArray("text/event-stream"));
    SseParser parser;
    const QList<SseEvent> events = parser.feed(r->body);
    QVERIFY(events.size() >= 3);
    if (anthropicClient) {
        QCOMPARE(events.constFirst().type, QByteArray("message_start"));
        QCOMPARE(events.constLast().type, QByteArray("message_stop"));
        QVERIFY(r->body.contains("\"name\":\"f\""));
        QVERIFY(r->body.contains("\"stop_reason\":\"tool_use\""));
    } else {
        QCOMPARE(events.constLast().data, QByteArray("[DONE]"));
        QVERIFY(r->body.contains("\"finish_reason\":\"tool_calls\""));
        QVERIFY(r->body.contains("\"arguments\":\"{\\\"a\\\":1}\""));
    }
}

void TestRelayTranslation::testKeepAlive_pingsWhileUpstreamIsSilent_data()
{
    QTest::addColumn<bool>("anthropicClient");
    QTest::addColumn<QByteArray>("keepAlive");
    QTest::newRow("anthropic client, translated") << true << QByteArray("event: ping");
    QTest::newRow("openai client, untouched") << false << QByteArray(": keep-alive");
}

// While a model thinks the upstream may send nothing for minutes; the client gets a ping
// (Anthropic) or an SSE comment (OpenAI) every keepAliveMs, so it does not time out, and the
// stream still completes.
void TestRelayTranslation::testKeepAlive_pingsWhileUpstreamIsSilent()
{
    QFETCH(bool, anthropicClient);
    QFETCH(QByteArray, keepAlive);
    QVERIFY(m_relay->start(
        RelayFixture::config({ RelayFixture::upstream("a", *m_a, 1) }, { { "keepAliveMs", 50 } })));
    m_a->setStreamShape(3, 0);
    m_a->closeGate();
    const QJsonObject body {
        { "model", "claude-x" },
        { "max_tokens", 64 },
        { "stream", true },
        { "messages", QJsonArray { QJsonObject { { "role", "user" }, { "content", "hi" } } } }
    };
    TestResponse *r = m_relay->request(
        "POST", anthropicClient ? "/v1/messages" : "/v1/chat/completions",
        QJsonDocument(body).toJson(QJsonDocument::Compact),
        { { "x-api-key", RelayFixture::kAccessKey }, { "content-type", "application/json" } });
    // (A translated Anthropic stream has one ping of its own, after message_start.)
    QTRY_VERIFY_WITH_TIMEOUT(r->body.count(keepAlive) >= 3, 10000);
    QCOMPARE(m_a->streamsWaitingAtGate(), 1);
    m_a->openGate();
    QVERIFY(RelayFixture::wait(r));
    QVERIFY(r->body.contains(anthropicClient ? "event: message_stop" : "data: [DONE]"));
}

QTEST_GUILESS_MAIN(TestRelayTranslation)
#include "TestRelayTranslation.moc"
