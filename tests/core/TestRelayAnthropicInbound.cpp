#include "RelayTestCase.h"
#include "protocol/SseParser.h"

#include <QtTest>

using namespace relay;
using namespace relay::test;

// Anthropic Messages clients (Claude Code, @anthropic-ai/sdk) through an OpenAI-format upstream.
class TestRelayAnthropicInbound : public RelayTestCase
{
    Q_OBJECT
private Q_SLOTS:
    void testMessages_json_translatedBothWays();
    void testMessages_stream_anthropicEvents();
    void testMessages_invalidRequest_400InAnthropicFormat();
    void testMessages_midConversationSystem_keptInPlace();
    void testMessages_noAccessKey_401InAnthropicFormat();
    void testMessages_upstream400_anthropicError();
    void testMessages_allKeysRateLimited_429WithRetryAfter();
    void testMessages_cutMidStream_errorEvent();
    void testCountTokens_estimate();

private:
    TestResponse *messages(const QByteArray &body,
                           QList<QPair<QByteArray, QByteArray>> headers = {});
    static QByteArray body(bool stream);
    bool startWithOneUpstream(int keys = 1);
};

QByteArray TestRelayAnthropicInbound::body(bool stream)
{
    QJsonObject b { { "model", "claude-x" },
                    { "max_tokens", 256 },
                    { "system", "Be brief." },
                    { "messages",
                      QJsonArray { QJsonObject { { "role", "user" }, { "content", "Hi" } } } } };
    if (stream)
        b.insert("stream", true);
    return QJsonDocument(b).toJson(QJsonDocument::Compact);
}

TestResponse *TestRelayAnthropicInbound::messages(const QByteArray &payload,
                                                  QList<QPair<QByteArray, QByteArray>> headers)
{
    if (headers.isEmpty())
        headers
            = { { "x-api-key", RelayFixture::kAccessKey }, { "anthropic-version", "2023-06-01" } };
    TestResponse *r = m_relay->request("POST", "/v1/messages", payload, headers);
    RelayFixture::wait(r);
    return r;
}

bool TestRelayAnthropicInbound::startWithOneUpstream(int keys)
{
    return m_relay->start(RelayFixture::config({ RelayFixture::upstream(
        "a", *m_a, keys, { { "modelMap", QJsonObject { { "claude-x", "deepseek-chat" } } } }) }));
}

// A whole answer: the upstream gets an OpenAI request, the client an Anthropic message.
void TestRelayAnthropicInbound::testMessages_json_translatedBothWays()
{
    QVERIFY(startWithOneUpstream());
    TestResponse *r = messages(body(false));
    QCOMPARE(r->status, 200);
    const QJsonObject m = r->json();
    QCOMPARE(m.value("type").toString(), QStringLiteral("message"));
    QCOMPARE(m.value("model").toString(), QStringLiteral("claude-x"));
    QCOMPARE(m.value("content").toArray().at(0).toObject().value("text").toString(),
             QStringLiteral("Hello from A"));
    QCOMPARE(m.value("stop_reason").toString(), QStringLiteral("end_turn"));
    QCOMPARE(m.value("usage").toObject().value("input_tokens").toInt(), 5);
    QCOMPARE(m.value("usage").toObject().value("output_tokens").toInt(), 3);

    QCOMPARE(m_a->requests().size(), 1);
    const ReceivedRequest &up = m_a->requests().at(0);
    QCOMPARE(up.path, QByteArray("/v1/chat/completions"));
    QCOMPARE(up.key, QByteArray("sk-secret-a-k1"));
    const QJsonObject sent = QJsonDocument::fromJson(up.body).object();
    QCOMPARE(sent.value("model").toString(), QStringLiteral("deepseek-chat"));
    QCOMPARE(sent.value("messages").toArray().at(0).toObject().value("role").toString(),
             QStringLiteral("system"));
    QCOMPARE(sent.value("max_tokens").toInt(), 256);
}

// A stream arrives as Anthropic's event sequence, built as the upstream's chunks come.
void TestRelayAnthropicInbound::testMessages_stream_anthropicEvents()
{
    QVERIFY(startWithOneUpstream());
    m_a->setStreamShape(3, 0);
    TestResponse *r = messages(body(true));
    QCOMPARE(r->status, 200);
    QCOMPARE(r->header("content-type"), QByteArray("text/event-stream"));
    SseParser parser;
    QByteArrayList types;
    QString text;
    for (const SseEvent &e : parser.feed(r->body)) {
        types.append(e.type);
        const QJsonObject data = QJsonDocument::fromJson(e.data).object();
        QCOMPARE(data.value("type").toString().toUtf8(), e.type);
        text += data.value("delta").toObject().value("text").toString();
        if (e.type == "message_delta")
            QCOMPARE(data.value("delta").toObject().value("stop_reason").toString(),
                     QStringLiteral("end_turn"));
    }
    QCOMPARE(types,
             QByteArrayList({ "message_start", "ping", "content_block_start", "content_block_delta",
                              "content_block_delta", "content_block_delta", "content_block_stop",
                              "message_delta", "message_stop" }));
    QCOMPARE(text, QStringLiteral("tok0 tok1 tok2 "));
    const QJsonObject sent = QJsonDocument::fromJson(m_a->requests().at(0).body).object();
    QVERIFY(sent.value("stream").toBool());
    QVERIFY(sent.value("stream_options").toObject().value("include_usage").toBool());
}

