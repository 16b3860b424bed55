#include "FakeProvider.h"
#include "RelayTestCase.h"
#include "protocol/SseParser.h"

#include <QtTest>

using namespace relay;
using namespace relay::test;

// Gemini-format clients (the Google SDKs, Gemini CLI) under /v1beta: translated for chat
// completions and Anthropic upstreams, passed through to Gemini ones. m_a runs in provider
// mode, so each upstream checks its requests the way the real API does.
class TestRelayGemini : public RelayTestCase
{
    Q_OBJECT
private Q_SLOTS:
    void testGenerate_eachUpstream_data();
    void testGenerate_eachUpstream();
    void testStream_queryKeyAndUsageCounted_data();
    void testStream_queryKeyAndUsageCounted();
    void testToolRoundTrip_data();
    void testToolRoundTrip();
    void testBadRequests_geminiErrorNamingTheField_data();
    void testBadRequests_geminiErrorNamingTheField();
    void testAccessKey_401InGeminiFormat();
    void testCountTokens_exactOrEstimated();
    void testModels_geminiListShape();

private:
    static constexpr auto kAdminKey = "admin-key-for-tests-0123456789";
    static void addUpstreamRows();
    bool startProviders();
    TestResponse *post(const QByteArray &target, const QJsonObject &body);
    QJsonObject lastLogged();
};

namespace {
QJsonObject userText(const QString &text)
{
    return { { "role", "user" }, { "parts", QJsonArray { QJsonObject { { "text", text } } } } };
}

QJsonObject firstCandidate(const QJsonObject &response)
{
    return response.value("candidates").toArray().at(0).toObject();
}

QJsonArray partsOf(const QJsonObject &response)
{
    return firstCandidate(response).value("content").toObject().value("parts").toArray();
}
} // namespace

void TestRelayGemini::addUpstreamRows()
{
    QTest::addColumn<QString>("model");
    QTest::addColumn<QByteArray>("upstreamPath");
    QTest::newRow("chat-completions") << "openai-chat" << QByteArray("/v1/chat/completions");
    QTest::newRow("anthropic") << "anthropic-chat" << QByteArray("/v1/messages");
    QTest::newRow("gemini") << "gemini-chat"
                            << QByteArray("/v1beta/models/gemini-chat:generateContent");
}

bool TestRelayGemini::startProviders()
{
    m_a->setProviderMode(true);
    return m_relay->start(RelayFixture::config(RelayFixture::providerUpstreams(*m_a),
                                               { { "adminKey", QString::fromLatin1(kAdminKey) } }));
}

TestResponse *TestRelayGemini::post(const QByteArray &target, const QJsonObject &body)
{
    TestResponse *r = m_relay->request(
        "POST", target, QJsonDocument(body).toJson(),
        { { "x-goog-api-key", RelayFixture::kAccessKey }, { "content-type", "application/json" } });
    RelayFixture::wait(r);
    return r;
}

QJsonObject TestRelayGemini::lastLogged()
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

void TestRelayGemini::testGenerate_eachUpstream_data()
{
    addUpstreamRows();
}

