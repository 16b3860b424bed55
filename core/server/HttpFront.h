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
    using ReloadHandler = std::function<QStringList()>; // returns the problems, empty if applied

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

    RelayEngine &m_engine;
    const KeyStore &m_keys;
    ReloadHandler m_reload;
};

} // namespace relay
