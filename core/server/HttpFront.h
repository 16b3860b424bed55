#pragma once

#include "HttpServerAdapter.h"

#include <functional>

namespace relay {

class KeyStore;
class RelayEngine;

// The relay's HTTP surface: authentication, request validation and dispatch.
class HttpFront final : public HttpServerAdapter
{
    Q_OBJECT
public:
    // Reloads, then calls back with the problems (empty once the new configuration is live).
    using ReloadDone = std::function<void(const QStringList &problems)>;
    using ReloadHandler = std::function<void(ReloadDone done)>;

    HttpFront(RelayEngine &engine, const KeyStore &keys, QObject *parent = nullptr);
    void setReloadHandler(ReloadHandler handler) { m_reload = std::move(handler); }

protected:
    void handle(const IncomingRequest &request, std::unique_ptr<HttpResponder> responder) override;

private:
    bool authorized(const IncomingRequest &request) const;
    void handleChat(const IncomingRequest &request, std::unique_ptr<HttpResponder> responder);
    void handleMessages(const IncomingRequest &request, std::unique_ptr<HttpResponder> responder);
    void handleCountTokens(const IncomingRequest &request,
                           std::unique_ptr<HttpResponder> responder);
    void handlePassthrough(const IncomingRequest &request,
                           std::unique_ptr<HttpResponder> responder);
    void handleReload(std::unique_ptr<HttpResponder> responder);
    static void answerReload(HttpResponder &responder, const QStringList &problems);

    RelayEngine &m_engine;
    const KeyStore &m_keys;
    ReloadHandler m_reload;
};

} // namespace relay
