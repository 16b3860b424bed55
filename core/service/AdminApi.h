#pragma once

#include "ConfigEdit.h"
#include "types/HttpResponder.h"
#include "types/IncomingRequest.h"

#include <QObject>
#include <memory>

namespace relay {

class RelayController;

// /admin/...: HTTP and JSON over RelayController, which does the work (the GUI calls the same
// methods). HttpFront has checked the admin key before this is reached.
class AdminApi final : public QObject
{
    Q_OBJECT
public:
    explicit AdminApi(RelayController &controller, QObject *parent = nullptr);

    void handle(const IncomingRequest &request, std::unique_ptr<HttpResponder> responder);

private:
    using Responder = std::shared_ptr<HttpResponder>;
    // The config edit a request asks for; false (and answered) when there is none.
    bool editFor(const IncomingRequest &request, const QStringList &parts, ConfigEdit *edit,
                 const Responder &responder) const;
    void apply(const ConfigEdit &edit, int status, const Responder &responder);
    void probe(const IncomingRequest &request, const QStringList &parts,
               const Responder &responder);
    void readLog(const IncomingRequest &request, const Responder &responder);
    void readUsage(const IncomingRequest &request, const Responder &responder);

    RelayController &m_controller;
};

} // namespace relay
