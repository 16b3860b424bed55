#include "RelayTestCase.h"
#include "service/RelayService.h"
#include "store/StoreSchema.h"

#include <QSqlDatabase>
#include <QSqlQuery>
#include <QSqlRecord>
#include <QtTest>

using namespace relay;
using namespace relay::test;

// The SQLite store on real files: the request log and usage tables, the log's size limit,
// per-key limits (RPD and TPM) that survive a restart, and damaged or newer databases.
class TestStore : public RelayTestCase
{
    Q_OBJECT
private Q_SLOTS:
    void testRequests_loggedWithTokensAndUsage();
    void testRequestLog_keepsNewestUpToLimit();
    void testRestart_limitsAndUsageSurvive();
    void testDamagedDatabase_setAsideAndReplaced();
    void testNewerSchema_startRefusedClearly();
    void testVersion1Database_migratedKeepingRows();
    void testCaptureBodies_storedWithSecretsRedacted();

private:
    QString dbPath() const { return m_relay->dir() + QStringLiteral("/relay.db"); }
    // Runs one query on its own connection (as a user's sqlite3 would) and returns the rows.
    QList<QVariantList> query(const QString &sql);
    static QJsonObject limited(const QString &id, const FakeUpstream &fake,
                               const QJsonObject &limits);
};

QList<QVariantList> TestStore::query(const QString &sql)
{
    QList<QVariantList> rows;
    {
        QSqlDatabase db
            = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), QStringLiteral("probe"));
        db.setDatabaseName(dbPath());
        if (!db.open())
            return rows;
        QSqlQuery q(db);
        if (q.exec(sql)) {
            while (q.next()) {
                QVariantList row;
                for (int i = 0; i < q.record().count(); ++i)
                    row.append(q.value(i));
                rows.append(row);
            }
        }
    }
    QSqlDatabase::removeDatabase(QStringLiteral("probe"));
    return rows;
}

QJsonObject TestStore::limited(const QString &id, const FakeUpstream &fake,
                               const QJsonObject &limits)
{
    QJsonObject upstream = RelayFixture::upstream(id, fake, 1);
    QJsonArray keys = upstream.value("keys").toArray();
    QJsonObject only = keys.at(0).toObject();
    only.insert("limits", limits);
    keys.replace(0, only);
    upstream.insert("keys", keys);
    upstream.insert("models", QJsonArray { id + QStringLiteral("-*") });
    return upstream;
}

// Each request becomes a log row with what the upstream reported; usage adds up per day, key
// and model; the file is in WAL mode at the latest schema version.
void TestStore::testRequests_loggedWithTokensAndUsage()
{
    QVERIFY(m_relay->start(RelayFixture::config({ RelayFixture::upstream("a", *m_a, 1) })));
    QCOMPARE(m_relay->chatAndWait("m1")->status, 200);
    QCOMPARE(m_relay->chatAndWait("m1")->status, 200);
    m_a->setDefaultFault("sk-secret-a-k1", Fault::httpStatus(400));
    QCOMPARE(m_relay->chatAndWait("m2")->status, 400);
    QTRY_COMPARE(query("SELECT count(*) FROM requests").value(0).value(0).toInt(), 3);

    const auto rows = query("SELECT model, upstream, key_label, status, attempts, tokens_in, "
                            "tokens_out, client_format FROM requests ORDER BY id");
    QCOMPARE(rows.at(0), (QVariantList { "m1", "a", "a-k1", 200, 1, 5, 3, "openai" }));
    QCOMPARE(rows.at(2).at(3).toInt(), 400);
    const auto usage = query("SELECT key_ref, model, requests, tokens_in, tokens_out FROM "
                             "usage_daily ORDER BY model");
    QCOMPARE(usage.at(0), (QVariantList { "a/a-k1", "m1", 2, 10, 6 }));
    QCOMPARE(query("SELECT count(*) FROM requests WHERE request_body IS NOT NULL "
                   "OR response_body IS NOT NULL")
                 .value(0)
                 .value(0)
                 .toInt(),
             0); // bodies only with captureBodies
    QCOMPARE(query("PRAGMA journal_mode").value(0).value(0).toString(), QStringLiteral("wal"));
    QCOMPARE(query("PRAGMA user_version").value(0).value(0).toInt(), StoreSchema::latestVersion());
}

