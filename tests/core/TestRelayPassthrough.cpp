#include "ConnectProxy.h"
#include "RelayTestCase.h"

#include <QtTest>

using namespace relay;
using namespace relay::test;

class TestRelayPassthrough : public RelayTestCase
{
    Q_OBJECT
private Q_SLOTS:
    void testPassthrough_jsonRoutes_bodyAndTypeUntouched_data();
    void testPassthrough_jsonRoutes_bodyAndTypeUntouched();
    void testPassthrough_multipartAudio_untouchedAndRoutedByModel();
    void testPassthrough_getWithQuery_forwarded();
    void testPassthrough_keysRotate();
    void testPassthrough_clientHeadersForwardedExceptHopAuthAndPage();
    void testPassthrough_aliasRewritesModel();
    void testBaseUrl_versionPathKept_suffixAppended();
    void testUnknownPath_404();
    void testHttpProxy_trafficTunnelled();
};

void TestRelayPassthrough::testPassthrough_jsonRoutes_bodyAndTypeUntouched_data()
{
    QTest::addColumn<QByteArray>("path");
    QTest::addColumn<QByteArray>("body");
    QTest::newRow("embeddings")
        << QByteArray("/v1/embeddings")
        << QByteArray(
               R"({"model":"text-embedding-3-small","input":["a","b"],  "dimensions": 256})");
    QTest::newRow("completions") << QByteArray("/v1/completions")
                                 << QByteArray(R"({"model":"m","prompt":"x","max_tokens":5})");
    QTest::newRow("responses") << QByteArray("/v1/responses")
                               << QByteArray(R"({"model":"m","input":"hello"})");
    QTest::newRow("images") << QByteArray("/v1/images/generations")
                            << QByteArray(R"({"model":"dall-e-3","prompt":"a cat"})");
    QTest::newRow("moderations") << QByteArray("/v1/moderations")
                                 << QByteArray(R"({"model":"omni-moderation-latest","input":"x"})");
    QTest::newRow("audio speech") << QByteArray(
        "/v1/audio/speech") << QByteArray(R"({"model":"tts-1","input":"hi","voice":"alloy"})");
}

// Other OpenAI routes are relayed with key rotation, byte for byte; /v1/responses too, to an
// upstream that serves the Responses API itself.
void TestRelayPassthrough::testPassthrough_jsonRoutes_bodyAndTypeUntouched()
{
    QFETCH(QByteArray, path);
    QFETCH(QByteArray, body);
    QVERIFY(m_relay->start(RelayFixture::config(
        { RelayFixture::upstream("p", *m_a, 1, { { "responsesApi", true } }) })));
    TestResponse *r = m_relay->request("POST", path, body,
                                       { { "Content-Type", "application/json; charset=utf-8" } });
    QVERIFY(RelayFixture::wait(r));
    QCOMPARE(r->status, 200);
    QCOMPARE(m_a->requests().at(0).path, path);
    QCOMPARE(r->body, body);
    QCOMPARE(m_a->requests().at(0).body, body);
    QCOMPARE(m_a->requests().at(0).headers.value("content-type"),
             QByteArray("application/json; charset=utf-8"));
    QCOMPARE(r->header("content-type"), QByteArray("application/json; charset=utf-8"));
}

// Multipart uploads (transcriptions) keep their boundary and bytes; the form's model routes.
void TestRelayPassthrough::testPassthrough_multipartAudio_untouchedAndRoutedByModel()
{
    FakeUpstream other(QStringLiteral("O"));
    QVERIFY(other.start());
    QVERIFY(m_relay->start(RelayFixture::config(
        { RelayFixture::upstream("chat", other, 1, { { "models", QJsonArray { "gpt-4o" } } }),
          RelayFixture::upstream("audio", *m_a, 1,
                                 { { "models", QJsonArray { "whisper-1" } } }) })));
    QByteArray audio(3000, '\0');
    for (int i = 0; i < audio.size(); ++i)
        audio[i] = static_cast<char>(i % 251);
    const QByteArray body
        = "--XyZ\r\nContent-Disposition: form-data; name=\"model\"\r\n\r\nwhisper-1\r\n"
          "--XyZ\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.wav\"\r\n"
          "Content-Type: audio/wav\r\n\r\n"
        + audio + "\r\n--XyZ--\r\n";
    TestResponse *r = m_relay->request("POST", "/v1/audio/transcriptions", body,
                                       { { "Content-Type", "multipart/form-data; boundary=XyZ" } });
    QVERIFY(RelayFixture::wait(r));
    QCOMPARE(r->status, 200);
    QCOMPARE(m_a->requests().size(), 1);
    QCOMPARE(other.requests().size(), 0);
    QCOMPARE(m_a->requests().at(0).body, body);
    QCOMPARE(m_a->requests().at(0).headers.value("content-type"),
             QByteArray("multipart/form-data; boundary=XyZ"));
}

// GET routes keep their query string.
void TestRelayPassthrough::testPassthrough_getWithQuery_forwarded()
{
    QVERIFY(m_relay->start(RelayFixture::config({ RelayFixture::upstream("p", *m_a, 1) })));
    TestResponse *r = m_relay->request("GET", "/v1/files?purpose=fine-tune&limit=2");
    QVERIFY(RelayFixture::wait(r));
    QCOMPARE(r->status, 200);
    QCOMPARE(m_a->requests().at(0).method, QByteArray("GET"));
    QCOMPARE(m_a->requests().at(0).path, QByteArray("/v1/files?purpose=fine-tune&limit=2"));
}

