#pragma once

#include "RelayCall.h"
#include "config/RelayConfig.h"
#include "routing/HealthBook.h"
#include "routing/Picker.h"
#include "routing/Router.h"
#include "types/HttpResponder.h"
#include "types/IncomingRequest.h"
#include "types/RelaySnapshot.h"

#include <QJsonObject>
#include <QObject>
#include <QSet>
#include <functional>
#include <memory>

namespace relay {

class KeyStore;
class ModelCatalog;
class RelayExchange;
class UpstreamClient;
struct RequestRecord;

// Owns what outlives a single request: the live configuration, key health, rotation state,
// the upstream connection pools and the requests in flight.
class RelayEngine final : public QObject
{
    Q_OBJECT
public:
    explicit RelayEngine(const KeyStore &keys, QObject *parent = nullptr);
    ~RelayEngine() override;
    Q_DISABLE_COPY_MOVE(RelayEngine)

    // Applies a new configuration; requests in flight keep the upstream they already use.
    void setConfig(const RelayConfig &config);
    const RelayConfig &config() const { return m_config; }

    // Relays a request as `call` describes it, to the upstreams that can take it.
    void relay(const IncomingRequest &request, std::unique_ptr<HttpResponder> responder,
               const RelayCall &call);
    // The upstreams and keys that can take the call now, best first.
    RoutePlan replan(const RelayCall &call);

    // Upstreams and keys with their state now, for the GUI and /relay/status.
    QList<UpstreamSnapshot> upstreamSnapshots(qint64 nowMs) const;
    QJsonObject status() const;
    // GET /v1/models: OpenAI's list shape, or Anthropic's when the client speaks Anthropic;
    // GET /v1beta/models: Gemini's.
    // Upstreams that name no models contribute their provider's list (ModelCatalog), so the
    // answer may wait for it.
    void listModels(ClientFormat format, std::function<void(const QJsonObject &)> done);
    QJsonObject models(ClientFormat format) const;
    int inflight() const { return static_cast<int>(m_exchanges.size()); }
    // Ends every request in flight: streams get an error event, waiting ones a 503.
    void abortAll(const QString &reason);

    const KeyStore &keys() const { return m_keys; }
    HealthBook &health() { return m_health; }
    Router &router() { return m_router; }
    UpstreamClient &client() { return *m_client; }

Q_SIGNALS:
    // A request started (requestFinished follows when it ends).
    void activity();
    void requestFinished(const relay::RequestRecord &record);
    void idle();

private:
    void onExchangeFinished(RelayExchange *exchange);

    const KeyStore &m_keys;
    RelayConfig m_config;
    HealthBook m_health;
    Picker m_picker;
    Router m_router;
    UpstreamClient *m_client;
    ModelCatalog *m_catalog;
    QHash<QString, QByteArray> m_fingerprints; // key ref -> hash of secret and enabled flag
    QSet<RelayExchange *> m_exchanges;
    quint64 m_nextId = 1;
};

} // namespace relay
