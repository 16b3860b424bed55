#include "RelayTestCase.h"
#include "service/RelayService.h"

#include <QtTest>

using namespace relay;
using namespace relay::test;

// /admin/: off without an admin key, closed to the access key; edits are validated, their
// secrets stored in the keychain, the file written and the change applied live; probes, the
// request log, usage and access-key rotation.
class TestAdminApi : public RelayTestCase
{
    Q_OBJECT
private Q_SLOTS:
    void testNoAdminKey_404();
    void testAccessKey_doesNotOpenAdmin();
    void testAddUpstream_savedAppliedSecretInKeychain();
    void testDisableThenDeleteKey_appliedLive();
    void testInvalidEdit_422AndFileUntouched();
    void testProbe_reportsValidityAndLatency();
    void testRequestLogAndStats_pagedAndFiltered();
    void testRotateAccessKey_oldRefused();
    void testDraftProbeSettingsPauseMove_throughTheController();

private:
    static constexpr auto kAdminKey = "admin-key-for-tests-0123456789";
    bool start();
    TestResponse *admin(const QByteArray &method, const QByteArray &path,
                        const QJsonObject &body = {});
    QByteArray readConfig() const;
};

bool TestAdminApi::start()
{
    return m_relay->start(RelayFixture::config(
        { RelayFixture::upstream("a", *m_a, 2, { { "models", QJsonArray { "m*" } } }) },
        { { "adminKey", QString::fromLatin1(kAdminKey) } }));
}

TestResponse *TestAdminApi::admin(const QByteArray &method, const QByteArray &path,
                                  const QJsonObject &body)
{
    TestResponse *r = m_relay->request(method, path,
                                       body.isEmpty() ? QByteArray() : QJsonDocument(body).toJson(),
                                       { { "Authorization", QByteArray("Bearer ") + kAdminKey } });
    RelayFixture::wait(r);
    return r;
}