// The client's headers go upstream (provider betas, SDK and session headers) except the hop's
// own, whatever Connection names, the relay's credentials and the browser page's.
void TestRelayPassthrough::testPassthrough_clientHeadersForwardedExceptHopAuthAndPage()
{
    QVERIFY(m_relay->start(RelayFixture::config({ RelayFixture::upstream("p", *m_a, 1) })));
    TestResponse *r
        = m_relay->request("POST", "/v1/embeddings", R"({"model":"e","input":"x"})",
                           { { "Authorization", QByteArray("Bearer ") + RelayFixture::kAccessKey },
                             { "OpenAI-Beta", "assistants=v2" },
                             { "X-Session-Id", "session-42" },
                             { "X-Stainless-Lang", "js" },
                             { "Connection", "keep-alive, X-Hop" },
                             { "X-Hop", "only-for-the-relay" },
                             { "Cookie", "sid=page-cookie" },
                             { "X-Admin-Key", "not-for-the-provider-0001" },
                             { "Proxy-Authorization", "Basic Zm9vOmJhcg==" },
                             { "OpenAI-Organization", "org-of-the-client" } });
    QVERIFY(RelayFixture::wait(r));
    QCOMPARE(r->status, 200);
    const QHash<QByteArray, QByteArray> &sent = m_a->requests().at(0).headers;
    QCOMPARE(sent.value("openai-beta"), QByteArray("assistants=v2"));
    QCOMPARE(sent.value("x-session-id"), QByteArray("session-42"));
    QCOMPARE(sent.value("x-stainless-lang"), QByteArray("js"));
    QCOMPARE(sent.value("authorization"), QByteArray("Bearer sk-secret-p-k1"));
    // Once each: a client's copy beside the relay's would not show in the hash.
    for (const char *once : { "authorization", "content-type", "host", "content-length" })
        QVERIFY2(m_a->requests().at(0).headerNames.count(once) == 1, once);
    for (const char *dropped :
         { "x-hop", "cookie", "x-admin-key", "proxy-authorization", "openai-organization" })
        QVERIFY2(!sent.contains(dropped), dropped);
    for (const QByteArray &value : sent)
        QVERIFY2(!value.contains(RelayFixture::kAccessKey), value.constData());
}

// Passthrough rotates keys like chat does.
void TestRelayPassthrough::testPassthrough_keysRotate()
{
    QVERIFY(m_relay->start(RelayFixture::config({ RelayFixture::upstream("p", *m_a, 2) })));
    for (int i = 0; i < 4; ++i) {
        TestResponse *r
            = m_relay->request("POST", "/v1/embeddings", R"({"model":"e","input":"x"})");
        QVERIFY(RelayFixture::wait(r));
        QCOMPARE(r->status, 200);
    }
    QCOMPARE(m_a->keysUsed(),
             QList<QByteArray>(
                 { "sk-secret-p-k1", "sk-secret-p-k2", "sk-secret-p-k1", "sk-secret-p-k2" }));
}

// An alias in a passthrough body is rewritten to the upstream's model name.
void TestRelayPassthrough::testPassthrough_aliasRewritesModel()
{
    QVERIFY(m_relay->start(RelayFixture::config({ RelayFixture::upstream(
        "p", *m_a, 1,
        { { "modelMap", QJsonObject { { "embed", "text-embedding-3-large" } } } }) })));
    TestResponse *r
        = m_relay->request("POST", "/v1/embeddings", R"({"model":"embed","input":"x"})");
    QVERIFY(RelayFixture::wait(r));
    QCOMPARE(QJsonDocument::fromJson(m_a->requests().at(0).body).object().value("model").toString(),
             QStringLiteral("text-embedding-3-large"));
}

// A base URL with its own version path (Zhipu's /api/paas/v4) gets the client's suffix.
void TestRelayPassthrough::testBaseUrl_versionPathKept_suffixAppended()
{
    QJsonObject u = RelayFixture::upstream("zhipu", *m_a, 1);
    u.insert("baseUrl", QStringLiteral("http://127.0.0.1:%1/api/paas/v4/").arg(m_a->port()));
    QVERIFY(m_relay->start(RelayFixture::config({ u })));
    TestResponse *r = m_relay->chatAndWait("glm-4");
    QCOMPARE(r->status, 200);
    QCOMPARE(m_a->requests().at(0).path, QByteArray("/api/paas/v4/chat/completions"));
}

// Paths outside the API get a 404 that says where the API lives.
void TestRelayPassthrough::testUnknownPath_404()
{
    QVERIFY(m_relay->start(RelayFixture::config({ RelayFixture::upstream("p", *m_a, 1) })));
    TestResponse *r = m_relay->request("POST", "/chat/completions", "{}");
    QVERIFY(RelayFixture::wait(r));
    QCOMPARE(r->status, 404);
    QVERIFY(r->json().value("error").toObject().value("message").toString().contains(
        QStringLiteral("/v1")));
}

// An upstream configured with an HTTP proxy is reached through it (CONNECT tunnel).
void TestRelayPassthrough::testHttpProxy_trafficTunnelled()
{
    ConnectProxy proxy;
    QVERIFY(proxy.start());
    QVERIFY(m_relay->start(RelayFixture::config({ RelayFixture::upstream(
        "p", *m_a, 1,
        { { "proxy", QStringLiteral("http://127.0.0.1:%1").arg(proxy.port()) } }) })));
    TestResponse *r = m_relay->chatAndWait("m", true);
    QCOMPARE(r->status, 200);
    QVERIFY(r->body.endsWith("data: [DONE]\n\n"));
    QCOMPARE(proxy.targets(), QByteArrayList({ "127.0.0.1:" + QByteArray::number(m_a->port()) }));
}

QTEST_GUILESS_MAIN(TestRelayPassthrough)
#include "TestRelayPassthrough.moc"