// requestLogLimit keeps the newest entries only.
void TestStore::testRequestLog_keepsNewestUpToLimit()
{
    QVERIFY(m_relay->start(
        RelayFixture::config({ RelayFixture::upstream("a", *m_a, 1) },
                             { { "store", QJsonObject { { "requestLogLimit", 100 } } } })));
    for (int i = 0; i < 110; ++i)
        QCOMPARE(m_relay->chatAndWait(QStringLiteral("m%1").arg(i))->status, 200);
    QTRY_COMPARE(query("SELECT max(model = 'm109') FROM requests").value(0).value(0).toInt(), 1);
    QCOMPARE(query("SELECT count(*) FROM requests").value(0).value(0).toInt(), 100);
    QCOMPARE(query("SELECT count(*) FROM requests WHERE model = 'm9'").value(0).value(0).toInt(),
             0);
}

// Restarting does not reset the per-key limits: requests of the day (RPD) and tokens of the
// minute (TPM) count on, and /relay/status shows them.
void TestStore::testRestart_limitsAndUsageSurvive()
{
    QVERIFY(m_relay->start(RelayFixture::config(
        { limited("a", *m_a, { { "rpd", 3 } }), limited("b", *m_b, { { "tpm", 10 } }) })));
    QCOMPARE(m_relay->chatAndWait("a-m")->status, 200);
    QCOMPARE(m_relay->chatAndWait("a-m")->status, 200);
    QCOMPARE(m_relay->chatAndWait("b-m")->status, 200); // 8 tokens
    QCOMPARE(m_relay->chatAndWait("b-m")->status, 200); // 16 tokens: at the limit now
    QCOMPARE(m_relay->chatAndWait("b-m")->status, 429);

    QVERIFY(m_relay->restart());
    const QJsonObject a = keyStatus("a-k1").value("usage").toObject();
    QCOMPARE(a.value("today").toInt(), 2);
    const QJsonObject b = keyStatus("b-k1");
    QCOMPARE(b.value("usage").toObject().value("tokensLastMinute").toInt(), 16);
    QCOMPARE(b.value("state").toString(), QStringLiteral("limited"));
    QCOMPARE(m_relay->chatAndWait("b-m")->status, 429);
    QCOMPARE(m_relay->chatAndWait("a-m")->status, 200); // the third of the day
    TestResponse *r = m_relay->chatAndWait("a-m");
    QCOMPARE(r->status, 429);
    QVERIFY(!r->header("retry-after").isEmpty());
}

// A file that is not a database is kept aside, a new one started, and the user told.
void TestStore::testDamagedDatabase_setAsideAndReplaced()
{
    QFile f(dbPath());
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write(QByteArray(8192, 'x'));
    f.close();
    QVERIFY(m_relay->writeConfig(RelayFixture::config({ RelayFixture::upstream("a", *m_a, 1) })));
    RelayService service({ m_relay->configPath(), false, {}, {}, 0, m_relay->options().secrets });
    QSignalSpy notices(&service, &RelayService::notice);
    QVERIFY(RelayFixture::startService(service));
    QStringList all;
    for (const QList<QVariant> &n : std::as_const(notices))
        all.append(n.at(0).toString());
    QVERIFY2(all.join('\n').contains(QStringLiteral("damaged")), qPrintable(all.join('\n')));
    QCOMPARE(QDir(m_relay->dir()).entryList({ QStringLiteral("relay.db.damaged-*") }).size(), 1);
    QCOMPARE(query("PRAGMA user_version").value(0).value(0).toInt(), StoreSchema::latestVersion());
}

