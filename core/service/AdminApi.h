#pragma once

#include "types/HttpResponder.h"
#include "types/IncomingRequest.h"

#include <QJsonObject>
#include <QObject>
#include <memory>

namespace relay {

class RelayService;

// /admin/...: upstreams and keys (list, add, update, enable/disable, delete, probe), the request
// log and usage from the store, reload and access-key rotation. Every change goes through
// RelayService::applyEdit: validated like the file, secrets stored first, the file written
// atomically, then applied live. HttpFront has checked the admin key before this is reached.
class AdminApi final : public QObject
{
    Q_OBJECT
public:
    explicit AdminApi(RelayService &service, QObject *parent = nullptr);

    void handle(const IncomingRequest &request, std::unique_ptr<HttpResponder> responder);

private:
    using Responder = std::shared_ptr<HttpResponder>;
    void listUpstreams(const Responder &responder);
    void editUpstreams(const IncomingRequest &request, const QStringList &parts,
                       const Responder &responder);
    void probe(const QString &upstreamId, const QString &keyId, const Responder &responder);
    void readLog(const IncomingRequest &request, const Responder &responder);
    void readUsage(const IncomingRequest &request, const Responder &responder);
    // Applies the edited configuration, then answers with the upstream `answerId` (or `ok`).
    void commit(const QJsonObject &root, const QString &answerId, const QStringList &forget,
                int status, const Responder &responder);
    QJsonObject upstreamJson(const QString &id) const;

    RelayService &m_service;
};

} // namespace relay
