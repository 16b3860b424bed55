#include "RelayTestCase.h"
#include "relay/TraitRouter.h"

#include <QtTest>

using namespace relay;
using namespace relay::test;

class TestRelayRouting : public RelayTestCase
{
    Q_OBJECT
private Q_SLOTS:
    void testHealth_noAuthNeeded();
    void testAuth_bearerAndXApiKey_accepted();
    void testAuth_missing_401SaysWhichHeader();
    void testAuth_wrongKey_401();
    void testModels_unionOfModelsAndAliases();
    void testModels_upstreamWithoutList_providersOwnListCached();
    void testRouting_modelAndAliasMapping();
    void testRouting_unknownModel_404InOpenAiFormat();
    void testRouting_badRequests_400_data();
    void testRouting_badRequests_400();
    void testRouting_roundRobinKeys_even();
    void testRouting_weightedUpstreams_threeToOne();
    void testRouting_priorityTiers_lowerTierFirst();
    void testRouting_priorityStrategy_firstHealthy();
    void testRouting_noUpstream_503();
    void testRouting_passthroughOnlyToOpenAiType_404();
    void testRoutes_byTrait_data();
    void testRoutes_byTrait();
    void testRoutes_pinnedUpstreamNotServing_404();
    void testRoutes_inputEstimate_leavesOutInlineData();
};

// /health answers without the access key, for monitors.
void TestRelayRouting::testHealth_noAuthNeeded()
{
    QVERIFY(m_relay->start(RelayFixture::config({})));
    TestResponse *r = m_relay->request("GET", "/health", {}, { { "X-None", "1" } });
    QVERIFY(RelayFixture::wait(r));
    QCOMPARE(r->status, 200);
}

// Both header styles clients use carry the access key.
void TestRelayRouting::testAuth_bearerAndXApiKey_accepted()
{
    QVERIFY(m_relay->start(RelayFixture::config({ RelayFixture::upstream("a", *m_a, 1) })));
    TestResponse *bearer = m_relay->request("POST", "/v1/chat/completions", chatBody("m", false));
    TestResponse *xApiKey = m_relay->request("POST", "/v1/chat/completions", chatBody("m", false),
                                             { { "x-api-key", RelayFixture::kAccessKey } });
    QVERIFY(RelayFixture::wait(bearer));
    QVERIFY(RelayFixture::wait(xApiKey));
    QCOMPARE(bearer->status, 200);
    QCOMPARE(xApiKey->status, 200);
    QCOMPARE(m_a->requests().size(), 2);
    // The upstream sees its own key, never the access key.
    QCOMPARE(m_a->requests().at(1).key, QByteArray("sk-secret-a-k1"));
}

// Without a key the 401 says which header to set.
void TestRelayRouting::testAuth_missing_401SaysWhichHeader()
{
    QVERIFY(m_relay->start(RelayFixture::config({ RelayFixture::upstream("a", *m_a, 1) })));
    TestResponse *r = m_relay->request("POST", "/v1/chat/completions", chatBody("m", false),
                                       { { "Authorization", "" } });
    QVERIFY(RelayFixture::wait(r));
    QCOMPARE(r->status, 401);
    const QJsonObject error = r->json().value("error").toObject();
    QCOMPARE(error.value("type").toString(), QStringLiteral("authentication_error"));
    QVERIFY(error.value("message").toString().contains(QStringLiteral("Authorization: Bearer")));
    QVERIFY(error.value("message").toString().contains(QStringLiteral("x-api-key")));
    QCOMPARE(m_a->requests().size(), 0);
}

