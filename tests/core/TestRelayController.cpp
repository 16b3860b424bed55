#include "RelayTestCase.h"
#include "service/RelayController.h"

#include <QJsonDocument>
#include <QTcpServer>
#include <QTcpSocket>
#include <QtTest>

using namespace relay;
using namespace relay::test;

// The facade the GUI and the admin API share: typed snapshots of what the relay does, state
// signals, pause and resume that really close and reopen the port, live port changes, a port
// taken at start with a move to a free one, edits with structured problems, probes of keys not
// saved yet, and today's figures restored after a restart.
class TestRelayController : public RelayTestCase
{
    Q_OBJECT
private Q_SLOTS:
    void testMergeDiff_patchTurnsBeforeIntoAfter();
    void testSnapshot_reflectsRequestsAndKeyStates();
    void testAllKeysRefused_keysExhaustedAndDown();
    void testPauseResume_closesAndReopensThePort();
    void testPortEdit_rebindsLive();
    void testPortTaken_reportedThenMovedToAFreePort();
    void testInvalidEdit_structuredProblemsNothingSaved();
    void testUnknownKey_refusedWithoutSaving();
    void testProbeDraft_unsavedKeyValidityAndModels();
    void testQuickEdits_runInOrderNoneLost();
    void testPortEdit_unavailablePortRefusedNothingSaved();
    void testIdle_noSnapshotWithoutChange();
    void testRestart_todayAndLastHourRestored();

private:
    bool start(int keys = 2);
    RelayController &controller() { return m_relay->controller(); }
    // The newest snapshot once `accept` holds for it (waits up to 10 s).
    RelaySnapshot waitFor(const std::function<bool(const RelaySnapshot &)> &accept);
    ConfigEditResult editAndWait(const ConfigEdit &edit);
    QByteArray readConfig() const;
};

bool TestRelayController::start(int keys)
{
    return m_relay->start(RelayFixture::config({ RelayFixture::upstream("a", *m_a, keys) }));
}

RelaySnapshot TestRelayController::waitFor(const std::function<bool(const RelaySnapshot &)> &accept)
{
    RelaySnapshot last;
    QSignalSpy spy(&controller(), &RelayController::snapshotReady);
    const bool ok = QTest::qWaitFor(
        [&] {
            if (!spy.isEmpty())
                last = spy.takeLast().at(0).value<RelaySnapshot>();
            return accept(controller().snapshot()) && accept(last);
        },
        10000);
    if (!ok)
        qWarning("no snapshot matched; the last one had state %s (%s)",
                 qPrintable(relayStateName(last.state)), qPrintable(last.reason));
    return last;
}

ConfigEditResult TestRelayController::editAndWait(const ConfigEdit &edit)
{
    ConfigEditResult result;
    bool done = false;
    controller().edit(edit, [&](const ConfigEditResult &r) {
        result = r;
        done = true;
    });
    if (!QTest::qWaitFor([&] { return done; }, 10000))
        result.problems.append({ "test", "timeout", {} });
    return result;
}

QByteArray TestRelayController::readConfig() const
{
    QFile f(m_relay->configPath());
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

// The windows send what changed in a dialog as a merge patch: applied to what they started from
// it gives what they show, it names nothing unchanged, and a field the file gained meanwhile
// survives it.
void TestRelayController::testMergeDiff_patchTurnsBeforeIntoAfter()
{
    const QJsonObject before = QJsonDocument::fromJson(R"({"name":"a","priority":0,
        "timeouts":{"connectMs":1000,"idleMs":5000},"headers":{"X-A":"1","X-B":"2"},
        "keys":[{"id":"k1"}]})")
                                   .object();
    QJsonObject after = before;
    after.insert(QStringLiteral("priority"), 3);
    after.insert(QStringLiteral("timeouts"),
                 QJsonObject { { "connectMs", 2000 }, { "idleMs", 5000 } });
    after.insert(QStringLiteral("headers"), QJsonObject { { "X-B", "2" }, { "X-C", "3" } });
    const QJsonObject patch = ConfigEdit::mergeDiff(before, after);
    QCOMPARE(patch,
             QJsonDocument::fromJson(R"({"priority":3,"timeouts":{"connectMs":2000},
                 "headers":{"X-A":null,"X-C":"3"}})")
                 .object());
    QCOMPARE(ConfigEdit::mergePatch(before, patch), after);
    QJsonObject onDisk = before;
    onDisk.insert(QStringLiteral("weight"), 7); // edited by hand while the dialog was open
    QCOMPARE(ConfigEdit::mergePatch(onDisk, patch).value(u"weight").toInt(), 7);
    QVERIFY(ConfigEdit::mergeDiff(after, after).isEmpty());
}

