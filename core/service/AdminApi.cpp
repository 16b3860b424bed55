#include "AdminApi.h"

#include "RelayService.h"
#include "config/ConfigParser.h"
#include "relay/ProtocolBridge.h"
#include "relay/RelayEngine.h"
#include "secrets/KeyStore.h"
#include "server/HttpFront.h"
#include "store/RequestStore.h"
#include "store/StoreWriter.h"
#include "upstream/UpstreamClient.h"
#include "upstream/UpstreamReply.h"

#include <QElapsedTimer>
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
               const QStringList &problems = {})
{
    QJsonObject error { { QStringLiteral("code"), code }, { QStringLiteral("message"), message } };
    if (!problems.isEmpty())
        error.insert(QStringLiteral("problems"), QJsonArray::fromStringList(problems));
    sendJson(responder, status, { { QStringLiteral("error"), error } });
}

qsizetype indexById(const QJsonArray &array, const QString &id)
{
    for (qsizetype i = 0; i < array.size(); ++i) {
        if (array.at(i).toObject().value(QLatin1String("id")).toString() == id)
            return i;
    }
    return -1;
}

// PATCH semantics: the fields given replace those present.
QJsonObject merged(QJsonObject base, const QJsonObject &changes)
{
    for (auto it = changes.begin(); it != changes.end(); ++it)
        base.insert(it.key(), it.value());
    return base;
}
} // namespace

AdminApi::AdminApi(RelayService &service, QObject *parent)
    : QObject(parent)
    , m_service(service)
{ }

QJsonObject AdminApi::upstreamJson(const QString &id) const
{
    const QJsonArray all
        = ConfigParser::toJson(m_service.fileConfig()).value(QLatin1String("upstreams")).toArray();
    const qsizetype i = indexById(all, id);
    return i < 0 ? QJsonObject() : all.at(i).toObject();
}

void AdminApi::handle(const IncomingRequest &request, std::unique_ptr<HttpResponder> unique)
{
    const Responder responder(std::move(unique));
    const QStringList parts = request.path.mid(7).split(u'/', Qt::SkipEmptyParts); // "/admin/"
    const QByteArray &method = request.method;
    const QString first = parts.value(0);
    if (first == u"upstreams" && parts.size() == 1 && method == "GET")
        listUpstreams(responder);
    else if (first == u"upstreams" && parts.size() == 5 && parts.at(4) == u"probe"
             && method == "POST")
        probe(parts.at(1), parts.at(3), responder);
    else if (first == u"upstreams")
        editUpstreams(request, parts, responder);
    else if (first == u"requests" && method == "GET")
        readLog(request, responder);
    else if (first == u"stats" && method == "GET")
        readUsage(request, responder);
    else if (first == u"reload" && method == "POST")
        m_service.reload([responder](const QStringList &problems) {
            HttpFront::answerReload(*responder, problems);
        });
    else if (first == u"access-key" && parts.value(1) == u"rotate" && method == "POST")
        m_service.rotateAccessKey([responder](const QString &key, const QString &error) {
            if (!error.isEmpty())
                sendError(*responder, 500, QStringLiteral("keychain_error"), error);
            else
                sendJson(*responder, 200,
                         { { QStringLiteral("accessKey"), key },
                           { QStringLiteral("note"),
                             QStringLiteral("Shown this once; the old key no longer works.") } });
        });
    else
        sendError(*responder, 404, QStringLiteral("not_found"),
                  QStringLiteral("Unknown admin call %1 %2; see the README's admin API table.")
                      .arg(QString::fromLatin1(method), request.path));
}

void AdminApi::listUpstreams(const Responder &responder)
{
    sendJson(
        *responder, 200,
        { { QStringLiteral("upstreams"),
            ConfigParser::toJson(m_service.fileConfig()).value(QLatin1String("upstreams")) } });
}

