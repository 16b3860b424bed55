#include "config/ConfigParser.h"
#include "secrets/KeyStore.h"

#include <QtTest>

using namespace relay;

class TestConfigParser : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void testParse_fullConfig_everyFieldRead();
    void testParse_emptyObject_defaults();
    void testParse_invalid_reportsPathAndFix_data();
    void testParse_invalid_reportsPathAndFix();
    void testParse_manyProblems_allReported();
    void testToJson_roundTrip_identicalWithoutSecrets();
    void testModelPattern_globs_data();
    void testModelPattern_globs();
    void testModelMap_exactThenMostSpecificPattern_data();
    void testModelMap_exactThenMostSpecificPattern();
};

static const QByteArray kFull = R"({
  "version": 1,
  "instanceId": "a1b2c3d4e5f6",
  "listen": {"address": "127.0.0.1", "port": 18000},
  "accessKey": "relay-access-key-1234567890",
  "strategy": "weighted",
  "retry": {"maxAttempts": 4, "backoffBaseMs": 500, "backoffMaxMs": 8000, "quotaCooldownSeconds": 600},
  "shutdownGraceSeconds": 5,
  "upstreams": [{
    "id": "zhipu", "name": "Zhipu", "type": "openai",
    "baseUrl": "https://open.bigmodel.cn/api/paas/v4",
    "enabled": true, "priority": 1, "weight": 3,
    "models": ["glm-4", "glm-4-*"],
    "modelMap": {"gpt-4o": "glm-4-plus"},
    "proxy": "socks5://127.0.0.1:1080",
    "timeouts": {"connectMs": 2000, "firstByteMs": 30000, "idleMs": 45000},
    "headers": {"X-Team": "a"},
    "keys": [{"id": "k1", "label": "main", "hint": "-one", "key": "sk-secret-one", "weight": 2,
              "limits": {"rpm": 60, "rpd": 1000, "tpm": 100000}},
             {"id": "k2", "enabled": false, "key": "sk-secret-two"}]
  }],
  "routes": [
    {"when": "thinking", "model": "glm-4-plus", "upstream": "zhipu"},
    {"when": "longInput", "tokens": 50000, "model": "glm-4-long"},
    {"when": "images", "model": "glm-4v"},
    {"when": "background", "models": ["claude-*haiku*", "gpt-*-mini"], "model": "glm-4-air"}
  ]
})";

// Every field of the format is read into the model.
void TestConfigParser::testParse_fullConfig_everyFieldRead()
{
    const ParsedConfig p = ConfigParser::parse(kFull);
    QVERIFY2(p.ok(), qPrintable(p.errors().join(u'\n')));
    const RelayConfig &c = p.config;
    QCOMPARE(c.port, quint16(18000));
    QCOMPARE(c.strategy, Strategy::Weighted);
    QCOMPARE(c.retry.maxAttempts, 4);
    QCOMPARE(c.retry.quotaCooldownSeconds, 600);
    QCOMPARE(c.shutdownGraceSeconds, 5);
    QCOMPARE(c.upstreams.size(), 1);
    const UpstreamConfig &u = c.upstreams.first();
    QCOMPARE(u.baseUrl.toString(), QStringLiteral("https://open.bigmodel.cn/api/paas/v4"));
    QCOMPARE(u.priority, 1);
    QCOMPARE(u.weight, 3);
    QCOMPARE(u.proxy, QStringLiteral("socks5://127.0.0.1:1080"));
    QCOMPARE(u.timeouts.connectMs, 2000);
    QCOMPARE(u.timeouts.idleMs, 45000);
    QCOMPARE(u.headers.size(), 1);
    QCOMPARE(u.upstreamModel(QStringLiteral("gpt-4o")), QStringLiteral("glm-4-plus"));
    QVERIFY(u.serves(QStringLiteral("gpt-4o")));
    QVERIFY(u.serves(QStringLiteral("glm-4-air")));
    QVERIFY(!u.serves(QStringLiteral("claude-3")));
    QCOMPARE(u.keys.size(), 2);
    QCOMPARE(u.keys.at(0).label, QStringLiteral("main"));
    QCOMPARE(u.keys.at(0).limits.rpm, 60);
    QCOMPARE(u.keys.at(1).label, QStringLiteral("k2")); // label defaults to id
    QVERIFY(!u.keys.at(1).enabled);
    QCOMPARE(
        p.secrets.value(KeyStore::upstreamKeyRef(QStringLiteral("zhipu"), QStringLiteral("k1"))),
        QStringLiteral("sk-secret-one"));
    QCOMPARE(p.secrets.value(KeyStore::accessKeyRef()),
             QStringLiteral("relay-access-key-1234567890"));
    QCOMPARE(c.routes.size(), 4);
    QCOMPARE(c.routes.at(0).trait, RouteRule::Trait::Thinking);
    QCOMPARE(c.routes.at(0).upstream, QStringLiteral("zhipu"));
    QCOMPARE(c.routes.at(1).trait, RouteRule::Trait::LongInput);
    QCOMPARE(c.routes.at(1).tokens, 50000);
    QCOMPARE(c.routes.at(2).model, QStringLiteral("glm-4v"));
    QCOMPARE(c.routes.at(3).models, QStringList({ "claude-*haiku*", "gpt-*-mini" }));
}

