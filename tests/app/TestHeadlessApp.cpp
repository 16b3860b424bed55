#include "FakeUpstream.h"
#include "TestHttpClient.h"

#include <QScopeGuard>
#include <QSettings>
#include <QStandardPaths>
#include <QtTest>

#ifdef Q_OS_WIN
#include <qt_windows.h>
#include <shellapi.h>
#else
#include <unistd.h>
#endif

using namespace relay::test;

// The llm-relay executable as a user runs it: a real process, real signals, real output.
class TestHeadlessApp : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void init();
    void testFirstStart_noConfig_printsWhereAndAnswersNoUpstream();
    void testPortTaken_clearErrorSuggestsPort();
    void testPortRefused_clearErrorSuggestsPort();
    void testWindowsProgram_carriesIconVersionAndManifest();
    void testCheckConfig_reportsProblemsAndExitCode();
    void testQuickStart_envKeys_relaysAndNeverPrintsKeys();
    void testSigterm_streamFinishesThenExitZero();
    void testQuickStart_keysOnCommandLineRefused();
    void testNoKeychain_explainsChoicesAndLosesNothing();
    void testKeyFile_secondStartPrintsOnlyTheEnd();
    void testDefaultLocation_configFolderNeverMoves();
    void testQuit_endsTheRunningTrayApp();
    void testStartAtLogin_onThenOff();
    void testKilledTrayApp_nextStartRuns();
    void testTerminatedTrayApp_endsCleanly();

private:
    static quint16 freePort();
    static QString binary() { return qEnvironmentVariable("RELAY_BINARY"); }
    bool startRelay(QProcess &p, const QStringList &args,
                    const QProcessEnvironment &env = QProcessEnvironment::systemEnvironment());
    static QProcessEnvironment quickStartEnv(const QString &upstreamKeys);
    bool startQuickStart(QProcess &p, quint16 port, const FakeUpstream &fake,
                         const QProcessEnvironment &env);
    bool startTrayApp(QProcess &app, quint16 port, const QString &config);
    static bool healthy(quint16 port);
    static bool ownerOnly(const QString &path);
    static TestResponse *send(QObject *parent, quint16 port, const QByteArray &method,
                              const QByteArray &path, const QByteArray &key,
                              const QByteArray &body = {});
    static bool wait(TestResponse *r);

    std::unique_ptr<QTemporaryDir> m_dir;
    QByteArray m_stdout;
};

void TestHeadlessApp::init()
{
    QVERIFY2(QFileInfo::exists(binary()), "RELAY_BINARY must point at llm-relay");
    m_dir = std::make_unique<QTemporaryDir>();
    m_stdout.clear();
}

quint16 TestHeadlessApp::freePort()
{
    QTcpServer probe;
    probe.listen(QHostAddress::LocalHost, 0);
    return probe.serverPort();
}

bool TestHeadlessApp::startRelay(QProcess &p, const QStringList &args,
                                 const QProcessEnvironment &env)
{
    p.setProcessEnvironment(env);
    p.start(binary(), args);
    if (!p.waitForStarted(10000))
        return false;
    // Ready when the access key line is out, whole: a read can end in the middle of it.
    const auto ready = [this] {
        const qsizetype at = m_stdout.indexOf("Access key:");
        return at >= 0 && m_stdout.indexOf('\n', at) > at;
    };
    QElapsedTimer t;
    t.start();
    while (!ready() && t.elapsed() < 15000) {
        if (p.state() != QProcess::Running)
            return false;
        p.waitForReadyRead(200);
        m_stdout += p.readAllStandardOutput();
    }
    return ready();
}

QProcessEnvironment TestHeadlessApp::quickStartEnv(const QString &upstreamKeys)
{
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert("RELAY_UPSTREAM_KEYS", upstreamKeys);
    env.insert("RELAY_ACCESS_KEY", "quickstart-access-key-42");
    return env;
}

bool TestHeadlessApp::startQuickStart(QProcess &p, quint16 port, const FakeUpstream &fake,
                                      const QProcessEnvironment &env)
{
    return startRelay(
        p,
        { "--headless", "--port", QString::number(port), "--upstream", fake.baseUrl().toString() },
        env);
}