void TestRelayController::testSnapshot_reflectsRequestsAndKeyStates()
{
    QVERIFY(start());
    m_a->setDefaultFault("sk-secret-a-k2", Fault::httpStatus(401, R"({"error":"bad key"})"));
    QSignalSpy invalid(&controller(), &RelayController::keyInvalid);
    QSignalSpy finished(&controller(), &RelayController::requestsFinished);
    for (int i = 0; i < 3; ++i)
        QCOMPARE(m_relay->chatAndWait(QStringLiteral("m"))->status, 200);
    const RelaySnapshot s = waitFor([](const RelaySnapshot &s) { return s.today.requests == 3; });
    QCOMPARE(s.today.requests, 3);
    QCOMPARE(s.today.successes, 3);
    QCOMPARE(s.state, RelayState::Degraded);
    QCOMPARE(s.reason, QStringLiteral("some_keys_unusable"));
    QCOMPARE(s.port, m_relay->port());
    QCOMPARE(s.upstreams.size(), 1);
    const KeySnapshot &bad = s.upstreams.at(0).keys.at(1);
    QCOMPARE(bad.label, QStringLiteral("a-k2"));
    QCOMPARE(bad.state, KeyState::Invalid);
    QVERIFY2(bad.reason.contains(u"401"), qPrintable(bad.reason));
    QVERIFY2(bad.lastError.contains(u"HTTP 401"), qPrintable(bad.lastError));
    QCOMPARE(bad.last4, QStringLiteral("…a-k2"));
    QCOMPARE(s.upstreams.at(0).keys.at(0).state, KeyState::Ok);
    int inChart = 0;
    for (const MinutePoint &p : s.lastHour)
        inChart += p.requests;
    QCOMPARE(inChart, 3);
    QCOMPARE(invalid.size(), 1);
    QCOMPARE(invalid.at(0).at(1).toString(), QStringLiteral("a-k2"));
    int records = 0;
    for (const QList<QVariant> &batch : std::as_const(finished))
        records += int(batch.at(0).value<QList<RequestRecord>>().size());
    QCOMPARE(records, 3);
}

void TestRelayController::testAllKeysRefused_keysExhaustedAndDown()
{
    QVERIFY(start());
    QSignalSpy exhausted(&controller(), &RelayController::keysExhausted);
    waitFor([](const RelaySnapshot &s) { return s.state == RelayState::Healthy; });
    m_a->setDefaultFault("sk-secret-a-k1", Fault::httpStatus(401));
    m_a->setDefaultFault("sk-secret-a-k2", Fault::httpStatus(401));
    QCOMPARE(m_relay->chatAndWait(QStringLiteral("m"))->status, 502);
    const RelaySnapshot s
        = waitFor([](const RelaySnapshot &s) { return s.state == RelayState::Down; });
    QCOMPARE(s.reason, QStringLiteral("no_usable_key"));
    QCOMPARE(exhausted.size(), 1);
}