// An empty object is a valid config with sensible defaults.
void TestConfigParser::testParse_emptyObject_defaults()
{
    const ParsedConfig p = ConfigParser::parse("{}");
    QVERIFY(p.ok());
    QCOMPARE(p.config.listenAddress, QStringLiteral("127.0.0.1"));
    QCOMPARE(p.config.port, RelayConfig::kDefaultPort);
    QCOMPARE(p.config.retry.maxAttempts, 3);
    QCOMPARE(p.config.strategy, Strategy::RoundRobin);
}

void TestConfigParser::testParse_invalid_reportsPathAndFix_data()
{
    QTest::addColumn<QByteArray>("json");
    QTest::addColumn<QString>("expected");
    QTest::newRow("not json") << QByteArray("{\n  \"listen\": ,\n}")
                              << QStringLiteral("file: not valid JSON at line 2");
    QTest::newRow("not object") << QByteArray("[1]") << QStringLiteral("one JSON object");
    QTest::newRow("bad url") << QByteArray(
        R"({"upstreams":[{"id":"a","baseUrl":"x"},{"id":"b","baseUrl":"nope"}]})")
                             << QStringLiteral("upstreams[1].baseUrl: not a URL");
    QTest::newRow("missing id") << QByteArray(R"({"upstreams":[{"baseUrl":"http://h/v1"}]})")
                                << QStringLiteral("upstreams[0].id: missing");
    QTest::newRow("bad type")
        << QByteArray(R"({"upstreams":[{"id":"a","baseUrl":"http://h/v1","type":"azure"}]})")
        << QStringLiteral("upstreams[0].type: unknown type \"azure\"; use openai");
    QTest::newRow("port range") << QByteArray(R"({"listen":{"port":70000}})")
                                << QStringLiteral("listen.port: must be between 1 and 65535");
    QTest::newRow("port type") << QByteArray(R"({"listen":{"port":"80"}})")
                               << QStringLiteral("listen.port: must be a whole number");
    QTest::newRow("route trait") << QByteArray(R"({"routes":[{"when":"vision","model":"m"}]})")
                                 << QStringLiteral("routes[0].when: unknown trait \"vision\"");
    QTest::newRow("route model") << QByteArray(R"({"routes":[{"when":"images"}]})")
                                 << QStringLiteral("routes[0].model: missing");
    QTest::newRow("route upstream")
        << QByteArray(R"({"routes":[{"when":"images","model":"m","upstream":"nope"}]})")
        << QStringLiteral("routes[0].upstream: no upstream has the id \"nope\"");
    QTest::newRow("route tokens on another trait")
        << QByteArray(R"({"routes":[{"when":"images","model":"m","tokens":5}]})")
        << QStringLiteral("routes[0].tokens: unknown field");
    QTest::newRow("strategy") << QByteArray(R"({"strategy":"fastest"})")
                              << QStringLiteral("strategy: unknown strategy \"fastest\"");
    QTest::newRow("typo") << QByteArray(R"({"upstreams":[{"id":"a","baseURL":"http://h/v1"}]})")
                          << QStringLiteral(
                                 "upstreams[0].baseURL: unknown field; known fields here:");
    QTest::newRow("proxy") << QByteArray(
        R"({"upstreams":[{"id":"a","baseUrl":"http://h/v1","proxy":"ftp://x"}]})")
                           << QStringLiteral("upstreams[0].proxy: use \"system\"");
    QTest::newRow("header name") << QByteArray(
        R"({"upstreams":[{"id":"a","baseUrl":"http://h/v1","headers":{"X Team":"r"}}]})")
                                 << QStringLiteral("upstreams[0].headers: header \"X Team\"");
    QTest::newRow("header value") << QByteArray(
        R"({"upstreams":[{"id":"a","baseUrl":"http://h/v1","headers":{"X-T":"a\r\nHost: b"}}]})")
                                  << QStringLiteral("upstreams[0].headers: header \"X-T\"");
    QTest::newRow("dup key") << QByteArray(
        R"({"upstreams":[{"id":"a","baseUrl":"http://h/v1","keys":[{"id":"k"},{"id":"k"}]}]})")
                             << QStringLiteral("upstreams[0].keys[1].id: duplicate key id");
    QTest::newRow("dup upstream") << QByteArray(
        R"({"upstreams":[{"id":"a","baseUrl":"http://h/v1"},{"id":"a","baseUrl":"http://h/v1"}]})")
                                  << QStringLiteral("upstreams[1].id: duplicate upstream id");
    QTest::newRow("models type")
        << QByteArray(R"({"upstreams":[{"id":"a","baseUrl":"http://h/v1","models":"gpt"}]})")
        << QStringLiteral("upstreams[0].models: must be a list of strings");
    QTest::newRow("short access") << QByteArray(R"({"accessKey":"abc"})")
                                  << QStringLiteral("accessKey: too short");
    QTest::newRow("listen address") << QByteArray(R"({"listen":{"address":"localhost:80"}})")
                                    << QStringLiteral("listen.address: not an IP address");
    QTest::newRow("attempts") << QByteArray(R"({"retry":{"maxAttempts":0}})")
                              << QStringLiteral("retry.maxAttempts: must be between 1 and 20");
}

// Each problem names its JSON path and says what to write instead.
void TestConfigParser::testParse_invalid_reportsPathAndFix()
{
    QFETCH(QByteArray, json);
    QFETCH(QString, expected);
    const ParsedConfig p = ConfigParser::parse(json);
    QVERIFY(!p.ok());
    const QString all = p.errors().join(u'\n');
    QVERIFY2(all.contains(expected), qPrintable(all));
}

// Parsing does not stop at the first problem.
void TestConfigParser::testParse_manyProblems_allReported()
{
    const ParsedConfig p = ConfigParser::parse(
        R"({"strategy":"x","listen":{"port":0},"upstreams":[{"id":"a","baseUrl":"bad"}]})");
    QCOMPARE(p.problems.size(), 3);
}

// What toJson writes, parse reads back to the same configuration; secrets are never written.
void TestConfigParser::testToJson_roundTrip_identicalWithoutSecrets()
{
    const ParsedConfig first = ConfigParser::parse(kFull);
    QVERIFY(!first.secrets.isEmpty());
    const QByteArray written = QJsonDocument(ConfigParser::toJson(first.config)).toJson();
    const ParsedConfig second = ConfigParser::parse(written);
    QVERIFY2(second.ok(), qPrintable(second.errors().join(u'\n')));
    QVERIFY(second.secrets.isEmpty());
    for (const QString &secret : first.secrets)
        QVERIFY2(!written.contains(secret.toUtf8()), qPrintable(secret));
    QCOMPARE(QJsonDocument(ConfigParser::toJson(second.config)).toJson(), written);
}

void TestConfigParser::testModelPattern_globs_data()
{
    QTest::addColumn<QString>("pattern");
    QTest::addColumn<QString>("model");
    QTest::addColumn<bool>("matches");
    QTest::newRow("exact") << "gpt-4o"
                           << "gpt-4o" << true;
    QTest::newRow("exact miss") << "gpt-4o"
                                << "gpt-4o-mini" << false;
    QTest::newRow("suffix star") << "gpt-4o*"
                                 << "gpt-4o-mini" << true;
    QTest::newRow("star only") << "*"
                               << "anything" << true;
    QTest::newRow("middle") << "claude-*-sonnet"
                            << "claude-3-5-sonnet" << true;
    QTest::newRow("middle miss") << "claude-*-sonnet"
                                 << "claude-3-opus" << false;
    QTest::newRow("prefix star") << "*-mini"
                                 << "o4-mini" << true;
}

void TestConfigParser::testModelPattern_globs()
{
    QFETCH(QString, pattern);
    QFETCH(QString, model);
    QFETCH(bool, matches);
    QCOMPARE(modelPatternMatches(pattern, model), matches);
}

void TestConfigParser::testModelMap_exactThenMostSpecificPattern_data()
{
    QTest::addColumn<QString>("client");
    QTest::addColumn<QString>("upstream");
    QTest::addColumn<bool>("served");
    // Claude Code's main and small models on a DeepSeek upstream.
    QTest::newRow("small model") << "claude-3-5-haiku-20241022"
                                 << "deepseek-chat" << true;
    QTest::newRow("main model") << "claude-opus-4-1"
                                << "deepseek-reasoner" << true;
    QTest::newRow("exact first") << "claude-sonnet-4-5"
                                 << "deepseek-v3.2" << true;
    QTest::newRow("caught by the broadest pattern") << "gpt-4o"
                                                    << "deepseek-reasoner" << true;
    QTest::newRow("listed name, not renamed by a pattern") << "deepseek-chat"
                                                           << "deepseek-chat" << true;
}

void TestConfigParser::testModelMap_exactThenMostSpecificPattern()
{
    QFETCH(QString, client);
    QFETCH(QString, upstream);
    QFETCH(bool, served);
    UpstreamConfig u;
    u.models = QStringList { "deepseek-chat", "deepseek-reasoner", "deepseek-v3.2" };
    // "claude-*" sorts before "claude-*haiku*": the more specific pattern wins, not the first.
    u.modelMap = { { "*", "deepseek-reasoner" },
                   { "claude-*", "deepseek-reasoner" },
                   { "claude-*haiku*", "deepseek-chat" },
                   { "claude-sonnet-4-5", "deepseek-v3.2" } };
    QCOMPARE(u.upstreamModel(client), upstream);
    QCOMPARE(u.serves(client), served);
}

QTEST_GUILESS_MAIN(TestConfigParser)
#include "TestConfigParser.moc"