// Claude Code 2.x sends {"role":"system"} among the messages: relayed as an OpenAI system message
// in the same place. A role nobody knows gets Anthropic's words, which Claude Code looks for.
void TestRelayAnthropicInbound::testMessages_midConversationSystem_keptInPlace()
{
    QVERIFY(startWithOneUpstream());
    TestResponse *r = messages(R"({"model":"claude-x","max_tokens":64,"messages":[
        {"role":"user","content":"Hi"},{"role":"assistant","content":"Hello"},
        {"role":"system","content":[{"type":"text","text":"Plan mode.",
          "cache_control":{"type":"ephemeral"}}]},
        {"role":"user","content":"Go on"}]})");
    QCOMPARE(r->status, 200);
    const QJsonArray sent
        = QJsonDocument::fromJson(m_a->requests().at(0).body).object().value("messages").toArray();
    QCOMPARE(sent.size(), 4);
    QCOMPARE(sent.at(2).toObject(),
             (QJsonObject { { "role", "system" }, { "content", "Plan mode." } }));

    TestResponse *unknown = messages(R"({"model":"claude-x","max_tokens":64,"messages":[
        {"role":"user","content":"Hi"},{"role":"function","content":"x"}]})");
    QCOMPARE(unknown->status, 400);
    const QJsonObject error = unknown->json().value("error").toObject();
    QCOMPARE(error.value("type").toString(), QStringLiteral("invalid_request_error"));
    QVERIFY2(error.value("message").toString().contains(u"Unexpected role \"function\""),
             qPrintable(error.value("message").toString()));
    QCOMPARE(m_a->requests().size(), 1);
}

// Problems in the request are reported the way Anthropic reports them, before any upstream call.
void TestRelayAnthropicInbound::testMessages_invalidRequest_400InAnthropicFormat()
{
    QVERIFY(startWithOneUpstream());
    TestResponse *r
        = messages(R"({"model":"claude-x","messages":[{"role":"user","content":"Hi"}]})");
    QCOMPARE(r->status, 400);
    QCOMPARE(r->json().value("type").toString(), QStringLiteral("error"));
    const QJsonObject error = r->json().value("error").toObject();
    QCOMPARE(error.value("type").toString(), QStringLiteral("invalid_request_error"));
    QVERIFY(error.value("message").toString().contains(QStringLiteral("max_tokens")));
    TestResponse *garbage = messages("{\"model\": ");
    QCOMPARE(garbage->status, 400);
    QVERIFY(garbage->json().value("error").toObject().value("message").toString().contains(
        QStringLiteral("not valid JSON")));
    QCOMPARE(m_a->requests().size(), 0);
}

void TestRelayAnthropicInbound::testMessages_noAccessKey_401InAnthropicFormat()
{
    QVERIFY(startWithOneUpstream());
    TestResponse *r
        = messages(body(false), { { "anthropic-version", "2023-06-01" }, { "x-api-key", "" } });
    QCOMPARE(r->status, 401);
    QCOMPARE(r->json().value("error").toObject().value("type").toString(),
             QStringLiteral("authentication_error"));
}

// An upstream's own 400 keeps its status and message, in Anthropic's shape.
void TestRelayAnthropicInbound::testMessages_upstream400_anthropicError()
{
    QVERIFY(startWithOneUpstream());
    m_a->script(
        "sk-secret-a-k1",
        { Fault::httpStatus(
            400, R"({"error":{"message":"context too long","type":"invalid_request_error"}})") });
    TestResponse *r = messages(body(false));
    QCOMPARE(r->status, 400);
    QCOMPARE(r->json().value("type").toString(), QStringLiteral("error"));
    QCOMPARE(r->json().value("error").toObject().value("message").toString(),
             QStringLiteral("context too long"));
}

void TestRelayAnthropicInbound::testMessages_allKeysRateLimited_429WithRetryAfter()
{
    QVERIFY(startWithOneUpstream(2));
    m_a->script("sk-secret-a-k1", { Fault::rateLimited("30") });
    m_a->script("sk-secret-a-k2", { Fault::rateLimited("30") });
    TestResponse *r = messages(body(false));
    QCOMPARE(r->status, 429);
    QVERIFY(r->header("retry-after").toInt() >= 29);
    QCOMPARE(r->json().value("error").toObject().value("type").toString(),
             QStringLiteral("rate_limit_error"));
}

// A cut after the stream began ends with Anthropic's error event, not silence.
void TestRelayAnthropicInbound::testMessages_cutMidStream_errorEvent()
{
    QVERIFY(startWithOneUpstream());
    m_a->script("sk-secret-a-k1", { Fault::of(Fault::Kind::CutMidStream, 2) });
    TestResponse *r = messages(body(true));
    QCOMPARE(r->status, 200);
    QVERIFY(!r->connectionLost);
    SseParser parser;
    const QList<SseEvent> events = parser.feed(r->body);
    QVERIFY(events.size() >= 4);
    QCOMPARE(events.constLast().type, QByteArray("error"));
    QCOMPARE(QJsonDocument::fromJson(events.constLast().data)
                 .object()
                 .value("error")
                 .toObject()
                 .value("type")
                 .toString(),
             QStringLiteral("api_error"));
    QVERIFY(!r->body.contains("message_stop"));
}

void TestRelayAnthropicInbound::testCountTokens_estimate()
{
    QVERIFY(startWithOneUpstream());
    TestResponse *r = m_relay->request("POST", "/v1/messages/count_tokens", body(false),
                                       { { "x-api-key", RelayFixture::kAccessKey } });
    QVERIFY(RelayFixture::wait(r));
    QCOMPARE(r->status, 200);
    const int tokens = r->json().value("input_tokens").toInt();
    QVERIFY(tokens > 10 && tokens < 40);
    QCOMPARE(m_a->requests().size(), 0);
}

QTEST_GUILESS_MAIN(TestRelayAnthropicInbound)
#include "TestRelayAnthropicInbound.moc"