void TestRelayController::testPauseResume_closesAndReopensThePort()
{
    QVERIFY(start());
    const quint16 port = m_relay->port();
    QVERIFY(!RelayFixture::portRefused(port));
    QSignalSpy states(&controller(), &RelayController::stateChanged);
    controller().pause();
    QVERIFY(RelayFixture::portRefused(port)); // the port is really closed
    QCOMPARE(waitFor([](const RelaySnapshot &s) { return s.state == RelayState::Paused; }).state,
             RelayState::Paused);
    controller().resume();
    QCOMPARE(m_relay->port(), port); // the same port again
    QCOMPARE(m_relay->chatAndWait(QStringLiteral("m"))->status, 200);
    QCOMPARE(waitFor([](const RelaySnapshot &s) { return s.state == RelayState::Healthy; }).state,
             RelayState::Healthy);
    QVERIFY(!states.isEmpty());
}

void TestRelayController::testPortEdit_rebindsLive()
{
    QVERIFY(start());
    const quint16 oldPort = m_relay->port();
    QTcpServer probe;
    QVERIFY(probe.listen(QHostAddress::LocalHost));
    const quint16 newPort = probe.serverPort();
    probe.close();
    ConfigEdit edit;
    edit.value = { { "listen", QJsonObject { { "port", newPort } } } };
    const ConfigEditResult result = editAndWait(edit);
    QVERIFY2(result.ok(), qPrintable(ConfigProblem::messages(result.problems).join(u'\n')));
    QCOMPARE(m_relay->port(), newPort);
    QVERIFY(RelayFixture::portRefused(oldPort));
    QCOMPARE(m_relay->chatAndWait(QStringLiteral("m"))->status, 200);
    QCOMPARE(QJsonDocument::fromJson(readConfig())["listen"]["port"].toInt(), int(newPort));
}

void TestRelayController::testPortTaken_reportedThenMovedToAFreePort()
{
    QTcpServer blocker;
    QVERIFY(blocker.listen(QHostAddress::LocalHost));
    QJsonObject config = RelayFixture::config({ RelayFixture::upstream("a", *m_a, 1) });
    config.insert("listen", QJsonObject { { "port", blocker.serverPort() } });
    QVERIFY(m_relay->writeConfig(config));
    RelayService::Options options = m_relay->options();
    options.configPath = m_relay->configPath();
    options.portOverride = -1; // the file's port, as a user runs it
    RelayController c(options);
    QSignalSpy taken(&c, &RelayController::portUnavailable);
    QSignalSpy started(&c, &RelayController::started);
    c.start();
    QVERIFY(taken.wait(10000));
    QCOMPARE(taken.at(0).at(0).toInt(), int(blocker.serverPort()));
    QCOMPARE(taken.at(0).at(1).toString(), QStringLiteral("port_taken"));
    QVERIFY(taken.at(0).at(2).toString().contains(u"already in use"));
    QTRY_COMPARE(c.snapshot().reason, QStringLiteral("port_taken"));
    QCOMPARE(c.snapshot().state, RelayState::Down);

    bool done = false;
    ConfigEditResult result;
    c.moveToFreePort([&](const ConfigEditResult &r) {
        result = r;
        done = true;
    });
    QTRY_VERIFY_WITH_TIMEOUT(done, 10000);
    QVERIFY2(result.ok(), qPrintable(ConfigProblem::messages(result.problems).join(u'\n')));
    const quint16 port = c.service().port();
    QVERIFY(port > blocker.serverPort());
    QTRY_COMPARE(c.snapshot().state, RelayState::Healthy);
    QCOMPARE(QJsonDocument::fromJson(readConfig())["listen"]["port"].toInt(), int(port));
    QCOMPARE(started.size(), 1); // the first time the port opened, late as it was
}

