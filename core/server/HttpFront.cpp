#include "HttpFront.h"

#include "EndpointGuard.h"
#include "GeminiFront.h"
#include "relay/ProtocolBridge.h"
#include "relay/RelayCall.h"
#include "relay/RelayEngine.h"
#include "secrets/KeyStore.h"
#include "types/ApiError.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>

namespace relay {

namespace {
void sendError(HttpResponder &responder, const ApiError &error,
               ClientFormat format = ClientFormat::OpenAi)
{
    responder.respondJson(error.status, error.toJson(format));
}

// No early exit: the time taken says nothing about how much of the key matched. (The length
// may show, as with any such comparison; keys are generated at a fixed, public length.)
bool constantTimeEquals(const QByteArray &a, const QByteArray &b)
{
    if (a.size() != b.size())
        return false;
    unsigned char diff = 0;
    for (qsizetype i = 0; i < a.size(); ++i)
        diff |= static_cast<unsigned char>(a.at(i) ^ b.at(i));
    return diff == 0;
}

// The model of a multipart/form-data body (audio transcriptions), found without a full parser.
QString multipartModel(const QByteArray &body)
{
    static const QRegularExpression re(
        QStringLiteral("name=\"model\"\\r\\n(?:[^\\r\\n]*\\r\\n)*?\\r\\n([^\\r\\n]+)"));
    const auto match = re.match(QString::fromUtf8(body.left(64 * 1024)));
    return match.hasMatch() ? match.captured(1).trimmed() : QString();
}
// The checks a chat or Responses request needs before it is relayed; false once answered.
bool readOpenAiCall(const IncomingRequest &request, HttpResponder &responder, RelayCall *call)
{
    QJsonParseError parseError;
    const QJsonDocument doc = QJsonDocument::fromJson(request.body, &parseError);
    if (parseError.error != QJsonParseError::NoError || !doc.isObject()) {
        sendError(responder,
                  { 400, QStringLiteral("invalid_json"),
                    QStringLiteral("The request body is not a JSON object (%1 at byte "
                                   "%2).")
                        .arg(parseError.error != QJsonParseError::NoError
                                 ? parseError.errorString()
                                 : QStringLiteral("not an object"))
                        .arg(parseError.offset) });
        return false;
    }
    call->body = doc.object();
    const QJsonValue model = call->body.value(u"model");
    if (!model.isString() || model.toString().isEmpty()) {
        sendError(responder,
                  { 400, QStringLiteral("missing_model"),
                    QStringLiteral("\"model\" must be a non-empty string; GET /v1/models "
                                   "lists the models this relay serves.") });
        return false;
    }
    const QJsonValue stream = call->body.value(u"stream");
    if (!stream.isUndefined() && !stream.isNull() && !stream.isBool()) {
        sendError(responder,
                  { 400, QStringLiteral("invalid_stream"),
                    QStringLiteral("\"stream\" must be true or false.") });
        return false;
    }
    call->model = model.toString();
    call->stream = stream.toBool();
    return true;
}
} // namespace

HttpFront::HttpFront(RelayEngine &engine, const KeyStore &keys, QObject *parent)
    : HttpServerAdapter(parent)
    , m_engine(engine)
    , m_keys(keys)
    , m_gemini(std::make_unique<GeminiFront>(engine))
{ }

HttpFront::~HttpFront() = default;

bool HttpFront::presents(const IncomingRequest &request, const QString &ref,
                         const QByteArray &header) const
{
    const QByteArray expected = m_keys.secret(ref).toUtf8();
    if (expected.isEmpty())
        return false;
    QByteArray presented = request.header(header);
    if (presented.isEmpty() && GeminiFront::serves(request))
        presented = GeminiFront::presentedKey(request);
    const QByteArray authorization = request.header("authorization");
    if (presented.isEmpty() && authorization.size() > 7
        && authorization.left(7).toLower() == "bearer ")
        presented = authorization.mid(7).trimmed();
    return !presented.isEmpty() && constantTimeEquals(presented, expected);
}

void HttpFront::handle(const IncomingRequest &request, std::unique_ptr<HttpResponder> responder)
{
    const QString &path = request.path;
    const ClientFormat errorFormat = path.startsWith(u"/v1/messages") ? ClientFormat::Anthropic
        : GeminiFront::serves(request)                                ? ClientFormat::Gemini
                                                                      : ClientFormat::OpenAi;
    const RelayConfig &config = m_engine.config();
    if (!EndpointGuard::hostAllowed(request.header("host"), config.allowedHosts)) {
        sendError(*responder,
                  { 403, QStringLiteral("host_not_allowed"),
                    QStringLiteral("Requests addressed to \"%1\" are refused (a defence against "
                                   "DNS rebinding). If you reach the relay under this name, add "
                                   "it to security.allowedHosts in the config file.")
                        .arg(QString::fromLatin1(request.header("host"))) },
                  errorFormat);
        return;
    }
    const QByteArray origin = request.header("origin");
    const bool corsAllowed = EndpointGuard::originAllowed(origin, config.corsOrigins);
    if (EndpointGuard::isPreflight(request)) {
        if (!corsAllowed) {
            sendError(*responder,
                      { 403, QStringLiteral("origin_not_allowed"),
                        QStringLiteral("The web origin %1 may not call this relay; add it to "
                                       "security.corsOrigins in the config file.")
                            .arg(QString::fromLatin1(origin)) },
                      errorFormat);
            return;
        }
        responder->respond(204, EndpointGuard::preflightHeaders(request), {});
        return;
    }
    if (corsAllowed)
        responder->addHeaders(EndpointGuard::responseHeaders(origin));
    if (path == u"/health" && (request.method == "GET" || request.method == "HEAD")) {
        responder->respondJson(200, R"({"status":"ok"})");
        return;
    }
    if (path.startsWith(u"/admin/")) {
        handleAdmin(request, std::move(responder));
        return;
    }
    const bool isApi
        = path.startsWith(u"/v1/") || path.startsWith(u"/relay/") || GeminiFront::serves(request);
    if (!isApi) {
        sendError(*responder,
                  { 404, QStringLiteral("not_found"),
                    QStringLiteral("Unknown path %1. The relay serves the OpenAI API "
                                   "under /v1/ (set your client's base URL to "
                                   "http://HOST:PORT/v1).")
                        .arg(path) });
        return;
    }
    if (!presents(request, KeyStore::accessKeyRef(), "x-api-key")) {
        const bool sent = !request.header("authorization").isEmpty()
            || !request.header("x-api-key").isEmpty()
            || (errorFormat == ClientFormat::Gemini
                && !GeminiFront::presentedKey(request).isEmpty());
        QString message = sent
            ? QStringLiteral("The access key is wrong. Use the relay's access key (printed at "
                             "start-up), not an upstream provider key.")
            : QStringLiteral("Missing access key. Send \"Authorization: Bearer <relay access "
                             "key>\" or \"x-api-key: <relay access key>\"; the key is printed "
                             "when the relay starts.");
        if (!sent && errorFormat == ClientFormat::Gemini)
            message = QStringLiteral("Missing access key. Send \"x-goog-api-key: <relay access "
                                     "key>\" (Gemini CLI and the Google SDKs do when "
                                     "GEMINI_API_KEY is the relay's access key) or ?key=; the "
                                     "key is printed when the relay starts.");
        sendError(*responder, { 401, QStringLiteral("invalid_access_key"), message }, errorFormat);
        return;
    }
    if (errorFormat == ClientFormat::Gemini) {
        m_gemini->handle(request, std::move(responder));
        return;
    }
    // HEAD reads what GET would (the responder sends the headers alone).
    const bool reads = request.method == "GET" || request.method == "HEAD";
    if (path == u"/relay/status" && reads) {
        responder->respondJson(200,
                               QJsonDocument(m_engine.status()).toJson(QJsonDocument::Compact));
    } else if (path == u"/relay/reload" && request.method == "POST") {
        handleReload(std::move(responder));
    } else if (path == u"/v1/models" && reads) {
        // Anthropic's SDKs send anthropic-version on every call and expect their list shape.
        const ClientFormat listFormat = request.header("anthropic-version").isEmpty()
            ? ClientFormat::OpenAi
            : ClientFormat::Anthropic;
        std::shared_ptr<HttpResponder> shared(std::move(responder));
        m_engine.listModels(listFormat, [shared](const QJsonObject &list) {
            shared->respondJson(200, QJsonDocument(list).toJson(QJsonDocument::Compact));
        });
    } else if (path == u"/v1/chat/completions") {
        if (request.method != "POST") {
            sendError(*responder,
                      { 405, QStringLiteral("method_not_allowed"),
                        QStringLiteral("Use POST for /v1/chat/completions.") });
            return;
        }
        handleChat(request, std::move(responder));
    } else if (path == u"/v1/responses" && request.method == "POST") {
        handleResponses(request, std::move(responder));
    } else if (path == u"/v1/messages" && request.method == "POST") {
        handleMessages(request, std::move(responder));
    } else if (path == u"/v1/messages/count_tokens" && request.method == "POST") {
        handleCountTokens(request, std::move(responder));
    } else if (errorFormat == ClientFormat::Anthropic) {
        sendError(*responder,
                  { 404, QStringLiteral("not_found"),
                    QStringLiteral("Use POST /v1/messages or POST /v1/messages/count_tokens.") },
                  errorFormat);
    } else if (path.startsWith(u"/v1/")) {
        handlePassthrough(request, std::move(responder));
    } else {
        sendError(*responder,
                  { 404, QStringLiteral("not_found"),
                    QStringLiteral("Unknown relay path %1.").arg(path) });
    }
}

void HttpFront::handleChat(const IncomingRequest &request, std::unique_ptr<HttpResponder> responder)
{
    RelayCall call;
    if (!readOpenAiCall(request, *responder, &call))
        return;
    if (!call.body.value(u"messages").isArray()) {
        sendError(*responder,
                  { 400, QStringLiteral("invalid_messages"),
                    QStringLiteral("\"messages\" must be an array of messages.") });
        return;
    }
    call.kind = CallKind::Chat;
    call.includeUsage
        = call.body.value(u"stream_options").toObject().value(u"include_usage").toBool();
    m_engine.relay(request, std::move(responder), call);
}

void HttpFront::handleResponses(const IncomingRequest &request,
                                std::unique_ptr<HttpResponder> responder)
{
    RelayCall call;
    if (!readOpenAiCall(request, *responder, &call))
        return;
    const QJsonValue input = call.body.value(u"input");
    // Without input, the conversation lives at OpenAI (previous_response_id, conversation):
    // natively served upstreams take it, the translation says why others cannot.
    if (!input.isUndefined() && !input.isString() && !input.isArray()) {
        sendError(*responder,
                  { 400, QStringLiteral("invalid_input"),
                    QStringLiteral("\"input\" must be a string or an array of input items.") });
        return;
    }
    call.kind = CallKind::Responses;
    call.format = ClientFormat::Responses;
    m_engine.relay(request, std::move(responder), call);
}

void HttpFront::handleMessages(const IncomingRequest &request,
                               std::unique_ptr<HttpResponder> responder)
{
    // The checks every upstream type needs; the translation for a given upstream reports the
    // rest in the client's terms.
    QJsonParseError parseError;
    const QJsonObject body = QJsonDocument::fromJson(request.body, &parseError).object();
    QStringList problems;
    if (parseError.error != QJsonParseError::NoError || body.isEmpty())
        problems.append(parseError.error != QJsonParseError::NoError
                            ? QStringLiteral("body: not valid JSON (%1 at byte %2)")
                                  .arg(parseError.errorString())
                                  .arg(parseError.offset)
                            : QStringLiteral("body: must be a JSON object"));
    const QJsonValue model = body.value(u"model");
    if (problems.isEmpty() && (!model.isString() || model.toString().isEmpty()))
        problems.append(QStringLiteral("model: must be a non-empty string"));
    const QJsonValue maxTokens = body.value(u"max_tokens");
    if (problems.isEmpty() && (!maxTokens.isDouble() || maxTokens.toDouble() < 1))
        problems.append(QStringLiteral("max_tokens: required: a positive whole number"));
    if (problems.isEmpty()
        && (!body.value(u"messages").isArray() || body.value(u"messages").toArray().isEmpty()))
        problems.append(QStringLiteral("messages: must be a non-empty array of messages"));
    if (!problems.isEmpty()) {
        sendError(*responder,
                  { 400, QStringLiteral("invalid_request"), problems.join(QStringLiteral("; ")) },
                  ClientFormat::Anthropic);
        return;
    }
    RelayCall call;
    call.model = model.toString();
    call.format = ClientFormat::Anthropic;
    call.kind = CallKind::Messages;
    call.body = body;
    call.stream = body.value(u"stream").toBool();
    m_engine.relay(request, std::move(responder), call);
}

void HttpFront::handleCountTokens(const IncomingRequest &request,
                                  std::unique_ptr<HttpResponder> responder)
{
    QJsonObject body = QJsonDocument::fromJson(request.body).object();
    if (body.isEmpty()) {
        sendError(*responder,
                  { 400, QStringLiteral("invalid_request"),
                    QStringLiteral("The body must be a JSON object.") },
                  ClientFormat::Anthropic);
        return;
    }
    RelayCall call;
    call.model = body.value(u"model").toString();
    call.format = ClientFormat::Anthropic;
    call.kind = CallKind::CountTokens;
    call.body = body;
    // An Anthropic upstream counts exactly; the others have no such endpoint.
    if (m_engine.replan(call).ok()) {
        m_engine.relay(request, std::move(responder), call);
        return;
    }
    // The estimate is the usual rule of thumb for English text, about four characters per
    // token, over the request's JSON without the model name: good enough for context-window
    // bookkeeping, not for billing.
    body.remove(QStringLiteral("model"));
    const qsizetype characters
        = QString::fromUtf8(QJsonDocument(body).toJson(QJsonDocument::Compact)).size();
    responder->respondJson(200,
                           QJsonDocument(QJsonObject { { QStringLiteral("input_tokens"),
                                                         qint64((characters + 3) / 4) } })
                               .toJson(QJsonDocument::Compact));
}

void HttpFront::handlePassthrough(const IncomingRequest &request,
                                  std::unique_ptr<HttpResponder> responder)
{
    QString model;
    const QByteArray contentType = request.header("content-type").toLower();
    if (contentType.startsWith("application/json")) {
        model = QJsonDocument::fromJson(request.body).object().value(u"model").toString();
    } else if (contentType.startsWith("multipart/form-data")) {
        model = multipartModel(request.body);
    }
    RelayCall call;
    call.model = model;
    m_engine.relay(request, std::move(responder), call);
}

void HttpFront::handleAdmin(const IncomingRequest &request,
                            std::unique_ptr<HttpResponder> responder)
{
    if (m_keys.secret(KeyStore::adminKeyRef()).isEmpty() || !m_admin) {
        sendError(*responder,
                  { 404, QStringLiteral("admin_disabled"),
                    QStringLiteral("The admin API is off until an admin key exists: turn it on "
                                   "in the app's Settings (Security), start the relay once with "
                                   "--rotate-admin-key (it prints the key), or set "
                                   "RELAY_ADMIN_KEY.") });
        return;
    }
    if (!presents(request, KeyStore::adminKeyRef(), "x-admin-key")) {
        sendError(*responder,
                  { 401, QStringLiteral("invalid_admin_key"),
                    QStringLiteral("/admin/ needs the admin key (\"Authorization: Bearer <admin "
                                   "key>\" or \"x-admin-key\"); the access key does not open "
                                   "it.") });
        return;
    }
    m_admin(request, std::move(responder));
}

void HttpFront::handleReload(std::unique_ptr<HttpResponder> responder)
{
    if (!m_reload) {
        sendError(*responder,
                  { 409, QStringLiteral("no_config_file"),
                    QStringLiteral("This relay runs without a config file "
                                   "(quick-start flags); there is nothing to "
                                   "reload.") });
        return;
    }
    // The responder outlives this call: applying a configuration waits for its secrets.
    std::shared_ptr<HttpResponder> pending(std::move(responder));
    m_reload([pending](const ConfigProblems &problems) { answerReload(*pending, problems); });
}

void HttpFront::answerReload(HttpResponder &responder, const ConfigProblems &problems)
{
    if (!problems.isEmpty()) {
        responder.respondJson(
            422,
            QJsonDocument(
                QJsonObject {
                    { QStringLiteral("error"),
                      QJsonObject {
                          { QStringLiteral("message"),
                            QStringLiteral("The config file has "
                                           "problems; the running "
                                           "configuration was kept.") },
                          { QStringLiteral("type"), QStringLiteral("invalid_request_error") },
                          { QStringLiteral("code"), QStringLiteral("invalid_config") },
                          { QStringLiteral("problems"), ConfigProblem::toJson(problems) } } } })
                .toJson(QJsonDocument::Compact));
        return;
    }
    responder.respondJson(200, R"({"status":"reloaded"})");
}

} // namespace relay
