#include "AdminApi.h"

#include "RelayController.h"
#include "secrets/KeyStore.h"
#include "server/HttpFront.h"
#include "store/StoreWriter.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QUrlQuery>

namespace relay {

namespace {
void sendJson(HttpResponder &responder, int status, const QJsonObject &body)
{
    responder.respondJson(status, QJsonDocument(body).toJson(QJsonDocument::Compact));
}

void sendError(HttpResponder &responder, int status, const QString &code, const QString &message,
               const ConfigProblems &problems = {})
{
    QJsonObject error { { QStringLiteral("code"), code }, { QStringLiteral("message"), message } };
    if (!problems.isEmpty())
        error.insert(QStringLiteral("problems"), ConfigProblem::toJson(problems));
    sendJson(responder, status, { { QStringLiteral("error"), error } });
}

QJsonObject probeJson(const KeyProbeResult &r)
{
    QJsonObject answer { { QStringLiteral("valid"), r.valid },
                         { QStringLiteral("status"), r.status },
                         { QStringLiteral("latencyMs"), r.latencyMs },
                         { QStringLiteral("models"), QJsonArray::fromStringList(r.models) } };
    if (!r.error.isEmpty())
        answer.insert(QStringLiteral("error"), r.error);
    return answer;
}
} // namespace

AdminApi::AdminApi(RelayController &controller, QObject *parent)
    : QObject(parent)
    , m_controller(controller)
{ }

void AdminApi::handle(const IncomingRequest &request, std::unique_ptr<HttpResponder> unique)
{
    const Responder responder(std::move(unique));
    const QStringList parts = request.path.mid(7).split(u'/', Qt::SkipEmptyParts); // "/admin/"
    const QByteArray &method = request.method;
    const QString first = parts.value(0);
    ConfigEdit edit;
    if (first == u"upstreams" && parts.size() == 1 && method == "GET") {
        sendJson(
            *responder, 200,
            { { QStringLiteral("upstreams"), m_controller.configJson().value(u"upstreams") } });
    } else if ((first == u"upstreams" && parts.size() == 5 && parts.at(4) == u"probe")
               || (first == u"probe" && parts.size() == 1)) {
        if (method == "POST")
            probe(request, parts, responder);
        else
            sendError(*responder, 405, QStringLiteral("method_not_allowed"),
                      QStringLiteral("Use POST to probe a key."));
    } else if (first == u"upstreams" || (first == u"settings" && parts.size() == 1)) {
        if (editFor(request, parts, &edit, responder))
            apply(edit,
                  edit.op == ConfigEdit::Op::AddUpstream || edit.op == ConfigEdit::Op::AddKey ? 201
                                                                                              : 200,
                  responder);
    } else if (first == u"requests" && method == "GET") {
        readLog(request, responder);
    } else if (first == u"stats" && method == "GET") {
        readUsage(request, responder);
    } else if (first == u"reload" && method == "POST") {
        m_controller.reload([responder](const ConfigProblems &problems) {
            HttpFront::answerReload(*responder, problems);
        });
    } else if (first == u"access-key" && parts.value(1) == u"rotate" && method == "POST") {
        m_controller.rotateKey(
            KeyStore::accessKeyRef(), [responder](const QString &key, const QString &error) {
                if (!error.isEmpty())
                    sendError(*responder, 500, QStringLiteral("keychain_error"), error);
                else
                    sendJson(
                        *responder, 200,
                        { { QStringLiteral("accessKey"), key },
                          { QStringLiteral("note"),
                            QStringLiteral("Shown this once; the old key no longer works.") } });
            });
    } else {
        sendError(*responder, 404, QStringLiteral("not_found"),
                  QStringLiteral("Unknown admin call %1 %2; see the README's admin API table.")
                      .arg(QString::fromLatin1(method), request.path));
    }
}

bool AdminApi::editFor(const IncomingRequest &request, const QStringList &parts, ConfigEdit *edit,
                       const Responder &responder) const
{
    const QByteArray &method = request.method;
    if (method == "POST" || method == "PUT" || method == "PATCH") {
        QJsonParseError parseError {};
        const QJsonDocument doc = QJsonDocument::fromJson(request.body, &parseError);
        if (!doc.isObject()) {
            sendError(
                *responder, 400, QStringLiteral("invalid_json"),
                QStringLiteral("The body must be a JSON object: %1").arg(parseError.errorString()));
            return false;
        }
        edit->value = doc.object();
    }
    using Op = ConfigEdit::Op;
    edit->upstreamId = parts.value(1);
    edit->keyId = parts.value(3);
    const bool keys = parts.value(2) == u"keys";
    struct Route
    {
        qsizetype parts;
        bool keys;
        const char *method;
        Op op;
    };
    static constexpr Route kRoutes[] = {
        { 1, false, "POST", Op::AddUpstream },    { 2, false, "PUT", Op::ReplaceUpstream },
        { 2, false, "PATCH", Op::PatchUpstream }, { 2, false, "DELETE", Op::RemoveUpstream },
        { 3, true, "POST", Op::AddKey },          { 4, true, "PATCH", Op::PatchKey },
        { 4, true, "DELETE", Op::RemoveKey },
    };
    if (parts.value(0) == u"settings") {
        if (method == "PATCH") {
            edit->op = Op::MergeSettings;
            return true;
        }
    } else if (parts.size() == 3 && parts.at(2) == u"move" && method == "POST") {
        edit->op = Op::MoveUpstream;
        edit->index = edit->value.value(u"index").toInt();
        return true;
    } else {
        for (const Route &r : kRoutes) {
            if (r.parts == parts.size() && r.keys == keys && method == r.method) {
                edit->op = r.op;
                return true;
            }
        }
    }
    sendError(*responder, 405, QStringLiteral("method_not_allowed"),
              QStringLiteral("Unsupported %1 on %2; see the README's admin API table.")
                  .arg(QString::fromLatin1(method), request.path));
    return false;
}

void AdminApi::apply(const ConfigEdit &edit, int status, const Responder &responder)
{
    m_controller.edit(edit, [status, responder](const ConfigEditResult &result) {
        switch (result.refusal) {
        case ConfigEdit::Refusal::UnknownUpstream:
            sendError(*responder, 404, QStringLiteral("unknown_upstream"), result.message);
            return;
        case ConfigEdit::Refusal::UnknownKey:
            sendError(*responder, 404, QStringLiteral("unknown_key"), result.message);
            return;
        case ConfigEdit::Refusal::DuplicateId:
            sendError(*responder, 409, QStringLiteral("duplicate_id"), result.message);
            return;
        case ConfigEdit::Refusal::None:
            break;
        }
        if (!result.problems.isEmpty()) {
            sendError(*responder, 422, QStringLiteral("invalid_config"),
                      QStringLiteral("The change was not applied; nothing was saved."),
                      result.problems);
            return;
        }
        if (result.upstream.isEmpty())
            sendJson(*responder, status, { { QStringLiteral("status"), QStringLiteral("ok") } });
        else
            sendJson(*responder, status, { { QStringLiteral("upstream"), result.upstream } });
    });
}

void AdminApi::probe(const IncomingRequest &request, const QStringList &parts,
                     const Responder &responder)
{
    const auto answer
        = [responder](const KeyProbeResult &r) { sendJson(*responder, 200, probeJson(r)); };
    if (parts.value(0) == u"probe") {
        // {"upstream": {...as in the config...}, "key": "sk-..."}: a key not saved yet.
        const QJsonObject body = QJsonDocument::fromJson(request.body).object();
        if (!body.value(u"upstream").isObject() || !body.value(u"key").isString()) {
            sendError(*responder, 400, QStringLiteral("invalid_request"),
                      QStringLiteral("Send {\"upstream\": {...}, \"key\": \"...\"}."));
            return;
        }
        m_controller.probeDraft(body.value(u"upstream").toObject(), body.value(u"key").toString(),
                                answer);
        return;
    }
    if (!m_controller.probeSaved(parts.at(1), parts.at(3), answer))
        sendError(*responder, 404, QStringLiteral("unknown_key"),
                  QStringLiteral("No key \"%1\" with a secret in upstream \"%2\".")
                      .arg(parts.at(3), parts.at(1)));
}

void AdminApi::readLog(const IncomingRequest &request, const Responder &responder)
{
    const QUrlQuery q(request.query);
    StoreWriter::LogQuery query;
    query.offset = std::max(0, q.queryItemValue(QStringLiteral("offset")).toInt());
    const int limit = q.queryItemValue(QStringLiteral("limit")).toInt();
    query.limit = limit > 0 ? std::min(limit, 1000) : 50;
    query.status = q.queryItemValue(QStringLiteral("status")).toInt();
    query.model = q.queryItemValue(QStringLiteral("model"), QUrl::FullyDecoded);
    query.upstream = q.queryItemValue(QStringLiteral("upstream"), QUrl::FullyDecoded);
    m_controller.readLog(
        query, [responder](const QJsonObject &result) { sendJson(*responder, 200, result); });
}

void AdminApi::readUsage(const IncomingRequest &request, const Responder &responder)
{
    const int days = QUrlQuery(request.query).queryItemValue(QStringLiteral("days")).toInt();
    const int span = days > 0 ? std::min(days, StoreWriter::kUsageDays) : 7;
    m_controller.readUsage(span, [this, responder](QJsonObject result) {
        result.insert(QStringLiteral("live"), m_controller.liveStatus());
        sendJson(*responder, 200, result);
    });
}

} // namespace relay