// A wrong key, in either header, is refused and never forwarded.
void TestRelayRouting::testAuth_wrongKey_401()
{
    QVERIFY(m_relay->start(RelayFixture::config({ RelayFixture::upstream("a", *m_a, 1) })));
    TestResponse *bearer
        = m_relay->request("POST", "/v1/chat/completions", chatBody("m", false),
                           { { "Authorization", "Bearer test-access-key-0123456788" } });
    TestResponse *header = m_relay->request("GET", "/v1/models", {}, { { "x-api-key", "nope" } });
    QVERIFY(RelayFixture::wait(bearer));
    QVERIFY(RelayFixture::wait(header));
    QCOMPARE(bearer->status, 401);
    QCOMPARE(header->status, 401);
    QVERIFY(bearer->json().value("error").toObject().value("message").toString().contains(
        QStringLiteral("wrong")));
    QCOMPARE(m_a->requests().size(), 0);
}

// /v1/models lists exact model names and aliases of enabled upstreams, in OpenAI's format.
void TestRelayRouting::testModels_unionOfModelsAndAliases()
{
    QVERIFY(m_relay->start(RelayFixture::config(
        { RelayFixture::upstream("a", *m_a, 1,
                                 { { "models", QJsonArray { "gpt-4o", "gpt-4o-*" } } }),
          RelayFixture::upstream("b", *m_b, 1,
                                 { { "models", QJsonArray { "glm-4", "gpt-4o" } },
                                   { "modelMap", QJsonObject { { "fast", "glm-4-flash" } } } }),
          RelayFixture::upstream(
              "c", *m_b, 1, { { "enabled", false }, { "models", QJsonArray { "hidden" } } }) })));
    TestResponse *r = m_relay->request("GET", "/v1/models");
    QVERIFY(RelayFixture::wait(r));
    QCOMPARE(r->status, 200);
    QCOMPARE(r->json().value("object").toString(), QStringLiteral("list"));
    QStringList ids;
    for (const QJsonValue &m : r->json().value("data").toArray()) {
        QCOMPARE(m.toObject().value("object").toString(), QStringLiteral("model"));
        ids.append(m.toObject().value("id").toString());
    }
    QCOMPARE(ids, QStringList({ "fast", "glm-4", "gpt-4o" }));
}

// An upstream that names no models (quick start) or only patterns contributes its provider's
// own list, fetched once when a client first asks, in both list shapes; a provider that cannot
// list leaves the rest of the answer as it is and is asked again only after a minute.
void TestRelayRouting::testModels_upstreamWithoutList_providersOwnListCached()
{
    QVERIFY(m_relay->start(RelayFixture::config(
        { RelayFixture::upstream("a", *m_a, 1,
                                 { { "modelMap", QJsonObject { { "fast", "up-two" } } } }),
          RelayFixture::upstream("b", *m_b, 1, { { "models", QJsonArray { "glm-*" } } }),
          RelayFixture::upstream("c", *m_b, 1, { { "models", QJsonArray { "named" } } }) })));
    m_a->script("sk-secret-a-k1",
                { Fault::httpStatus(200, R"({"data":[{"id":"up-two"},{"id":"up-one"}]})") });
    m_b->script("sk-secret-b-k1", { Fault::httpStatus(500, R"({"error":"down"})") });
    auto ids = [this](const QByteArray &anthropicVersion) {
        QList<QPair<QByteArray, QByteArray>> headers;
        if (!anthropicVersion.isEmpty())
            headers.append({ "anthropic-version", anthropicVersion });
        TestResponse *r = m_relay->request("GET", "/v1/models", {}, headers);
        QStringList out;
        if (!RelayFixture::wait(r) || r->status != 200)
            return QStringList { QStringLiteral("failed") };
        for (const QJsonValue &m : r->json().value("data").toArray())
            out.append(m.toObject().value("id").toString());
        return out;
    };
    QCOMPARE(ids({}), QStringList({ "fast", "named", "up-one", "up-two" }));
    QCOMPARE(m_a->requests().size(), 1);
    QCOMPARE(m_a->requests().at(0).path, QByteArray("/v1/models"));
    QCOMPARE(m_b->requests().size(), 1); // "b" failed; "c" names its model and is not asked
    QCOMPARE(ids("2023-06-01"), QStringList({ "fast", "named", "up-one", "up-two" }));
    QCOMPARE(m_a->requests().size(), 1); // cached
    QCOMPARE(m_b->requests().size(), 1); // not asked again so soon
}