// The tray app (offscreen), up and answering /health; false with its error output if it ended.
bool TestHeadlessApp::startTrayApp(QProcess &app, quint16 port, const QString &config)
{
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert("QT_QPA_PLATFORM", "offscreen");
    app.setProcessEnvironment(env);
    app.start(binary(),
              { "--config", config, "--port", QString::number(port), "--key-file",
                m_dir->filePath("keys.json") });
    if (!app.waitForStarted(10000))
        return false;
    if (QTest::qWaitFor([&] { return healthy(port) || app.state() == QProcess::NotRunning; }, 30000)
        && app.state() == QProcess::Running)
        return true;
    qWarning() << "the tray app is not answering /health:" << app.readAllStandardError();
    return false;
}

// Nobody but the owner may read, write or enter it (Unix modes; Windows: see TestConfigFile).
bool TestHeadlessApp::ownerOnly(const QString &path)
{
    const auto others = QFileDevice::ReadGroup | QFileDevice::WriteGroup | QFileDevice::ExeGroup
        | QFileDevice::ReadOther | QFileDevice::WriteOther | QFileDevice::ExeOther;
    return QFileInfo::exists(path) && !(QFile::permissions(path) & others);
}

bool TestHeadlessApp::healthy(quint16 port)
{
    std::unique_ptr<TestResponse> r(send(nullptr, port, "GET", "/health", {}));
    return wait(r.get()) && r->status == 200;
}

TestResponse *TestHeadlessApp::send(QObject *parent, quint16 port, const QByteArray &method,
                                    const QByteArray &path, const QByteArray &key,
                                    const QByteArray &body)
{
    auto *r = new TestResponse(parent);
    r->send(port, method, path,
            { { "Authorization", "Bearer " + key }, { "Content-Type", "application/json" } }, body);
    return r;
}

bool TestHeadlessApp::wait(TestResponse *r)
{
    if (r->finished)
        return true;
    QSignalSpy spy(r, &TestResponse::done);
    return spy.wait(15000) || r->finished;
}

static QByteArray accessKeyFrom(const QByteArray &out)
{
    const qsizetype at = out.indexOf("Access key: ");
    return out.mid(at + 12, out.indexOf('\n', at) - at - 12).trimmed();
}

// A fresh machine: the relay creates its config, says where it is, the endpoint and the
// access key, answers with a clear error until an upstream exists, and stops cleanly.
void TestHeadlessApp::testFirstStart_noConfig_printsWhereAndAnswersNoUpstream()
{
    const QString config = m_dir->filePath("sub/config.json");
    const quint16 port = freePort();
    QProcess p;
    QVERIFY(startRelay(p,
                       { "--headless", "--config", config, "--port", QString::number(port),
                         "--key-file", m_dir->filePath("keys.json") }));
    QVERIFY(m_stdout.contains("Config:     " + config.toUtf8()));
    QVERIFY(m_stdout.contains("Endpoint:   http://127.0.0.1:" + QByteArray::number(port) + "/v1"));
    const QByteArray key = accessKeyFrom(m_stdout);
    QVERIFY(key.startsWith("sk-relay-") && key.size() == 49);
    QVERIFY(QFileInfo::exists(config));

    TestResponse *r = send(this, port, "POST", "/v1/chat/completions", key,
                           R"({"model":"gpt-4o","messages":[{"role":"user","content":"hi"}]})");
    QVERIFY(wait(r));
    QCOMPARE(r->status, 503);
    QCOMPARE(r->json().value("error").toObject().value("code").toString(),
             QStringLiteral("no_upstream_configured"));

    p.terminate(); // SIGTERM; on Windows WM_CLOSE to the main thread
    QVERIFY(p.waitForFinished(10000));
    QCOMPARE(p.exitStatus(), QProcess::NormalExit);
    QCOMPARE(p.exitCode(), 0);
}

// A taken port is reported with the way out.
void TestHeadlessApp::testPortTaken_clearErrorSuggestsPort()
{
    QTcpServer blocker;
    QVERIFY(blocker.listen(QHostAddress::LocalHost, 0));
    QProcess p;
    p.start(binary(),
            { "--headless", "--config", m_dir->filePath("c.json"), "--port",
              QString::number(blocker.serverPort()), "--key-file", m_dir->filePath("keys.json") });
    QVERIFY(p.waitForFinished(10000));
    QCOMPARE(p.exitCode(), 1);
    const QByteArray err = p.readAllStandardError();
    QVERIFY2(err.contains("already in use"), err.constData());
    QVERIFY(err.contains("--port"));
}

