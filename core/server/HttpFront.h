#pragma once

#include "HttpServerAdapter.h"
#include "config/ConfigProblem.h"

#include <functional>
#include <memory>

namespace relay {

class GeminiFront;
class KeyStore;
class RelayEngine;

// The relay's HTTP surface: authentication, request validation and dispatch.
class HttpFront final : public HttpServerAdapter
{
    Q_OBJECT
public:
    // Reloads, then calls back with the problems (empty once the new configuration is live).
    using ReloadDone = std::function<void(const ConfigProblems &problems)>;
    using ReloadHandler = std::function<void(ReloadDone done)>;

    using AdminHandler
        = std::function<void(const IncomingRequest &request, std::unique_ptr<HttpResponder>)>;

    HttpFront(RelayEngine &engine, const KeyStore &keys, QObject *parent = nullptr);
    ~HttpFront() override;
    void setReloadHandler(ReloadHandler handler) { m_reload = std::move(handler); }
    // Serves /admin/... once the request carries the admin key.
    void setAdminHandler(AdminHandler handler) { m_admin = std::move(handler); }
    static void answerReload(HttpResponder &responder, const ConfigProblems &problems);

protected:
    void handle(const IncomingRequest &request, std::unique_ptr<HttpResponder> responder) override;

private:
    // Whether the request presents the secret stored under ref (Bearer or the named header).
    bool presents(const IncomingRequest &request, const QString &ref,
                  const QByteArray &header) const;
    void handleAdmin(const IncomingRequest &request, std::unique_ptr<HttpResponder> responder);
    void handleChat(const IncomingRequest &request, std::unique_ptr<HttpResponder> responder);
    void handleResponses(const IncomingRequest &request, std::unique_ptr<HttpResponder> responder);
    void handleMessages(const IncomingRequest &request, std::unique_ptr<HttpResponder> responder);
    void handleCountTokens(const IncomingRequest &request,
                           std::unique_ptr<HttpResponder> responder);
    void handlePassthrough(const IncomingRequest &request,
                           std::unique_ptr<HttpResponder> responder);
    void handleReload(std::unique_ptr<HttpResponder> responder);

    RelayEngine &m_engine;
    const KeyStore &m_keys;
    ReloadHandler m_reload;
    AdminHandler m_admin;
    std::unique_ptr<GeminiFront> m_gemini;
};

} // namespace relay