// Requests go to the upstream serving the model; aliases are rewritten to the upstream's name.
void TestRelayRouting::testRouting_modelAndAliasMapping()
{
    QVERIFY(m_relay->start(RelayFixture::config(
        { RelayFixture::upstream("a", *m_a, 1, { { "models", QJsonArray { "gpt-4o" } } }),
          RelayFixture::upstream(
              "b", *m_b, 1,
              { { "models", QJsonArray { "glm-*" } },
                { "modelMap", QJsonObject { { "fast", "glm-4-flash" } } } }) })));
    TestResponse *toA = m_relay->chatAndWait("gpt-4o");
    TestResponse *toB = m_relay->chatAndWait("glm-4-air");
    TestResponse *alias = m_relay->chatAndWait("fast");
    QCOMPARE(toA->status, 200);
    QCOMPARE(toB->status, 200);
    QCOMPARE(alias->status, 200);
    QCOMPARE(m_a->requests().size(), 1);
    QCOMPARE(m_b->requests().size(), 2);
    const QJsonObject forwarded = QJsonDocument::fromJson(m_b->requests().at(1).body).object();
    QCOMPARE(forwarded.value("model").toString(), QStringLiteral("glm-4-flash"));
    QCOMPARE(forwarded.value("messages").toArray().size(), 1);
    QCOMPARE(alias->header("x-relay-upstream"), QByteArray("b"));
}

// An unknown model is a 404 in OpenAI's error format, pointing at /v1/models.
void TestRelayRouting::testRouting_unknownModel_404InOpenAiFormat()
{
    QVERIFY(m_relay->start(RelayFixture::config(
        { RelayFixture::upstream("a", *m_a, 1, { { "models", QJsonArray { "gpt-4o" } } }) })));
    TestResponse *r = m_relay->chatAndWait("no-such-model");
    QCOMPARE(r->status, 404);
    const QJsonObject error = r->json().value("error").toObject();
    QCOMPARE(error.value("code").toString(), QStringLiteral("model_not_found"));
    QCOMPARE(error.value("type").toString(), QStringLiteral("invalid_request_error"));
    QVERIFY(error.value("message").toString().contains(QStringLiteral("/v1/models")));
    QCOMPARE(m_a->requests().size(), 0);
}

void TestRelayRouting::testRouting_badRequests_400_data()
{
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<QString>("code");
    QTest::newRow("malformed json") << QByteArray("{\"model\": ") << QStringLiteral("invalid_json");
    QTest::newRow("array") << QByteArray("[1,2]") << QStringLiteral("invalid_json");
    QTest::newRow("no model") << QByteArray(R"({"messages":[]})")
                              << QStringLiteral("missing_model");
    QTest::newRow("model number") << QByteArray(R"({"model":5,"messages":[]})")
                                  << QStringLiteral("missing_model");
    QTest::newRow("messages object")
        << QByteArray(R"({"model":"m","messages":{}})") << QStringLiteral("invalid_messages");
    QTest::newRow("stream string") << QByteArray(R"({"model":"m","messages":[],"stream":"yes"})")
                                   << QStringLiteral("invalid_stream");
}

// Malformed requests get a 400 that names the problem, and never reach an upstream.
void TestRelayRouting::testRouting_badRequests_400()
{
    QFETCH(QByteArray, body);
    QFETCH(QString, code);
    QVERIFY(m_relay->start(RelayFixture::config({ RelayFixture::upstream("a", *m_a, 1) })));
    TestResponse *r = m_relay->request("POST", "/v1/chat/completions", body);
    QVERIFY(RelayFixture::wait(r));
    QCOMPARE(r->status, 400);
    QCOMPARE(r->json().value("error").toObject().value("code").toString(), code);
    QCOMPARE(m_a->requests().size(), 0);
}