// A port the system refuses (Linux: below 1024 without the capability; Windows: a reserved
// range, which cannot be made here) is reported with the way out.
void TestHeadlessApp::testPortRefused_clearErrorSuggestsPort()
{
#ifdef Q_OS_WIN
    QSKIP("Windows refuses ports in its reserved ranges, which a test cannot create (under Wine "
          "every port opens)");
#else
    QFile unprivileged("/proc/sys/net/ipv4/ip_unprivileged_port_start");
    if (unprivileged.open(QIODevice::ReadOnly) && unprivileged.readAll().trimmed().toInt() <= 1023)
        QSKIP("this system lets anyone listen on port 1023 (ip_unprivileged_port_start)");
    const QStringList relay { binary(), "--headless", "--config",   m_dir->filePath("c.json"),
                              "--port", "1023",       "--key-file", m_dir->filePath("keys.json") };
    QProcess p;
    if (geteuid() == 0) { // root may listen anywhere: start the relay without that right
        const QString setpriv = QStandardPaths::findExecutable(QStringLiteral("setpriv"));
        if (setpriv.isEmpty())
            QSKIP("setpriv (util-linux) is needed to start the relay without "
                  "CAP_NET_BIND_SERVICE");
        p.start(setpriv, QStringList { "--inh-caps=-all", "--bounding-set=-all" } + relay);
    } else {
        p.start(relay.first(), relay.mid(1));
    }
    QVERIFY(p.waitForFinished(10000));
    QCOMPARE(p.exitCode(), 1);
    const QByteArray err = p.readAllStandardError();
    QVERIFY2(err.contains("not allowed to listen on 127.0.0.1:1023"), err.constData());
    QVERIFY(err.contains("below 1024"));
    QVERIFY(err.contains("--port"));
#endif
}

// What Explorer shows for llm-relay.exe: the program's icon and, in Properties, its name and
// the version --version prints; and what Windows reads before it starts it: the manifest.
void TestHeadlessApp::testWindowsProgram_carriesIconVersionAndManifest()
{
#ifndef Q_OS_WIN
    QSKIP("Windows resources exist only in the Windows program");
#else
    const std::wstring path = QDir::toNativeSeparators(binary()).toStdWString();
    QCOMPARE(ExtractIconExW(path.c_str(), -1, nullptr, nullptr, 0), 1u); // one icon group
    DWORD ignored = 0;
    const DWORD size = GetFileVersionInfoSizeW(path.c_str(), &ignored);
    QVERIFY(size > 0);
    QByteArray info(int(size), '\0');
    QVERIFY(GetFileVersionInfoW(path.c_str(), 0, size, info.data()));
    const auto value = [&info](const wchar_t *name) {
        void *text = nullptr;
        UINT length = 0;
        const std::wstring key = std::wstring(L"\\StringFileInfo\\040904B0\\") + name;
        if (!VerQueryValueW(info.data(), key.c_str(), &text, &length) || length == 0)
            return QString();
        return QString::fromWCharArray(static_cast<const wchar_t *>(text), int(length) - 1);
    };
    QCOMPARE(value(L"ProductName"), QStringLiteral("LLM Relay"));
    QProcess p;
    p.start(binary(), { "--version" });
    QVERIFY(p.waitForFinished(10000));
    const QString printed = QString::fromUtf8(p.readAllStandardOutput());
    QVERIFY(!value(L"ProductVersion").isEmpty());
    QVERIFY2(printed.contains(value(L"ProductVersion")),
             qPrintable(printed + QStringLiteral(" / ") + value(L"ProductVersion")));

    // The manifest Windows applies at start (resource type 24, id 1): one only, as ld drops
    // MinGW's default manifest when the program brings its own.
    HMODULE image = LoadLibraryExW(path.c_str(), nullptr, LOAD_LIBRARY_AS_DATAFILE);
    QVERIFY(image);
    const auto release = qScopeGuard([image] { FreeLibrary(image); });
    HRSRC resource = FindResourceW(image, MAKEINTRESOURCEW(1), MAKEINTRESOURCEW(24));
    QVERIFY(resource);
    const auto *bytes = static_cast<const char *>(LockResource(LoadResource(image, resource)));
    const QByteArray manifest(bytes, int(SizeofResource(image, resource)));
    QVERIFY2(manifest.contains("<dpiAwareness") && manifest.contains("PerMonitorV2"),
             manifest.constData());
    QVERIFY(manifest.contains("{8e0f7a12-bfb3-4fe8-b9a5-48fd50a15a9a}")); // Windows 10/11
    QVERIFY(manifest.contains(R"(level="asInvoker")"));
#endif
}