// A whole answer: the system instruction reaches the upstream as its system prompt, the client
// gets a GenerateContentResponse with the upstream's text, finish reason and usage. A Gemini
// upstream gets the client's body as it was sent.
void TestRelayGemini::testGenerate_eachUpstream()
{
    QFETCH(QString, model);
    QFETCH(QByteArray, upstreamPath);
    QVERIFY(startProviders());
    const QJsonObject body {
        { "systemInstruction",
          QJsonObject { { "parts", QJsonArray { QJsonObject { { "text", "Be brief." } } } } } },
        { "contents", QJsonArray { userText("hi") } },
        { "generationConfig", QJsonObject { { "maxOutputTokens", 64 }, { "temperature", 0.5 } } }
    };
    // Gemini's /v1 and /v1beta take the same requests; the upstream's base URL picks its own.
    const QByteArray version = model.startsWith(u"anthropic") ? "/v1" : "/v1beta";
    TestResponse *r = post(version + "/models/" + model.toUtf8() + ":generateContent", body);
    QCOMPARE(r->status, 200);
    const QJsonObject response = r->json();
    QCOMPARE(partsOf(response).at(0).toObject().value("text").toString(),
             QStringLiteral("Echo: hi"));
    QCOMPARE(firstCandidate(response).value("finishReason").toString(), QStringLiteral("STOP"));
    QCOMPARE(firstCandidate(response).value("content").toObject().value("role").toString(),
             QStringLiteral("model"));
    const QJsonObject usage = response.value("usageMetadata").toObject();
    QCOMPARE(usage.value("promptTokenCount").toInt(), 11);
    QCOMPARE(usage.value("totalTokenCount").toInt(), 18);

    QCOMPARE(m_a->requests().size(), 1);
    const ReceivedRequest &up = m_a->requests().at(0);
    QCOMPARE(up.path, upstreamPath);
    QVERIFY2(up.body.contains("Be brief."), up.body.constData());
    if (model.startsWith(u"gemini"))
        QCOMPARE(QJsonDocument::fromJson(up.body).object(), body);
    else
        QVERIFY2(!up.body.contains("systemInstruction") && up.body.contains("\"max_tokens\":64"),
                 up.body.constData());
    QVERIFY(!up.headers.value("x-goog-api-key").contains(RelayFixture::kAccessKey));
}

void TestRelayGemini::testStream_queryKeyAndUsageCounted_data()
{
    addUpstreamRows();
}

// A stream with the access key in the query, as Google also accepts: text in "data:" events,
// the last with finishReason and usageMetadata; the key never reaches the upstream, and the
// request log counts the tokens under the client format "gemini".
void TestRelayGemini::testStream_queryKeyAndUsageCounted()
{
    QFETCH(QString, model);
    QVERIFY(startProviders());
    const QByteArray target = "/v1beta/models/" + model.toUtf8()
        + ":streamGenerateContent?alt=sse&key=" + RelayFixture::kAccessKey;
    TestResponse *r = m_relay->request(
        "POST", target,
        QJsonDocument(QJsonObject { { "contents", QJsonArray { userText("hi") } } }).toJson(),
        { { "content-type", "application/json" } });
    RelayFixture::wait(r);
    QCOMPARE(r->status, 200);
    QCOMPARE(r->header("content-type"), QByteArray("text/event-stream"));
    SseParser parser;
    const QList<SseEvent> events = parser.feed(r->body);
    QVERIFY2(!events.isEmpty(), r->body.constData());
    QString text;
    for (const SseEvent &event : events) {
        const QJsonObject data = QJsonDocument::fromJson(event.data).object();
        QVERIFY2(!data.isEmpty(), event.data.constData());
        for (const QJsonValue &part : partsOf(data))
            text += part.toObject().value("text").toString();
    }
    QCOMPARE(text, QStringLiteral("Echo: hi"));
    const QJsonObject last = QJsonDocument::fromJson(events.last().data).object();
    QCOMPARE(firstCandidate(last).value("finishReason").toString(), QStringLiteral("STOP"));
    QCOMPARE(last.value("usageMetadata").toObject().value("promptTokenCount").toInt(), 11);

    QCOMPARE(m_a->requests().size(), 1);
    const ReceivedRequest &up = m_a->requests().at(0);
    QVERIFY2(!up.path.contains(RelayFixture::kAccessKey) && !up.path.contains("key="),
             up.path.constData());
    if (model.startsWith(u"gemini"))
        QCOMPARE(up.path, QByteArray("/v1beta/models/gemini-chat:streamGenerateContent?alt=sse"));
    const QJsonObject logged = lastLogged();
    QCOMPARE(logged.value("clientFormat").toString(), QStringLiteral("gemini"));
    QCOMPARE(logged.value("tokensIn").toInt(), 11);
    QVERIFY(logged.value("tokensOut").toInt() > 0);
}