// Round-robin over three keys: each gets exactly a third.
void TestRelayRouting::testRouting_roundRobinKeys_even()
{
    QVERIFY(m_relay->start(RelayFixture::config({ RelayFixture::upstream("a", *m_a, 3) })));
    for (int i = 0; i < 30; ++i)
        QCOMPARE(m_relay->chatAndWait("m")->status, 200);
    const QList<QByteArray> keys = m_a->keysUsed();
    QCOMPARE(keys.count("sk-secret-a-k1"), 10);
    QCOMPARE(keys.count("sk-secret-a-k2"), 10);
    QCOMPARE(keys.count("sk-secret-a-k3"), 10);
}

// Weighted 3:1 between two upstreams over real requests.
void TestRelayRouting::testRouting_weightedUpstreams_threeToOne()
{
    QVERIFY(m_relay->start(
        RelayFixture::config({ RelayFixture::upstream("a", *m_a, 1, { { "weight", 3 } }),
                               RelayFixture::upstream("b", *m_b, 1, { { "weight", 1 } }) },
                             { { "strategy", "weighted" } })));
    for (int i = 0; i < 400; ++i)
        QCOMPARE(m_relay->chatAndWait("m")->status, 200);
    QVERIFY2(qAbs(m_a->requests().size() - 300) <= 12,
             qPrintable(QString::number(m_a->requests().size())));
    QCOMPARE(m_a->requests().size() + m_b->requests().size(), 400);
}

// Tier 0 takes everything while healthy; tier 1 only when tier 0 cannot answer.
void TestRelayRouting::testRouting_priorityTiers_lowerTierFirst()
{
    QVERIFY(m_relay->start(
        RelayFixture::config({ RelayFixture::upstream("backup", *m_b, 1, { { "priority", 1 } }),
                               RelayFixture::upstream("main", *m_a, 1, { { "priority", 0 } }) })));
    for (int i = 0; i < 5; ++i)
        QCOMPARE(m_relay->chatAndWait("m")->status, 200);
    QCOMPARE(m_a->requests().size(), 5);
    QCOMPARE(m_b->requests().size(), 0);
    m_a->setDefaultFault("sk-secret-main-k1", Fault::httpStatus(503));
    TestResponse *r = m_relay->chatAndWait("m");
    QCOMPARE(r->status, 200);
    QCOMPARE(r->header("x-relay-upstream"), QByteArray("backup"));
}

// The priority strategy always starts with the first upstream in the file.
void TestRelayRouting::testRouting_priorityStrategy_firstHealthy()
{
    QVERIFY(m_relay->start(RelayFixture::config(
        { RelayFixture::upstream("first", *m_a, 1), RelayFixture::upstream("second", *m_b, 1) },
        { { "strategy", "priority" } })));
    for (int i = 0; i < 6; ++i)
        QCOMPARE(m_relay->chatAndWait("m")->status, 200);
    QCOMPARE(m_a->requests().size(), 6);
    QCOMPARE(m_b->requests().size(), 0);
}

// With nothing configured the client is told what to do, in its format.
void TestRelayRouting::testRouting_noUpstream_503()
{
    QVERIFY(m_relay->start(RelayFixture::config({})));
    TestResponse *r = m_relay->chatAndWait("m");
    QCOMPARE(r->status, 503);
    QCOMPARE(r->json().value("error").toObject().value("code").toString(),
             QStringLiteral("no_upstream_configured"));
}