// Edits sent faster than they are saved each build on the one before: none undoes another.
void TestRelayController::testQuickEdits_runInOrderNoneLost()
{
    QVERIFY(start(2));
    int answered = 0;
    ConfigEdit a;
    a.op = ConfigEdit::Op::PatchKey;
    a.upstreamId = "a";
    a.keyId = "a-k1";
    a.value = { { "label", "first" } };
    ConfigEdit b = a;
    b.keyId = "a-k2";
    b.value = { { "limits", QJsonObject { { "rpm", 7 } } } };
    ConfigEdit c;
    c.op = ConfigEdit::Op::AddKey;
    c.upstreamId = "a";
    c.value = { { "id", "a-k3" }, { "key", "sk-secret-a-k3" } };
    for (const ConfigEdit &e : { a, b, c })
        controller().edit(e, [&](const ConfigEditResult &r) {
            QVERIFY2(r.ok(), qPrintable(ConfigProblem::messages(r.problems).join(u'\n')));
            ++answered;
        });
    QTRY_COMPARE_WITH_TIMEOUT(answered, 3, 10000);
    const QJsonArray keys = QJsonDocument::fromJson(readConfig())["upstreams"][0]["keys"].toArray();
    QCOMPARE(keys.size(), 3);
    QCOMPARE(keys.at(0)["label"].toString(), QStringLiteral("first"));
    QCOMPARE(keys.at(1)["limits"]["rpm"].toInt(), 7);
    QCOMPARE(keys.at(2)["hint"].toString(), QStringLiteral("a-k3"));
}

// A port that cannot be opened is not saved: the file never holds a port the relay cannot use.
void TestRelayController::testPortEdit_unavailablePortRefusedNothingSaved()
{
    QVERIFY(start());
    QTcpServer blocker;
    QVERIFY(blocker.listen(QHostAddress::LocalHost));
    const QByteArray before = readConfig();
    ConfigEdit edit;
    edit.value = { { "listen", QJsonObject { { "port", blocker.serverPort() } } } };
    const ConfigEditResult result = editAndWait(edit);
    QCOMPARE(result.problems.size(), 1);
    QCOMPARE(result.problems.at(0).path, QStringLiteral("listen.port"));
    QCOMPARE(result.problems.at(0).code, QStringLiteral("port_unavailable"));
    QCOMPARE(readConfig(), before);
    QCOMPARE(m_relay->chatAndWait(QStringLiteral("m"))->status, 200); // still on its old port
}

void TestRelayController::testInvalidEdit_structuredProblemsNothingSaved()
{
    QVERIFY(start());
    const QByteArray before = readConfig();
    ConfigEdit edit;
    edit.op = ConfigEdit::Op::PatchUpstream;
    edit.upstreamId = "a";
    edit.value = { { "baseUrl", "not a url" }, { "weight", 0 } };
    const ConfigEditResult result = editAndWait(edit);
    QCOMPARE(result.refusal, ConfigEdit::Refusal::None);
    QCOMPARE(result.problems.size(), 2);
    QCOMPARE(result.problems.at(0).path, QStringLiteral("upstreams[0].baseUrl"));
    QCOMPARE(result.problems.at(0).code, QStringLiteral("invalid_url"));
    QCOMPARE(result.problems.at(1).path, QStringLiteral("upstreams[0].weight"));
    QCOMPARE(result.problems.at(1).code, QStringLiteral("out_of_range"));
    QCOMPARE(result.problems.at(1).args, QStringList({ "1", "1000" }));
    QCOMPARE(result.problems.at(1).message(),
             QStringLiteral("upstreams[0].weight: must be between 1 and 1000"));
    QCOMPARE(readConfig(), before);
    QCOMPARE(m_relay->chatAndWait(QStringLiteral("m"))->status, 200); // still the old config
}

void TestRelayController::testUnknownKey_refusedWithoutSaving()
{
    QVERIFY(start());
    const QByteArray before = readConfig();
    ConfigEdit edit;
    edit.op = ConfigEdit::Op::PatchKey;
    edit.upstreamId = "a";
    edit.keyId = "nope";
    edit.value = { { "enabled", false } };
    const ConfigEditResult result = editAndWait(edit);
    QCOMPARE(result.refusal, ConfigEdit::Refusal::UnknownKey);
    QVERIFY(result.message.contains(u"nope"));
    QCOMPARE(readConfig(), before);
}