void AdminApi::editUpstreams(const IncomingRequest &request, const QStringList &parts,
                             const Responder &responder)
{
    QJsonObject root = ConfigParser::toJson(m_service.fileConfig());
    QJsonArray upstreams = root.value(QLatin1String("upstreams")).toArray();
    const QByteArray &method = request.method;
    QJsonObject body;
    if (method == "POST" || method == "PUT" || method == "PATCH") {
        QJsonParseError parseError {};
        const QJsonDocument doc = QJsonDocument::fromJson(request.body, &parseError);
        if (!doc.isObject()) {
            sendError(
                *responder, 400, QStringLiteral("invalid_json"),
                QStringLiteral("The body must be a JSON object: %1").arg(parseError.errorString()));
            return;
        }
        body = doc.object();
    }
    const QString id = parts.value(1);
    const qsizetype at = id.isEmpty() ? -1 : indexById(upstreams, id);
    if (!id.isEmpty() && at < 0) {
        sendError(*responder, 404, QStringLiteral("unknown_upstream"),
                  QStringLiteral("There is no upstream \"%1\".").arg(id));
        return;
    }
    QStringList forget;
    if (parts.size() == 1 && method == "POST") {
        const QString newId = body.value(QLatin1String("id")).toString();
        if (indexById(upstreams, newId) >= 0) {
            sendError(
                *responder, 409, QStringLiteral("duplicate_id"),
                QStringLiteral("An upstream \"%1\" exists; PUT or PATCH it instead.").arg(newId));
            return;
        }
        upstreams.append(body);
        root.insert(QStringLiteral("upstreams"), upstreams);
        commit(root, newId, {}, 201, responder);
        return;
    }
    QJsonObject upstream = at >= 0 ? upstreams.at(at).toObject() : QJsonObject();
    QJsonArray keys = upstream.value(QLatin1String("keys")).toArray();
    if (parts.size() == 2 && (method == "PUT" || method == "PATCH")) {
        body.insert(QStringLiteral("id"), id);
        upstream = method == "PUT" ? body : merged(upstream, body);
    } else if (parts.size() == 2 && method == "DELETE") {
        for (const QJsonValue &k : keys)
            forget.append(
                KeyStore::upstreamKeyRef(id, k.toObject().value(QLatin1String("id")).toString()));
        upstreams.removeAt(at);
        root.insert(QStringLiteral("upstreams"), upstreams);
        commit(root, {}, forget, 200, responder);
        return;
    } else if (parts.size() == 3 && parts.at(2) == u"keys" && method == "POST") {
        if (indexById(keys, body.value(QLatin1String("id")).toString()) >= 0) {
            sendError(*responder, 409, QStringLiteral("duplicate_id"),
                      QStringLiteral("That key id exists in \"%1\"; PATCH it instead.").arg(id));
            return;
        }
        keys.append(body);
    } else if (parts.size() == 4 && parts.at(2) == u"keys") {
        const qsizetype k = indexById(keys, parts.at(3));
        if (k < 0) {
            sendError(*responder, 404, QStringLiteral("unknown_key"),
                      QStringLiteral("\"%1\" has no key \"%2\".").arg(id, parts.at(3)));
            return;
        }
        if (method == "PATCH") {
            body.insert(QStringLiteral("id"), parts.at(3));
            keys.replace(k, merged(keys.at(k).toObject(), body));
        } else if (method == "DELETE") {
            keys.removeAt(k);
            forget.append(KeyStore::upstreamKeyRef(id, parts.at(3)));
        } else {
            sendError(*responder, 405, QStringLiteral("method_not_allowed"),
                      QStringLiteral("Use PATCH or DELETE on a key."));
            return;
        }
    } else {
        sendError(
            *responder, 405, QStringLiteral("method_not_allowed"),
            QStringLiteral("Unsupported %1 on %2.").arg(QString::fromLatin1(method), request.path));
        return;
    }
    upstream.insert(QStringLiteral("keys"), keys);
    upstreams.replace(at, upstream);
    root.insert(QStringLiteral("upstreams"), upstreams);
    commit(root, upstream.value(QLatin1String("id")).toString(), forget, 200, responder);
}

void AdminApi::commit(const QJsonObject &root, const QString &answerId, const QStringList &forget,
                      int status, const Responder &responder)
{
    m_service.applyEdit(
        QJsonDocument(root).toJson(QJsonDocument::Compact),
        [this, answerId, forget, status, responder](const QStringList &problems) {
            if (!problems.isEmpty()) {
                sendError(*responder, 422, QStringLiteral("invalid_config"),
                          QStringLiteral("The change was not applied; nothing was saved."),
                          problems);
                return;
            }
            m_service.forgetSecrets(forget);
            if (answerId.isEmpty())
                sendJson(*responder, status,
                         { { QStringLiteral("status"), QStringLiteral("ok") } });
            else
                sendJson(*responder, status,
                         { { QStringLiteral("upstream"), upstreamJson(answerId) } });
        });
}

void AdminApi::probe(const QString &upstreamId, const QString &keyId, const Responder &responder)
{
    const UpstreamConfig *u = m_service.fileConfig().upstream(upstreamId);
    const QString ref = KeyStore::upstreamKeyRef(upstreamId, keyId);
    const QString secret = m_service.engine().keys().secret(ref);
    if (!u || secret.isEmpty()) {
        sendError(*responder, 404, QStringLiteral("unknown_key"),
                  QStringLiteral("No key \"%1\" with a secret in upstream \"%2\".")
                      .arg(keyId, upstreamId));
        return;
    }
    // Listing models costs no tokens and still proves the key (and the base URL) work.
    IncomingRequest list;
    list.method = "GET";
    list.path = QStringLiteral("/v1/models");
    UpstreamCall call = ProtocolBridge::request(RelayCall {}, list, *u, secret);
    UpstreamRequest request;
    request.method = "GET";
    request.url = call.url(u->baseUrl);
    request.headers = call.headers;
    request.proxy = u->proxy;
    auto clock = std::make_shared<QElapsedTimer>();
    clock->start();
    UpstreamReply *reply = m_service.engine().client().send(request);
    connect(reply, &UpstreamReply::finished, this, [reply, clock, responder] {
        reply->deleteLater();
        const int status = reply->status();
        QJsonObject answer { { QStringLiteral("valid"), status >= 200 && status < 300 },
                             { QStringLiteral("status"), status },
                             { QStringLiteral("latencyMs"), clock->elapsed() } };
        if (reply->error() != UpstreamReply::Error::None)
            answer.insert(QStringLiteral("error"), reply->errorString());
        else if (status == 401 || status == 403)
            answer.insert(QStringLiteral("error"), QStringLiteral("the provider refused the key"));
        else if (status >= 300)
            answer.insert(QStringLiteral("error"),
                          QString::fromUtf8(reply->readAll().left(300)).simplified());
        sendJson(*responder, 200, answer);
    });
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
    m_service.store().read(
        [query](StoreWriter &w) { return w.readLog(query); },
        [responder](const QJsonObject &result) { sendJson(*responder, 200, result); });
}

void AdminApi::readUsage(const IncomingRequest &request, const Responder &responder)
{
    const int days = QUrlQuery(request.query).queryItemValue(QStringLiteral("days")).toInt();
    const int span = days > 0 ? std::min(days, StoreWriter::kUsageDays) : 7;
    m_service.store().read([span](StoreWriter &w) { return w.readUsage(span); },
                           [this, responder](QJsonObject result) {
                               result.insert(QStringLiteral("live"), m_service.engine().status());
                               sendJson(*responder, 200, result);
                           });
}

} // namespace relay