// Paths relayed untouched (embeddings, audio, ...) only go to OpenAI-type upstreams.
void TestRelayRouting::testRouting_passthroughOnlyToOpenAiType_404()
{
    QVERIFY(m_relay->start(RelayFixture::config(
        { RelayFixture::upstream("claude", *m_a, 1, { { "type", "anthropic" } }) })));
    TestResponse *r = m_relay->request("POST", "/v1/embeddings", R"({"model":"m","input":"x"})",
                                       { { "content-type", "application/json" } });
    QVERIFY(RelayFixture::wait(r));
    QCOMPARE(r->status, 404);
    QVERIFY(r->json().value("error").toObject().value("message").toString().contains(
        QStringLiteral("openai-type")));
    QCOMPARE(m_a->requests().size(), 0);
}

void TestRelayRouting::testRoutes_byTrait_data()
{
    QTest::addColumn<QByteArray>("path");
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<QString>("model"); // what the upstream is asked for
    QTest::addColumn<bool>("onB"); // the images route pins upstream "b"
    const QByteArray longText(5000, 'x');
    QTest::newRow("plain") << QByteArray("/v1/chat/completions")
                           << QByteArray(
                                  R"({"model":"m","messages":[{"role":"user","content":"hi"}]})")
                           << "m" << false;
    QTest::newRow("chat reasoning_effort")
        << QByteArray("/v1/chat/completions")
        << QByteArray(
               R"({"model":"m","reasoning_effort":"high","messages":[{"role":"user","content":"hi"}]})")
        << "think-model" << false;
    QTest::newRow("chat effort none")
        << QByteArray("/v1/chat/completions")
        << QByteArray(
               R"({"model":"m","reasoning_effort":"none","messages":[{"role":"user","content":"hi"}]})")
        << "m" << false;
    QTest::newRow("messages thinking")
        << QByteArray("/v1/messages")
        << QByteArray(
               R"({"model":"claude-sonnet-4-5","max_tokens":2048,"thinking":{"type":"enabled","budget_tokens":1024},"messages":[{"role":"user","content":"hi"}]})")
        << "think-model" << false;
    QTest::newRow("responses reasoning")
        << QByteArray("/v1/responses")
        << QByteArray(R"({"model":"m","reasoning":{"effort":"low"},"input":"hi"})") << "think-model"
        << false;
    QTest::newRow("chat image")
        << QByteArray("/v1/chat/completions")
        << QByteArray(
               R"({"model":"m","messages":[{"role":"user","content":[{"type":"text","text":"what?"},{"type":"image_url","image_url":{"url":"https://x/i.png"}}]}]})")
        << "vision-model" << true;
    QTest::newRow("messages image in a tool result")
        << QByteArray("/v1/messages")
        << QByteArray(
               R"({"model":"claude-sonnet-4-5","max_tokens":64,"messages":[{"role":"user","content":"shot"},{"role":"assistant","content":[{"type":"tool_use","id":"t1","name":"shot","input":{}}]},{"role":"user","content":[{"type":"tool_result","tool_use_id":"t1","content":[{"type":"image","source":{"type":"base64","media_type":"image/png","data":"iVBORw0KGgo="}}]}]}]})")
        << "vision-model" << true;
    QTest::newRow("responses input_image")
        << QByteArray("/v1/responses")
        << QByteArray(
               R"({"model":"m","input":[{"role":"user","content":[{"type":"input_image","image_url":"https://x/i.png"}]}]})")
        << "vision-model" << true;
    QTest::newRow("long input") << QByteArray("/v1/chat/completions")
                                << QByteArray(
                                       R"({"model":"m","messages":[{"role":"user","content":")"
                                       + longText + R"("}]})")
                                << "long-model" << false;
    QTest::newRow("background (Claude Code's haiku)")
        << QByteArray("/v1/messages")
        << QByteArray(
               R"({"model":"claude-haiku-4-5-20251001","max_tokens":64,"messages":[{"role":"user","content":"title?"}]})")
        << "small-model" << false;
    QTest::newRow("first rule wins")
        << QByteArray("/v1/chat/completions")
        << QByteArray(
               R"({"model":"m","reasoning_effort":"low","messages":[{"role":"user","content":[{"type":"image_url","image_url":{"url":"https://x/i.png"}}]}]})")
        << "think-model" << false;
}