void TestRelayGemini::testToolRoundTrip_data()
{
    QTest::addColumn<QString>("model");
    QTest::addColumn<bool>("stream");
    QTest::newRow("chat-completions") << "openai-chat" << false;
    QTest::newRow("chat-completions-stream") << "openai-chat" << true;
    QTest::newRow("anthropic") << "anthropic-chat" << false;
    QTest::newRow("anthropic-thinking-stream") << "anthropic-think" << true;
    QTest::newRow("gemini") << "gemini-chat" << false;
    QTest::newRow("gemini-thinking-stream") << "gemini-think" << true;
}

// The agent loop Gemini CLI runs: a function declared in Gemini's schema dialect, the model
// calls it, the client sends the model's turn and a functionResponse back, and the model
// answers from it. Anthropic's signed thinking travels in the call's thoughtSignature and
// comes back as the thinking block Anthropic requires.
void TestRelayGemini::testToolRoundTrip()
{
    QFETCH(QString, model);
    QFETCH(bool, stream);
    QVERIFY(startProviders());
    const QJsonArray tools { QJsonObject {
        { "functionDeclarations",
          QJsonArray { QJsonObject {
              { "name", "get_weather" },
              { "description", "Weather of a city" },
              { "parameters",
                QJsonObject { { "type", "OBJECT" },
                              { "properties",
                                QJsonObject { { "query", QJsonObject { { "type", "STRING" } } } } },
                              { "required", QJsonArray { "query" } } } } } } } } };
    const QJsonObject thinking { { "thinkingConfig",
                                   QJsonObject { { "includeThoughts", true },
                                                 { "thinkingBudget", 2048 } } } };
    const QJsonObject ask = userText("Weather in Paris?");
    const QByteArray target = "/v1beta/models/" + model.toUtf8()
        + (stream ? ":streamGenerateContent?alt=sse" : ":generateContent");
    TestResponse *first = post(target,
                               { { "contents", QJsonArray { ask } },
                                 { "tools", tools },
                                 { "generationConfig", thinking } });
    QCOMPARE(first->status, 200);
    // The model's turn as the client keeps it: every part of every event, in order.
    QJsonArray modelParts;
    if (stream) {
        SseParser parser;
        for (const SseEvent &event : parser.feed(first->body))
            for (const QJsonValue &part : partsOf(QJsonDocument::fromJson(event.data).object()))
                modelParts.append(part);
    } else {
        modelParts = partsOf(first->json());
    }
    QJsonObject call;
    for (const QJsonValue &part : modelParts)
        if (part.toObject().contains("functionCall"))
            call = part.toObject().value("functionCall").toObject();
    QVERIFY2(!call.isEmpty(), first->body.constData());
    QCOMPARE(call.value("name").toString(), QStringLiteral("get_weather"));
    QCOMPARE(call.value("args").toObject(), (QJsonObject { { "query", "Weather in Paris?" } }));
    if (!model.startsWith(u"gemini")) {
        const QByteArray up = m_a->requests().at(0).body;
        QVERIFY2(up.contains("\"type\":\"object\"") && !up.contains("OBJECT"), up.constData());
    }

    QJsonObject answer { { "name", "get_weather" },
                         { "response", QJsonObject { { "result", "Sunny, 21 C" } } } };
    if (call.contains("id"))
        answer.insert("id", call.value("id"));
    const QJsonArray contents {
        ask, QJsonObject { { "role", "model" }, { "parts", modelParts } },
        QJsonObject { { "role", "user" },
                      { "parts", QJsonArray { QJsonObject { { "functionResponse", answer } } } } }
    };
    TestResponse *second = post(
        target, { { "contents", contents }, { "tools", tools }, { "generationConfig", thinking } });
    QCOMPARE(second->status, 200);
    QVERIFY2(second->body.contains("Tool said: ") && second->body.contains("Sunny, 21 C"),
             second->body.constData());
    QCOMPARE(m_a->requests().size(), 2);
    if (model == u"anthropic-think") {
        const QByteArray up = m_a->requests().at(1).body;
        QVERIFY2(up.contains(QByteArray("\"signature\":\"") + FakeProvider::kAnthropicSignature)
                     && up.contains("\"thinking\":{\"budget_tokens\""),
                 up.constData());
    }
}

