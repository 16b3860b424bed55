#pragma once

#include "FakeUpstream.h"
#include "TestHttpClient.h"
#include "service/RelayController.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QTemporaryDir>
#include <functional>
#include <memory>

namespace relay::test {

// A real relay on a loopback port, configured through a real file in a temporary folder.
class RelayFixture
{
public:
    static constexpr auto kAccessKey = "test-access-key-0123456789";

    RelayFixture();
    ~RelayFixture();

    // An upstream entry for the config: keys are named "<id>-k1", "<id>-k2", ..., labelled by
    // their ids, with secrets "sk-secret-<key id>" (what the fake upstream sees).
    static QString secretFor(const QString &keyId);
    static QJsonObject upstream(const QString &id, const FakeUpstream &fake, int keyCount,
                                const QJsonObject &extra = {});
    static QJsonObject config(const QJsonArray &upstreams, const QJsonObject &extra = {});
    // One upstream of each type on a fake in provider mode: "openai" serves models "openai-*"
    // (listing openai-chat and openai-think), "anthropic" and "gemini" alike.
    static QJsonArray providerUpstreams(const FakeUpstream &fake, int keyCount = 1);
    // The one of type `type` among them, with the fields of `extra` set.
    static QJsonObject providerUpstream(const FakeUpstream &fake, const QString &type,
                                        const QJsonObject &extra = {});

    bool start(const QJsonObject &config);
    // Starts again from the file as it is now (a restart), with the same options.
    bool restart();
    // Secrets mode (a key file in dir() unless changed) and rotations of the next start.
    RelayService::Options &options() { return m_options; }
    // Starts a service and waits until it listens (or says why it cannot).
    static bool startService(RelayService &service);
    static bool startController(RelayController &controller);
    bool writeConfig(const QJsonObject &config);
    QString configPath() const;
    QString dir() const { return m_dir.path(); }
    RelayService &service() { return m_controller->service(); }
    RelayController &controller() { return *m_controller; }
    quint16 port() const;

    TestResponse *request(const QByteArray &method, const QByteArray &path,
                          const QByteArray &body = {},
                          QList<QPair<QByteArray, QByteArray>> headers = {});
    TestResponse *chat(const QString &model, bool stream = false);
    // Sends and waits for the whole response (or the connection to end).
    TestResponse *chatAndWait(const QString &model, bool stream = false);
    static bool wait(TestResponse *response, int timeoutMs = 15000);
    // Whether a connection to the port on 127.0.0.1 is refused (nothing listens there).
    static bool portRefused(quint16 port);

private:
    QTemporaryDir m_dir;
    static bool waitForStart(RelayService &service, const std::function<void()> &start);

    std::unique_ptr<RelayController> m_controller;
    RelayService::Options m_options;
    QObject m_responses;
};

QByteArray chatBody(const QString &model, bool stream);

} // namespace relay::test