// --check-config lists each problem with its path and exits non-zero; a good file passes.
void TestHeadlessApp::testCheckConfig_reportsProblemsAndExitCode()
{
    const QString path = m_dir->filePath("c.json");
    QFile f(path);
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write(
        R"({"upstreams":[{"id":"a","baseUrl":"x"},{"id":"b","baseUrl":"http://h/v1","proxy":"ftp://p"}]})");
    f.close();
    QProcess p;
    p.start(binary(), { "--check-config", path });
    QVERIFY(p.waitForFinished(10000));
    QCOMPARE(p.exitCode(), 1);
    const QByteArray err = p.readAllStandardError();
    QVERIFY(err.contains("2 problem(s)"));
    QVERIFY(err.contains("upstreams[0].baseUrl: not a URL"));
    QVERIFY(err.contains("upstreams[1].proxy"));

    QVERIFY(f.open(QIODevice::WriteOnly | QIODevice::Truncate));
    f.write(R"({"upstreams":[{"id":"a","baseUrl":"http://h/v1"}]})");
    f.close();
    p.start(binary(), { "--check-config", path });
    QVERIFY(p.waitForFinished(10000));
    QCOMPARE(p.exitCode(), 0);
}

// Quick start: keys from the environment rotate, and no key ever reaches the output.
void TestHeadlessApp::testQuickStart_envKeys_relaysAndNeverPrintsKeys()
{
    FakeUpstream fake;
    QVERIFY(fake.start());
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert("RELAY_UPSTREAM_KEYS", "sk-live-aaaa1111,sk-live-bbbb2222");
    env.insert("RELAY_ACCESS_KEY", "quickstart-access-key-42");
    env.insert("RELAY_MAX_ATTEMPTS", "2");
    env.insert("RELAY_MODEL_MAP", "claude-*=big-model");
    const quint16 port = freePort();
    QProcess p;
    QVERIFY(startRelay(p,
                       { "--headless", "--port", QString::number(port), "--upstream",
                         fake.baseUrl().toString(), "--model-map", "claude-*haiku*=small-model" },
                       env));
    for (int i = 0; i < 2; ++i) {
        TestResponse *r
            = send(this, port, "POST", "/v1/chat/completions", "quickstart-access-key-42",
                   R"({"model":"m","messages":[{"role":"user","content":"hi"}]})");
        QVERIFY(wait(r));
        QCOMPARE(r->status, 200);
    }
    QCOMPARE(fake.keysUsed(), QList<QByteArray>({ "sk-live-aaaa1111", "sk-live-bbbb2222" }));
    // Claude Code's two models, mapped by the flag's pattern and the environment's.
    for (const auto &[client, upstream] : { std::pair { "claude-3-5-haiku-x", "small-model" },
                                            std::pair { "claude-sonnet-4-5", "big-model" } }) {
        TestResponse *r
            = send(this, port, "POST", "/v1/chat/completions", "quickstart-access-key-42",
                   QByteArray(R"({"model":")") + client
                       + R"(","messages":[{"role":"user","content":"hi"}]})");
        QVERIFY(wait(r));
        QCOMPARE(r->status, 200);
        QCOMPARE(QJsonDocument::fromJson(fake.requests().constLast().body)["model"].toString(),
                 QString::fromLatin1(upstream));
    }
    TestResponse *status = send(this, port, "GET", "/relay/status", "quickstart-access-key-42");
    QVERIFY(wait(status));
    QCOMPARE(status->status, 200);
    QVERIFY(!status->body.contains("sk-live"));

    p.terminate(); // SIGTERM; on Windows WM_CLOSE to the main thread
    QVERIFY(p.waitForFinished(10000));
    QCOMPARE(p.exitCode(), 0);
    const QByteArray all = m_stdout + p.readAllStandardOutput() + p.readAllStandardError();
    QVERIFY(all.contains(
        "POST /v1/chat/completions model=m upstream=127.0.0.1 key=key1 status=200 attempts=1"));
    QVERIFY(all.contains("model=claude-3-5-haiku-x upstream=127.0.0.1"));
    QVERIFY(!all.contains("aaaa1111"));
    QVERIFY(!all.contains("bbbb2222"));
}

// SIGTERM stops new connections, lets the running stream finish, then exits 0.
void TestHeadlessApp::testSigterm_streamFinishesThenExitZero()
{
    FakeUpstream fake;
    QVERIFY(fake.start());
    fake.setStreamShape(3, 0);
    fake.closeGate();
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert("RELAY_UPSTREAM_KEYS", "sk-live-cccc3333");
    env.insert("RELAY_ACCESS_KEY", "quickstart-access-key-42");
    const quint16 port = freePort();
    QProcess p;
    QVERIFY(startRelay(
        p,
        { "--headless", "--port", QString::number(port), "--upstream", fake.baseUrl().toString() },
        env));
    TestResponse *stream
        = send(this, port, "POST", "/v1/chat/completions", "quickstart-access-key-42",
               R"({"model":"m","stream":true,"messages":[{"role":"user","content":"hi"}]})");
    QSignalSpy chunk(stream, &TestResponse::chunkReceived);
    QVERIFY(chunk.wait(10000));

    p.terminate(); // SIGTERM; on Windows WM_CLOSE to the main thread
    QByteArray err;
    QTRY_VERIFY_WITH_TIMEOUT(
        (err += p.readAllStandardError()).contains("Waiting up to 10 s for 1 request(s)"), 10000);
    TestResponse *late = send(this, port, "GET", "/health", "x");
    QVERIFY(wait(late));
    QVERIFY(late->connectionLost); // no longer accepting
    QCOMPARE(p.state(), QProcess::Running); // still serving the stream

    fake.openGate();
    QVERIFY(wait(stream));
    QVERIFY2(stream->body.endsWith("data: [DONE]\n\n"), stream->body.constData());
    QVERIFY(p.waitForFinished(10000));
    QCOMPARE(p.exitCode(), 0);
}

// Upstream keys are not accepted on the command line, where `ps` shows them.
void TestHeadlessApp::testQuickStart_keysOnCommandLineRefused()
{
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.remove("RELAY_UPSTREAM_KEYS");
    QProcess p;
    p.setProcessEnvironment(env);
    p.start(binary(), { "--headless", "--upstream", "http://127.0.0.1:9/v1" });
    QVERIFY(p.waitForFinished(10000));
    QCOMPARE(p.exitCode(), 2);
    QVERIFY(p.readAllStandardError().contains("RELAY_UPSTREAM_KEYS"));
}

// No Secret Service reachable: the relay stops, says so, offers the two explicit choices, and
// leaves the config file (with its plain keys) exactly as it was.
void TestHeadlessApp::testNoKeychain_explainsChoicesAndLosesNothing()
{
#ifdef Q_OS_WIN
    QSKIP("Windows always has the Credential Manager; no environment makes it unreachable for "
          "one process, so this start cannot be produced there");
#endif
    const QString config = m_dir->filePath("config.json");
    const QByteArray content = R"({"accessKey":"plain-access-key-0123456789","upstreams":[)"
                               R"({"id":"a","baseUrl":"http://127.0.0.1:9/v1","keys":[)"
                               R"({"id":"k1","key":"sk-plain-upstream-key-1"}]}]})";
    QFile f(config);
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write(content);
    f.close();
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert("DBUS_SESSION_BUS_ADDRESS", "unix:path=" + m_dir->filePath("no-bus"));
    QProcess p;
    p.setProcessEnvironment(env);
    p.start(binary(), { "--headless", "--config", config, "--port", QString::number(freePort()) });
    QVERIFY(p.waitForFinished(20000));
    QCOMPARE(p.exitCode(), 1);
    const QByteArray err = p.readAllStandardError();
    QVERIFY2(err.contains("No OS keychain is reachable"), err.constData());
    QVERIFY(err.contains("--key-file FILE"));
    QVERIFY(err.contains("--keys-from-env"));
    QVERIFY(!err.contains("sk-plain-upstream-key-1"));
    QVERIFY(f.open(QIODevice::ReadOnly));
    QCOMPARE(f.readAll(), content);
}

// With --key-file the whole access key is printed on first start only; later starts print its
// last 4 characters.
void TestHeadlessApp::testKeyFile_secondStartPrintsOnlyTheEnd()
{
    const QString config = m_dir->filePath("config.json");
    const QStringList args { "--headless",
                             "--config",
                             config,
                             "--port",
                             QString::number(freePort()),
                             "--key-file",
                             m_dir->filePath("keys.json") };
    QByteArray key;
    for (int run = 0; run < 2; ++run) {
        QProcess p;
        m_stdout.clear();
        QVERIFY(startRelay(p, args));
        QTRY_VERIFY(m_stdout.append(p.readAllStandardOutput()).contains("(new:")
                    || m_stdout.contains("(kept in"));
        const QByteArray shown = accessKeyFrom(m_stdout);
        if (run == 0) {
            QVERIFY(shown.startsWith("sk-relay-") && shown.size() == 49);
            key = shown;
        } else {
            QCOMPARE(shown, "\xE2\x80\xA6" + key.right(4)); // "…" and the last 4
        }
        p.terminate();
        QVERIFY(p.waitForFinished(10000));
    }
}

// Without --config the file lives where the README says (~/.config/llm-relay/config.json on
// Linux): the folder must never move between versions, or users would lose their settings.
void TestHeadlessApp::testDefaultLocation_configFolderNeverMoves()
{
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
#ifdef Q_OS_WIN
    // %LOCALAPPDATA% comes from the shell's known folder, not from the environment: the test
    // uses the real one, and only where the relay has never been set up.
    const QString expected = QStandardPaths::writableLocation(QStandardPaths::GenericDataLocation)
        + "/llm-relay/config.json";
    if (QFileInfo::exists(QFileInfo(expected).path()))
        QSKIP("this user has an LLM Relay folder already; the test would change it");
    const auto cleanup = qScopeGuard([&] { QDir(QFileInfo(expected).path()).removeRecursively(); });
#else
    env.insert("XDG_CONFIG_HOME", m_dir->filePath("xdg"));
    const QString expected = m_dir->filePath("xdg/llm-relay/config.json");
#endif
    QProcess p;
    QVERIFY(startRelay(p,
                       { "--headless", "--port", QString::number(freePort()), "--key-file",
                         m_dir->filePath("keys.json") },
                       env));
    QVERIFY2(m_stdout.contains("Config:     " + expected.toUtf8()), m_stdout.constData());
    QVERIFY(QFileInfo::exists(expected));
#ifndef Q_OS_WIN
    // The folder it made is the user's alone (Windows: an ACL, see TestConfigFile).
    QVERIFY(ownerOnly(QFileInfo(expected).path()));
#endif
    p.kill();
    QVERIFY(p.waitForFinished(10000));
}

// What the installer runs before it replaces the program: `--quit` with the same config reaches
// the running tray app, which ends cleanly, and returns only once it has.
void TestHeadlessApp::testQuit_endsTheRunningTrayApp()
{
    const QString config = m_dir->filePath("config.json");
    const quint16 port = freePort();
    QProcess app;
    const auto stop = qScopeGuard([&] {
        app.kill();
        app.waitForFinished(10000);
    });
    QVERIFY(startTrayApp(app, port, config));

    const auto runQuit = [&](QByteArray *out) {
        QProcess quit;
        quit.start(binary(), { "--quit", "--config", config });
        const bool ended = quit.waitForFinished(40000) && quit.exitStatus() == QProcess::NormalExit;
        *out = quit.readAllStandardOutput() + quit.readAllStandardError();
        return ended ? quit.exitCode() : -1;
    };
    QByteArray said;
    QCOMPARE(runQuit(&said), 0);
    QVERIFY2(said.contains("LLM Relay has quit."), said.constData());
    QVERIFY(app.waitForFinished(10000)); // its lock goes last: the process is ending already
    QCOMPARE(app.exitStatus(), QProcess::NormalExit);
    QCOMPARE(app.exitCode(), 0);
    QCOMPARE(runQuit(&said), 0);
    QVERIFY2(said.contains("LLM Relay is not running"), said.constData());
}

// A tray app that crashed (killed: no chance to remove its lock file) does not block the next
// start: the lock names a process that is gone.
void TestHeadlessApp::testKilledTrayApp_nextStartRuns()
{
    const QString config = m_dir->filePath("config.json");
    const quint16 port = freePort();
    for (int run = 0; run < 2; ++run) {
        QProcess app;
        QVERIFY(startTrayApp(app, port, config));
        QVERIFY(QFileInfo::exists(config + ".lock"));
        app.kill();
        QVERIFY(app.waitForFinished(10000));
        QCOMPARE(app.exitStatus(), QProcess::CrashExit);
        QVERIFY(QFileInfo::exists(config + ".lock")); // left behind, as by a crash
    }
}

// A Linux session ending (SIGTERM), or on Windows a WM_CLOSE posted to its thread (what
// QProcess::terminate sends; not taskkill, see README): the tray app ends as from its menu,
// its lock removed. The folder it made for its config is the user's alone.
void TestHeadlessApp::testTerminatedTrayApp_endsCleanly()
{
    const QString config = m_dir->filePath("new/config.json"); // its folder made by the app
    const quint16 port = freePort();
    QProcess app;
    const auto stop = qScopeGuard([&] {
        app.kill();
        app.waitForFinished(10000);
    });
    QVERIFY(startTrayApp(app, port, config));
    app.terminate();
    QVERIFY(app.waitForFinished(20000));
    QCOMPARE(app.exitStatus(), QProcess::NormalExit);
    QCOMPARE(app.exitCode(), 0);
    QVERIFY2(!QFileInfo::exists(config + ".lock"), "the lock is removed by a clean end");
#ifndef Q_OS_WIN
    QVERIFY(ownerOnly(m_dir->filePath("new")));
#endif
}

// What the installer's "start at login" box runs: the app writes its own entry (the one its tray
// menu shows), pointing at itself, and removes it again.
void TestHeadlessApp::testStartAtLogin_onThenOff()
{
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
#ifdef Q_OS_WIN
    QSettings run("HKEY_CURRENT_USER\\Software\\Microsoft\\Windows\\CurrentVersion\\Run",
                  QSettings::NativeFormat);
    if (run.contains("LLM Relay"))
        QSKIP("this user starts LLM Relay at login already; the test would change that");
    const auto entry = [&run] {
        run.sync();
        return run.value("LLM Relay").toString();
    };
#else
    env.insert("XDG_CONFIG_HOME", m_dir->filePath("xdg"));
    const auto entry = [this] {
        QFile f(m_dir->filePath("xdg/autostart/llm-relay.desktop"));
        return f.open(QIODevice::ReadOnly) ? QString::fromUtf8(f.readAll()) : QString();
    };
#endif
    const auto set = [&](const QString &value, QByteArray *said) {
        QProcess p;
        p.setProcessEnvironment(env);
        p.start(binary(), { "--start-at-login", value });
        const bool ended = p.waitForFinished(10000) && p.exitStatus() == QProcess::NormalExit;
        *said = p.readAllStandardOutput() + p.readAllStandardError();
        return ended ? p.exitCode() : -1;
    };
    QByteArray said;
    const auto turnOff = qScopeGuard([&] { set("off", &said); }); // as found, even on failure
    QCOMPARE(set("on", &said), 0);
    QVERIFY2(said.contains("Start at login: on"), said.constData());
    const QString program = QFileInfo(binary()).fileName();
    QVERIFY2(entry().contains(program), qPrintable(entry()));
    QCOMPARE(set("off", &said), 0);
    QVERIFY2(said.contains("Start at login: off"), said.constData());
    QVERIFY(entry().isEmpty());
    QCOMPARE(set("maybe", &said), 2);
    QVERIFY2(said.contains("use on or off"), said.constData());
}

QTEST_GUILESS_MAIN(TestHeadlessApp)
#include "TestHeadlessApp.moc"