void TestRelayGemini::testBadRequests_geminiErrorNamingTheField_data()
{
    QTest::addColumn<QByteArray>("target");
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<int>("status");
    QTest::addColumn<QString>("named");
    const QByteArray hi = R"({"contents":[{"role":"user","parts":[{"text":"hi"}]}]})";
    QTest::newRow("not-json") << QByteArray("/v1beta/models/openai-chat:generateContent")
                              << QByteArray(R"({"contents":)") << 400 << "Invalid JSON";
    QTest::newRow("no-contents") << QByteArray("/v1beta/models/gemini-chat:generateContent")
                                 << QByteArray("{}") << 400 << "contents";
    QTest::newRow("stream-without-sse")
        << QByteArray("/v1beta/models/openai-chat:streamGenerateContent") << hi << 400 << "alt=sse";
    QTest::newRow("model-leaving-the-path")
        << QByteArray("/v1beta/models/a%2F..%2F..%2Fadmin:generateContent") << hi << 400
        << "model name";
    QTest::newRow("unknown-method")
        << QByteArray("/v1beta/models/openai-chat:embedContent") << hi << 404 << "embedContent";
    QTest::newRow("unknown-path") << QByteArray("/v1beta/files") << hi << 404 << "/v1beta/files";
    QTest::newRow("hosted-tool")
        << QByteArray("/v1beta/models/openai-chat:generateContent")
        << QByteArray(R"({"contents":[{"parts":[{"text":"hi"}]}],"tools":[{"googleSearch":{}}]})")
        << 400 << "tools[0].googleSearch";
    QTest::newRow("unanswered-response")
        << QByteArray("/v1beta/models/anthropic-chat:generateContent")
        << QByteArray(R"({"contents":[{"role":"user","parts":[{"functionResponse":)"
                      R"({"name":"x","response":{}}}]}]})")
        << 400 << "contents[0].parts[0].functionResponse";
    QTest::newRow("bad-role") << QByteArray("/v1beta/models/openai-chat:generateContent")
                              << QByteArray(R"({"contents":[{"role":"bot","parts":[]}]})") << 400
                              << "contents[0].role";
}

// Errors the relay raises itself come in Gemini's shape, with Google's status names, and name
// what to fix; nothing reaches an upstream.
void TestRelayGemini::testBadRequests_geminiErrorNamingTheField()
{
    QFETCH(QByteArray, target);
    QFETCH(QByteArray, body);
    QFETCH(int, status);
    QFETCH(QString, named);
    QVERIFY(startProviders());
    TestResponse *r = m_relay->request(
        "POST", target, body,
        { { "x-goog-api-key", RelayFixture::kAccessKey }, { "content-type", "application/json" } });
    RelayFixture::wait(r);
    QCOMPARE(r->status, status);
    const QJsonObject error = r->json().value("error").toObject();
    QCOMPARE(error.value("code").toInt(), status);
    QCOMPARE(error.value("status").toString(),
             status == 400 ? QStringLiteral("INVALID_ARGUMENT") : QStringLiteral("NOT_FOUND"));
    QVERIFY2(error.value("message").toString().contains(named), r->body.constData());
    QCOMPARE(m_a->requests().size(), 0);
}

void TestRelayGemini::testAccessKey_401InGeminiFormat()
{
    QVERIFY(startProviders());
    const QByteArray body = R"({"contents":[{"parts":[{"text":"hi"}]}]})";
    // An empty header keeps the fixture from adding the access key.
    const QList<QPair<QByteArray, QByteArray>> none { { "x-goog-api-key", {} } };
    TestResponse *missing
        = m_relay->request("POST", "/v1beta/models/gemini-chat:generateContent", body, none);
    TestResponse *wrong = m_relay->request(
        "POST", "/v1beta/models/gemini-chat:generateContent?key=not-the-key", body, none);
    TestResponse *prefix = m_relay->request(
        "POST", "/v1beta/models/gemini-chat:generateContent", body,
        { { "x-goog-api-key", QByteArray(RelayFixture::kAccessKey).chopped(1) } });
    for (TestResponse *r : { missing, wrong, prefix }) {
        RelayFixture::wait(r);
        QVERIFY2(r->status == 401, r->body.constData());
        QCOMPARE(r->json().value("error").toObject().value("status").toString(),
                 QStringLiteral("UNAUTHENTICATED"));
    }
    QVERIFY2(missing->body.contains("x-goog-api-key"), missing->body.constData());
    QVERIFY2(wrong->body.contains("wrong"), wrong->body.constData());
    QCOMPARE(m_a->requests().size(), 0);
}