QByteArray TestAdminApi::readConfig() const
{
    QFile f(m_relay->configPath());
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

void TestAdminApi::testNoAdminKey_404()
{
    QVERIFY(m_relay->start(RelayFixture::config({ RelayFixture::upstream("a", *m_a, 1) })));
    TestResponse *r = m_relay->request("GET", "/admin/upstreams");
    QVERIFY(RelayFixture::wait(r));
    QCOMPARE(r->status, 404);
    QVERIFY(r->body.contains("--rotate-admin-key"));
}

void TestAdminApi::testAccessKey_doesNotOpenAdmin()
{
    QVERIFY(start());
    TestResponse *r = m_relay->request("GET", "/admin/upstreams"); // the access key
    QVERIFY(RelayFixture::wait(r));
    QCOMPARE(r->status, 401);
    QCOMPARE(admin("GET", "/admin/upstreams")->status, 200);
    // ...and the admin key does not open the API.
    TestResponse *chat
        = m_relay->request("POST", "/v1/chat/completions", chatBody("m", false),
                           { { "Authorization", QByteArray("Bearer ") + kAdminKey } });
    QVERIFY(RelayFixture::wait(chat));
    QCOMPARE(chat->status, 401);
    QVERIFY(!readConfig().contains(kAdminKey)); // moved into the keychain like the others
}

// A new upstream with its key: answered without the secret, saved without it, used at once,
// and still there (secret included) after a restart.
void TestAdminApi::testAddUpstream_savedAppliedSecretInKeychain()
{
    QVERIFY(start());
    QJsonObject b = RelayFixture::upstream("b", *m_b, 1);
    b.insert("models", QJsonArray { "only-b" });
    TestResponse *r = admin("POST", "/admin/upstreams", b);
    QCOMPARE(r->status, 201);
    QVERIFY(!r->body.contains("sk-secret-b-k1"));
    QCOMPARE(r->json()
                 .value("upstream")
                 .toObject()
                 .value("keys")
                 .toArray()
                 .at(0)
                 .toObject()
                 .value("hint")
                 .toString(),
             QStringLiteral("b-k1"));
    QVERIFY(readConfig().contains("\"only-b\""));
    QVERIFY(!readConfig().contains("sk-secret-b-k1"));
    QCOMPARE(m_relay->chatAndWait("only-b")->status, 200);
    QCOMPARE(m_b->keysUsed(), QList<QByteArray> { "sk-secret-b-k1" });
    QCOMPARE(admin("POST", "/admin/upstreams", b)->status, 409);

    QVERIFY(m_relay->restart());
    QCOMPARE(m_relay->chatAndWait("only-b")->status, 200);
    QCOMPARE(m_b->keysUsed().size(), 2);
}

void TestAdminApi::testDisableThenDeleteKey_appliedLive()
{
    QVERIFY(start());
    QCOMPARE(admin("PATCH", "/admin/upstreams/a/keys/a-k1", { { "enabled", false } })->status, 200);
    QCOMPARE(admin("PATCH", "/admin/upstreams/a/keys/a-k2", { { "enabled", false } })->status, 200);
    QCOMPARE(m_relay->chatAndWait("m")->status, 503);
    QCOMPARE(admin("PATCH", "/admin/upstreams/a", { { "enabled", true } })->status, 200);
    QCOMPARE(admin("PATCH", "/admin/upstreams/a/keys/a-k2", { { "enabled", true } })->status, 200);
    QCOMPARE(m_relay->chatAndWait("m")->status, 200);
    QCOMPARE(m_a->keysUsed().constLast(), QByteArray("sk-secret-a-k2"));
    QCOMPARE(admin("DELETE", "/admin/upstreams/a/keys/a-k1")->status, 200);
    const ParsedConfig saved = ConfigParser::parse(readConfig());
    QCOMPARE(saved.config.upstreams.at(0).keys.size(), 1);
    QCOMPARE(admin("DELETE", "/admin/upstreams/a/keys/a-k1")->status, 404);
    QCOMPARE(admin("DELETE", "/admin/upstreams/a")->status, 200);
    QCOMPARE(ConfigParser::parse(readConfig()).config.upstreams.size(), 0);
    QCOMPARE(m_relay->chatAndWait("m")->status, 503);
}

void TestAdminApi::testInvalidEdit_422AndFileUntouched()
{
    QVERIFY(start());
    const QByteArray before = readConfig();
    TestResponse *r = admin("PATCH", "/admin/upstreams/a", { { "baseUrl", "not a url" } });
    QCOMPARE(r->status, 422);
    const QJsonArray problems = r->json().value("error").toObject().value("problems").toArray();
    const QJsonObject first = problems.at(0).toObject();
    QCOMPARE(first.value("path").toString(), QStringLiteral("upstreams[0].baseUrl"));
    QCOMPARE(first.value("code").toString(), QStringLiteral("invalid_url"));
    QVERIFY2(first.value("message").toString().startsWith("upstreams[0].baseUrl: not a URL"),
             r->body.constData());
    QCOMPARE(readConfig(), before);
    QCOMPARE(admin("PATCH", "/admin/upstreams/zzz", { { "enabled", false } })->status, 404);
    TestResponse *bad
        = m_relay->request("POST", "/admin/upstreams", "{nope",
                           { { "Authorization", QByteArray("Bearer ") + kAdminKey } });
    QVERIFY(RelayFixture::wait(bad));
    QCOMPARE(bad->status, 400);
    QCOMPARE(m_relay->chatAndWait("m")->status, 200);
}

void TestAdminApi::testProbe_reportsValidityAndLatency()
{
    QVERIFY(start());
    TestResponse *good = admin("POST", "/admin/upstreams/a/keys/a-k1/probe");
    QCOMPARE(good->status, 200);
    QCOMPARE(good->json().value("valid").toBool(), true);
    QVERIFY(good->json().contains("latencyMs"));
    QCOMPARE(m_a->keysUsed().constLast(), QByteArray("sk-secret-a-k1"));
    m_a->setDefaultFault("sk-secret-a-k2", Fault::httpStatus(401));
    TestResponse *bad = admin("POST", "/admin/upstreams/a/keys/a-k2/probe");
    QCOMPARE(bad->json().value("valid").toBool(), false);
    QCOMPARE(bad->json().value("status").toInt(), 401);
}

void TestAdminApi::testRequestLogAndStats_pagedAndFiltered()
{
    QVERIFY(start());
    QCOMPARE(m_relay->chatAndWait("m1")->status, 200);
    QCOMPARE(m_relay->chatAndWait("m2")->status, 200);
    QCOMPARE(m_relay->chatAndWait("m3")->status, 200);
    TestResponse *page = admin("GET", "/admin/requests?limit=2");
    QCOMPARE(page->status, 200);
    QCOMPARE(page->json().value("total").toInt(), 3);
    const QJsonArray entries = page->json().value("entries").toArray();
    QCOMPARE(entries.size(), 2);
    QCOMPARE(entries.at(0).toObject().value("model").toString(), QStringLiteral("m3"));
    QCOMPARE(entries.at(0).toObject().value("tokensOut").toInt(), 3);
    TestResponse *filtered = admin("GET", "/admin/requests?model=m1");
    QCOMPARE(filtered->json().value("total").toInt(), 1);
    TestResponse *stats = admin("GET", "/admin/stats?days=1");
    QCOMPARE(stats->json().value("total").toObject().value("requests").toInt(), 3);
    QCOMPARE(stats->json().value("total").toObject().value("tokensIn").toInt(), 15);
    int attempts = 0;
    int tokens = 0;
    for (const QJsonValue &m : stats->json().value("minutes").toArray()) {
        attempts += m.toObject().value("attempts").toInt();
        tokens += m.toObject().value("tokens").toInt();
    }
    QCOMPARE(attempts, 3);
    QCOMPARE(tokens, 24);
}

void TestAdminApi::testRotateAccessKey_oldRefused()
{
    QVERIFY(start());
    TestResponse *r = admin("POST", "/admin/access-key/rotate");
    QCOMPARE(r->status, 200);
    const QByteArray fresh = r->json().value("accessKey").toString().toUtf8();
    QVERIFY(fresh.startsWith("sk-relay-"));
    QCOMPARE(m_relay->chatAndWait("m")->status, 401);
    TestResponse *chat = m_relay->request("POST", "/v1/chat/completions", chatBody("m", false),
                                          { { "Authorization", "Bearer " + fresh } });
    QVERIFY(RelayFixture::wait(chat));
    QCOMPARE(chat->status, 200);
    QVERIFY(m_relay->restart()); // kept in the keychain
    QCOMPARE(m_relay->chatAndWait("m")->status, 401);
}

// The calls the GUI shares: a key probed before it is saved, a settings merge patch and
// moving an upstream in priority order.
void TestAdminApi::testDraftProbeSettingsPauseMove_throughTheController()
{
    QVERIFY(start());
    m_b->setDefaultFault("sk-unsaved", Fault::httpStatus(200, R"({"data":[{"id":"b-1"}]})"));
    TestResponse *probe = admin(
        "POST", "/admin/probe",
        { { "upstream", QJsonObject { { "id", "b" }, { "baseUrl", m_b->baseUrl().toString() } } },
          { "key", "sk-unsaved" } });
    QCOMPARE(probe->status, 200);
    QCOMPARE(probe->json().value("valid").toBool(), true);
    QCOMPARE(probe->json().value("models").toArray(), QJsonArray { "b-1" });
    QVERIFY(!readConfig().contains("sk-unsaved"));

    TestResponse *patch
        = admin("PATCH", "/admin/settings",
                { { "strategy", "random" }, { "retry", QJsonObject { { "maxAttempts", 5 } } } });
    QCOMPARE(patch->status, 200);
    const QJsonObject saved = QJsonDocument::fromJson(readConfig()).object();
    QCOMPARE(saved.value("strategy").toString(), QStringLiteral("random"));
    QCOMPARE(saved.value("retry").toObject().value("maxAttempts").toInt(), 5);
    QVERIFY(saved.value("retry").toObject().contains("backoffBaseMs")); // merged, not replaced
    TestResponse *bad = admin("PATCH", "/admin/settings", { { "strategy", "fastest" } });
    QCOMPARE(bad->status, 422);
    QCOMPARE(bad->json()
                 .value("error")
                 .toObject()
                 .value("problems")
                 .toArray()
                 .at(0)
                 .toObject()
                 .value("code")
                 .toString(),
             QStringLiteral("unknown_strategy"));

    QCOMPARE(admin("POST", "/admin/upstreams",
                   { { "id", "b" }, { "baseUrl", m_b->baseUrl().toString() } })
                 ->status,
             201);
    QCOMPARE(admin("POST", "/admin/upstreams/b/move", { { "index", 0 } })->status, 200);
    const QJsonArray order = admin("GET", "/admin/upstreams")->json().value("upstreams").toArray();
    QCOMPARE(order.at(0).toObject().value("id").toString(), QStringLiteral("b"));

    // Pausing closes the port the admin API itself is reached through: not offered here.
    QCOMPARE(admin("POST", "/admin/pause")->status, 404);
}

QTEST_GUILESS_MAIN(TestAdminApi)
#include "TestAdminApi.moc"