// Routes send requests by what they ask for, whatever format the client speaks: the upstream
// gets the route's model (on the route's upstream when it names one); the first match wins.
void TestRelayRouting::testRoutes_byTrait()
{
    QFETCH(QByteArray, path);
    QFETCH(QByteArray, body);
    QFETCH(QString, model);
    QFETCH(bool, onB);
    const QJsonArray routes {
        QJsonObject { { "when", "thinking" }, { "model", "think-model" } },
        QJsonObject { { "when", "images" }, { "model", "vision-model" }, { "upstream", "b" } },
        QJsonObject { { "when", "longInput" }, { "tokens", 1000 }, { "model", "long-model" } },
        QJsonObject { { "when", "background" }, { "model", "small-model" } },
    };
    QVERIFY(m_relay->start(RelayFixture::config(
        { RelayFixture::upstream("a", *m_a, 1), RelayFixture::upstream("b", *m_b, 1) },
        { { "routes", routes }, { "strategy", "priority" } })));
    TestResponse *r = m_relay->request(
        "POST", path, body,
        { { "x-api-key", RelayFixture::kAccessKey }, { "anthropic-version", "2023-06-01" } });
    QVERIFY(RelayFixture::wait(r));
    QVERIFY2(r->status == 200, r->body.constData());
    FakeUpstream &served = onB ? *m_b : *m_a;
    QCOMPARE((onB ? *m_a : *m_b).requests().size(), 0);
    QCOMPARE(served.requests().size(), 1);
    QCOMPARE(
        QJsonDocument::fromJson(served.requests().at(0).body).object().value("model").toString(),
        model);
}

// A route that pins an upstream which cannot serve its model says so, rather than using
// another upstream.
void TestRelayRouting::testRoutes_pinnedUpstreamNotServing_404()
{
    QVERIFY(m_relay->start(RelayFixture::config(
        { RelayFixture::upstream("a", *m_a, 1),
          RelayFixture::upstream("b", *m_b, 1, { { "models", QJsonArray { "other" } } }) },
        { { "routes",
            QJsonArray { QJsonObject {
                { "when", "thinking" }, { "model", "think-model" }, { "upstream", "b" } } } } })));
    TestResponse *r = m_relay->request(
        "POST", "/v1/chat/completions",
        R"({"model":"m","reasoning_effort":"high","messages":[{"role":"user","content":"hi"}]})");
    QVERIFY(RelayFixture::wait(r));
    QCOMPARE(r->status, 404);
    const QString message = r->json().value("error").toObject().value("message").toString();
    QVERIFY2(message.contains(u"A route of the config") && message.contains(u"\"b\""),
             qPrintable(message));
    QCOMPARE(m_a->requests().size() + m_b->requests().size(), 0);
}

// Inline file data (base64 images, data: URLs) is not text the long-input rule should count.
void TestRelayRouting::testRoutes_inputEstimate_leavesOutInlineData()
{
    const QString data(40000, u'A');
    const QJsonObject withImages
        = QJsonDocument::fromJson(QStringLiteral(R"({"messages":[{"role":"user","content":[
            {"type":"image","source":{"type":"base64","media_type":"image/png","data":"%1"}},
            {"type":"image_url","image_url":{"url":"data:image/png;base64,%1"}},
            {"type":"text","text":"%2"}]}]})")
                                      .arg(data, QString(400, u'x'))
                                      .toUtf8())
              .object();
    const qint64 tokens = TraitRouter::estimatedInputTokens(withImages);
    QVERIFY2(tokens > 100 && tokens < 200, qPrintable(QString::number(tokens)));
}

QTEST_GUILESS_MAIN(TestRelayRouting)
#include "TestRelayRouting.moc"