// A database from a newer version is not touched: the start stops and says why.
void TestStore::testNewerSchema_startRefusedClearly()
{
    query("PRAGMA user_version = 99");
    QCOMPARE(query("PRAGMA user_version").value(0).value(0).toInt(), 99);
    QVERIFY(m_relay->writeConfig(RelayFixture::config({ RelayFixture::upstream("a", *m_a, 1) })));
    RelayService service({ m_relay->configPath(), false, {}, {}, 0, m_relay->options().secrets });
    QSignalSpy failed(&service, &RelayService::startFailed);
    service.start();
    QVERIFY(failed.wait(10000));
    QVERIFY2(failed.constFirst().at(0).toString().contains(QStringLiteral("newer")),
             qPrintable(failed.constFirst().at(0).toString()));
    QCOMPARE(query("PRAGMA user_version").value(0).value(0).toInt(), 99);
}

// A database written by the first schema is migrated on start; its rows stay.
void TestStore::testVersion1Database_migratedKeepingRows()
{
    for (const char *sql :
         { "CREATE TABLE requests (id INTEGER PRIMARY KEY AUTOINCREMENT, started_ms INTEGER NOT "
           "NULL, client_format TEXT, method TEXT, path TEXT, model TEXT, upstream TEXT, key_label "
           "TEXT, status INTEGER, attempts INTEGER, latency_ms INTEGER, ttfb_ms INTEGER, tokens_in "
           "INTEGER, tokens_out INTEGER, stream INTEGER, error TEXT)",
           "CREATE INDEX requests_started ON requests(started_ms)",
           "CREATE TABLE usage_daily (day TEXT NOT NULL, key_ref TEXT NOT NULL, model TEXT NOT "
           "NULL, requests INTEGER NOT NULL, tokens_in INTEGER NOT NULL, tokens_out INTEGER NOT "
           "NULL, PRIMARY KEY (day, key_ref, model)) WITHOUT ROWID",
           "CREATE TABLE usage_minute (minute_ms INTEGER NOT NULL, key_ref TEXT NOT NULL, attempts "
           "INTEGER NOT NULL, tokens INTEGER NOT NULL, last_ms INTEGER NOT NULL, PRIMARY KEY "
           "(minute_ms, key_ref)) WITHOUT ROWID",
           "INSERT INTO requests (started_ms, model, status) VALUES (1, 'old-model', 200)",
           "PRAGMA user_version = 1" })
        query(QString::fromLatin1(sql));
    QCOMPARE(query("PRAGMA user_version").value(0).value(0).toInt(), 1);
    QVERIFY(m_relay->start(RelayFixture::config({ RelayFixture::upstream("a", *m_a, 1) })));
    QCOMPARE(query("PRAGMA user_version").value(0).value(0).toInt(), StoreSchema::latestVersion());
    QCOMPARE(query("SELECT model FROM requests").value(0).value(0).toString(),
             QStringLiteral("old-model"));
    QCOMPARE(m_relay->chatAndWait("m")->status, 200);
    QTRY_COMPARE(query("SELECT count(*) FROM requests").value(0).value(0).toInt(), 2);
}

// captureBodies: request and response bodies are kept for debugging, with every secret the
// relay knows replaced, even one a user pasted into a prompt.
void TestStore::testCaptureBodies_storedWithSecretsRedacted()
{
    QVERIFY(m_relay->start(
        RelayFixture::config({ RelayFixture::upstream("a", *m_a, 1) },
                             { { "store", QJsonObject { { "captureBodies", true } } } })));
    const QByteArray body = R"({"model":"m","messages":[{"role":"user","content":"my keys: )"
                            "sk-secret-a-k1 and "
        + QByteArray(RelayFixture::kAccessKey) + R"("}]})";
    TestResponse *r = m_relay->request("POST", "/v1/chat/completions", body);
    QVERIFY(RelayFixture::wait(r));
    QCOMPARE(r->status, 200);
    QTRY_COMPARE(query("SELECT count(*) FROM requests").value(0).value(0).toInt(), 1);
    const QVariantList row = query("SELECT request_body, response_body FROM requests").value(0);
    const QByteArray request = row.value(0).toByteArray();
    QVERIFY2(request.contains("my keys: [redacted] and [redacted]"), request.constData());
    QVERIFY(!request.contains("sk-secret-a-k1"));
    QVERIFY(!request.contains(RelayFixture::kAccessKey));
    QVERIFY(row.value(1).toByteArray().contains("chat.completion"));
}

QTEST_GUILESS_MAIN(TestStore)
#include "TestStore.moc"
