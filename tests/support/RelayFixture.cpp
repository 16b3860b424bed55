#include "RelayFixture.h"

#include "service/RelayController.h"

#include <QFile>
#include <QJsonDocument>
#include <QSignalSpy>
#include <QTcpSocket>
#include <QTest>

namespace relay::test {

QByteArray chatBody(const QString &model, bool stream)
{
    QJsonObject body {
        { QStringLiteral("model"), model },
        { QStringLiteral("messages"),
          QJsonArray { QJsonObject { { QStringLiteral("role"), QStringLiteral("user") },
                                     { QStringLiteral("content"), QStringLiteral("hi") } } } }
    };
    if (stream)
        body.insert(QStringLiteral("stream"), true);
    return QJsonDocument(body).toJson(QJsonDocument::Compact);
}

QString RelayFixture::secretFor(const QString &keyId)
{
    return QStringLiteral("sk-secret-") + keyId;
}

RelayFixture::RelayFixture()
{
    // Keys in a file of the test's own folder: a test run on a developer's machine must not
    // write into their keychain. TestSecrets chooses the real keychain, and cleans it up.
    m_options.secrets.mode = SecretVault::Mode::KeyFile;
    m_options.secrets.keyFilePath = m_dir.filePath(QStringLiteral("keys.json"));
}
RelayFixture::~RelayFixture() = default;

QJsonObject RelayFixture::upstream(const QString &id, const FakeUpstream &fake, int keyCount,
                                   const QJsonObject &extra)
{
    QJsonArray keys;
    for (int i = 1; i <= keyCount; ++i) {
        const QString keyId = id + QStringLiteral("-k") + QString::number(i);
        keys.append(QJsonObject { { QStringLiteral("id"), keyId },
                                  { QStringLiteral("label"), keyId },
                                  { QStringLiteral("key"), secretFor(keyId) } });
    }
    QJsonObject o { { QStringLiteral("id"), id },
                    { QStringLiteral("name"), id },
                    { QStringLiteral("type"), QStringLiteral("openai") },
                    { QStringLiteral("baseUrl"), fake.baseUrl().toString() },
                    { QStringLiteral("proxy"), QStringLiteral("none") },
                    { QStringLiteral("keys"), keys } };
    for (auto it = extra.begin(); it != extra.end(); ++it)
        o.insert(it.key(), it.value());
    return o;
}

QJsonObject RelayFixture::config(const QJsonArray &upstreams, const QJsonObject &extra)
{
    QJsonObject o { { QStringLiteral("accessKey"), QString::fromLatin1(kAccessKey) },
                    { QStringLiteral("upstreams"), upstreams } };
    for (auto it = extra.begin(); it != extra.end(); ++it)
        o.insert(it.key(), it.value());
    return o;
}

QJsonArray RelayFixture::providerUpstreams(const FakeUpstream &fake, int keyCount)
{
    QJsonArray out;
    for (const QString &type :
         { QStringLiteral("openai"), QStringLiteral("anthropic"), QStringLiteral("gemini") }) {
        QUrl base = fake.baseUrl();
        if (type == u"gemini")
            base.setPath(QStringLiteral("/v1beta"));
        out.append(upstream(type, fake, keyCount,
                            { { QStringLiteral("type"), type },
                              { QStringLiteral("baseUrl"), base.toString() },
                              { QStringLiteral("models"),
                                QJsonArray { QString(type + QStringLiteral("-chat")),
                                             QString(type + QStringLiteral("-think")),
                                             QString(type + QStringLiteral("-*")) } } }));
    }
    return out;
}

QJsonObject RelayFixture::providerUpstream(const FakeUpstream &fake, const QString &type,
                                           const QJsonObject &extra)
{
    for (const QJsonValue &v : providerUpstreams(fake)) {
        QJsonObject upstream = v.toObject();
        if (upstream.value(u"type").toString() == type) {
            for (auto it = extra.begin(); it != extra.end(); ++it)
                upstream.insert(it.key(), it.value());
            return upstream;
        }
    }
    return {};
}

QString RelayFixture::configPath() const
{
    return m_dir.filePath(QStringLiteral("config.json"));
}

bool RelayFixture::writeConfig(const QJsonObject &config)
{
    QFile f(configPath());
    if (!f.open(QIODevice::WriteOnly | QIODevice::Truncate))
        return false;
    return f.write(QJsonDocument(config).toJson()) > 0;
}

bool RelayFixture::start(const QJsonObject &config)
{
    return writeConfig(config) && restart();
}

bool RelayFixture::restart()
{
    RelayService::Options options = m_options;
    options.configPath = configPath();
    options.portOverride = 0;
    m_controller.reset(); // a restart: the old relay lets go of its port and its keychain batch
    m_controller = std::make_unique<RelayController>(options);
    return startController(*m_controller);
}

bool RelayFixture::startService(RelayService &service)
{
    return waitForStart(service, [&service] { service.start(); });
}

bool RelayFixture::startController(RelayController &controller)
{
    return waitForStart(controller.service(), [&controller] { controller.start(); });
}

bool RelayFixture::waitForStart(RelayService &service, const std::function<void()> &start)
{
    QSignalSpy started(&service, &RelayService::started);
    QSignalSpy failed(&service, &RelayService::startFailed);
    QSignalSpy listenFailed(&service, &RelayService::listenFailed);
    start();
    if (!QTest::qWaitFor(
            [&] { return !started.isEmpty() || !failed.isEmpty() || !listenFailed.isEmpty(); },
            15000)) {
        qWarning("relay did not start within 15 s");
        return false;
    }
    for (const QSignalSpy *spy : { &failed, &listenFailed }) {
        if (!spy->isEmpty()) {
            qWarning("relay did not start: %s", qPrintable(spy->constFirst().at(0).toString()));
            return false;
        }
    }
    return true;
}

quint16 RelayFixture::port() const
{
    return m_controller->service().port();
}

TestResponse *RelayFixture::request(const QByteArray &method, const QByteArray &path,
                                    const QByteArray &body,
                                    QList<QPair<QByteArray, QByteArray>> headers)
{
    bool hasAuth = false;
    for (const auto &[name, value] : headers)
        hasAuth = hasAuth || name.toLower() == "authorization" || name.toLower() == "x-api-key"
            || name.toLower() == "x-goog-api-key";
    if (!hasAuth)
        headers.append({ QByteArrayLiteral("Authorization"), QByteArray("Bearer ") + kAccessKey });
    bool hasType = false;
    for (const auto &[name, value] : headers)
        hasType = hasType || name.toLower() == "content-type";
    if (!body.isEmpty() && !hasType)
        headers.append(
            { QByteArrayLiteral("Content-Type"), QByteArrayLiteral("application/json") });
    auto *response = new TestResponse(&m_responses);
    response->send(port(), method, path, headers, body);
    return response;
}

TestResponse *RelayFixture::chat(const QString &model, bool stream)
{
    return request("POST", "/v1/chat/completions", chatBody(model, stream));
}

TestResponse *RelayFixture::chatAndWait(const QString &model, bool stream)
{
    TestResponse *response = chat(model, stream);
    wait(response);
    return response;
}

bool RelayFixture::wait(TestResponse *response, int timeoutMs)
{
    if (response->finished)
        return true;
    QSignalSpy spy(response, &TestResponse::done);
    return spy.wait(timeoutMs) || response->finished;
}

bool RelayFixture::portRefused(quint16 port)
{
    QTcpSocket socket;
    socket.connectToHost(QHostAddress::LocalHost, port);
    const bool settled = QTest::qWaitFor(
        [&] {
            return socket.state() != QAbstractSocket::ConnectingState
                && socket.state() != QAbstractSocket::HostLookupState;
        },
        5000);
    return settled && socket.state() == QAbstractSocket::UnconnectedState
        && socket.error() == QAbstractSocket::ConnectionRefusedError;
}

} // namespace relay::test