// A Gemini upstream counts; with none, the relay estimates rather than failing the client.
void TestRelayGemini::testCountTokens_exactOrEstimated()
{
    QVERIFY(startProviders());
    const QJsonObject body { { "contents", QJsonArray { userText(QString(400, u'x')) } } };
    TestResponse *exact = post("/v1beta/models/gemini-chat:countTokens", body);
    QCOMPARE(exact->status, 200);
    QCOMPARE(exact->json().value("totalTokens").toInt(), 42);
    QCOMPARE(m_a->requests().size(), 1);
    QCOMPARE(m_a->requests().at(0).path, QByteArray("/v1beta/models/gemini-chat:countTokens"));

    TestResponse *estimated = post("/v1beta/models/openai-chat:countTokens", body);
    QCOMPARE(estimated->status, 200);
    const int tokens = estimated->json().value("totalTokens").toInt();
    QVERIFY2(tokens >= 100 && tokens <= 110, estimated->body.constData());
    QCOMPARE(m_a->requests().size(), 1);
}

// Model pickers read Gemini's list shape; one model by name, or a 404 in Gemini's format.
void TestRelayGemini::testModels_geminiListShape()
{
    QVERIFY(startProviders());
    TestResponse *list = m_relay->request("GET", "/v1beta/models", {},
                                          { { "x-goog-api-key", RelayFixture::kAccessKey } });
    RelayFixture::wait(list);
    QCOMPARE(list->status, 200);
    QStringList names;
    for (const QJsonValue &model : list->json().value("models").toArray()) {
        names.append(model.toObject().value("name").toString());
        QVERIFY(model.toObject()
                    .value("supportedGenerationMethods")
                    .toArray()
                    .contains(QJsonValue(QStringLiteral("generateContent"))));
    }
    QVERIFY2(names.contains(u"models/openai-chat") && names.contains(u"models/gemini-think"),
             list->body.constData());

    TestResponse *one = m_relay->request("GET", "/v1beta/models/anthropic-chat", {},
                                         { { "x-goog-api-key", RelayFixture::kAccessKey } });
    TestResponse *none = m_relay->request("GET", "/v1beta/models/no-such-model", {},
                                          { { "x-goog-api-key", RelayFixture::kAccessKey } });
    RelayFixture::wait(one);
    RelayFixture::wait(none);
    QCOMPARE(one->status, 200);
    QCOMPARE(one->json().value("name").toString(), QStringLiteral("models/anthropic-chat"));
    QCOMPARE(none->status, 404);
    QCOMPARE(none->json().value("error").toObject().value("status").toString(),
             QStringLiteral("NOT_FOUND"));

    // Gemini's /v1, the default of @google/genai 3, shares /v1/models with OpenAI: Google's key
    // header says which list the client reads.
    TestResponse *googleV1 = m_relay->request("GET", "/v1/models", {},
                                              { { "x-goog-api-key", RelayFixture::kAccessKey } });
    TestResponse *openAi = m_relay->request("GET", "/v1/models", {});
    RelayFixture::wait(googleV1);
    RelayFixture::wait(openAi);
    QVERIFY2(googleV1->json().value("models").isArray(), googleV1->body.constData());
    QVERIFY2(openAi->json().value("data").isArray(), openAi->body.constData());
}

QTEST_GUILESS_MAIN(TestRelayGemini)
#include "TestRelayGemini.moc"