void TestRelayController::testProbeDraft_unsavedKeyValidityAndModels()
{
    QVERIFY(start(1));
    m_b->setDefaultFault("sk-draft-good",
                         Fault::httpStatus(200, R"({"data":[{"id":"m-b"},{"id":"m-a"}]})"));
    m_b->setDefaultFault("sk-draft-bad", Fault::httpStatus(401, R"({"error":"no"})"));
    const QJsonObject draft { { "id", "draft" }, { "baseUrl", m_b->baseUrl().toString() } };
    const auto probe = [this](const QJsonObject &upstream, const QString &secret) {
        KeyProbeResult result;
        bool done = false;
        controller().probeDraft(upstream, secret, [&](const KeyProbeResult &r) {
            result = r;
            done = true;
        });
        if (!QTest::qWaitFor([&] { return done; }, 10000))
            result.error = QStringLiteral("test: no answer within 10 s");
        return result;
    };
    const KeyProbeResult good = probe(draft, QStringLiteral("sk-draft-good"));
    QVERIFY2(good.valid, qPrintable(good.error));
    QCOMPARE(good.status, 200);
    QCOMPARE(good.models, QStringList({ "m-a", "m-b" }));
    QCOMPARE(m_b->keysUsed().constLast(), QByteArray("sk-draft-good"));
    const KeyProbeResult bad = probe(draft, QStringLiteral("sk-draft-bad"));
    QVERIFY(!bad.valid);
    QCOMPARE(bad.status, 401);
    QVERIFY(!bad.error.contains(u"sk-draft-bad"));
    const qsizetype sent = m_b->keysUsed().size();
    const KeyProbeResult invalid
        = probe({ { "id", "draft" }, { "baseUrl", "ftp://x" } }, QStringLiteral("sk-draft-good"));
    QVERIFY(!invalid.valid);
    QVERIFY2(invalid.error.contains(u"baseUrl"), qPrintable(invalid.error));
    QCOMPARE(m_b->keysUsed().size(), sent); // nothing was sent for a draft that cannot be saved
    // Nothing of the drafts reached the configuration.
    QVERIFY(!readConfig().contains("draft"));
}

void TestRelayController::testIdle_noSnapshotWithoutChange()
{
    QVERIFY(start());
    QCOMPARE(m_relay->chatAndWait(QStringLiteral("m"))->status, 200);
    waitFor([](const RelaySnapshot &s) { return s.today.requests == 1; });
    QSignalSpy spy(&controller(), &RelayController::snapshotReady);
    // Let what the request itself set off settle (a snapshot is at most 250 ms behind)...
    while (spy.wait(1000))
        spy.clear();
    // ...then nothing happens, so nothing is sent: an idle relay does not wake the GUI.
    QVERIFY(!spy.wait(1500));
    QCOMPARE(m_relay->chatAndWait(QStringLiteral("m"))->status, 200);
    QVERIFY(spy.wait(5000)); // and a change is sent
}

void TestRelayController::testRestart_todayAndLastHourRestored()
{
    QVERIFY(start());
    QCOMPARE(m_relay->chatAndWait(QStringLiteral("m"))->status, 200);
    QCOMPARE(m_relay->chatAndWait(QStringLiteral("m"))->status, 200);
    waitFor([](const RelaySnapshot &s) { return s.today.requests == 2; });
    QVERIFY(m_relay->restart());
    const RelaySnapshot s = waitFor([](const RelaySnapshot &s) { return s.today.requests == 2; });
    QCOMPARE(s.today.requests, 2);
    QCOMPARE(s.today.successes, 2);
    int inChart = 0;
    for (const MinutePoint &p : s.lastHour)
        inChart += p.requests;
    QCOMPARE(inChart, 2);
}

QTEST_GUILESS_MAIN(TestRelayController)
#include "TestRelayController.moc"
