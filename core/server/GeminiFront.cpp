#include "GeminiFront.h"

#include "relay/RelayCall.h"
#include "relay/RelayEngine.h"
#include "relay/TraitRouter.h"
#include "types/ApiError.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QUrlQuery>

namespace relay {

namespace {

void sendError(HttpResponder &responder, int status, const QString &message)
{
    responder.respondJson(status,
                          ApiError { status, QStringLiteral("invalid_request"), message }.toJson(
                              ClientFormat::Gemini));
}

// Names go into the upstream's URL path: nothing that could leave it.
bool validModel(const QString &name)
{
    if (name.isEmpty() || name.size() > 200 || name.startsWith(u'/') || name.contains(u"..")
        || name.contains(u"//"))
        return false;
    for (const QChar c : name) {
        if (!(c.isLetterOrNumber() && c.unicode() < 128) && c != u'.' && c != u'_' && c != u'-'
            && c != u'@' && c != u'/')
            return false;
    }
    return true;
}

// The body as a JSON object, or false once the client has its 400.
bool readBody(const IncomingRequest &request, HttpResponder &responder, QJsonObject *body)
{
    QJsonParseError parseError;
    const QJsonDocument doc = QJsonDocument::fromJson(request.body, &parseError);
    if (parseError.error != QJsonParseError::NoError || !doc.isObject()) {
        sendError(responder, 400,
                  QStringLiteral("Invalid JSON payload received: %1 at byte %2.")
                      .arg(parseError.error != QJsonParseError::NoError
                               ? parseError.errorString()
                               : QStringLiteral("the body must be a JSON object"))
                      .arg(parseError.offset));
        return false;
    }
    *body = doc.object();
    return true;
}

} // namespace

bool GeminiFront::serves(const IncomingRequest &request)
{
    const QString &path = request.path;
    if (path.startsWith(u"/v1beta/"))
        return true;
    if (path != u"/v1/models" && !path.startsWith(u"/v1/models/"))
        return false;
    return path.indexOf(u':') > 0 || !presentedKey(request).isEmpty();
}

QByteArray GeminiFront::presentedKey(const IncomingRequest &request)
{
    const QByteArray header = request.header("x-goog-api-key");
    if (!header.isEmpty())
        return header;
    return QUrlQuery(request.query)
        .queryItemValue(QStringLiteral("key"), QUrl::FullyDecoded)
        .toUtf8();
}

void GeminiFront::handle(const IncomingRequest &request, std::unique_ptr<HttpResponder> responder)
{
    // After "/v1beta/" or "/v1/": the version is the upstream's to choose (its base URL).
    const QString rest = request.path.mid(request.path.indexOf(u'/', 1) + 1);
    const bool reads = request.method == "GET" || request.method == "HEAD";
    if (rest == u"models" && reads) {
        listModels(std::move(responder), {});
        return;
    }
    if (!rest.startsWith(u"models/")) {
        sendError(*responder, 404,
                  QStringLiteral("Unknown path %1. The relay serves the Gemini API's "
                                 "/v1beta/models (generateContent, streamGenerateContent, "
                                 "countTokens and the model list).")
                      .arg(request.path));
        return;
    }
    const QString call = rest.mid(7);
    const qsizetype colon = call.lastIndexOf(u':');
    const QString model = colon < 0 ? call : call.left(colon);
    if (!validModel(model)) {
        sendError(*responder, 400,
                  QStringLiteral("The model name in the path is not valid: use letters, digits "
                                 "and . _ - @ /, as in /v1beta/models/gemini-2.5-flash:"
                                 "generateContent."));
        return;
    }
    if (colon < 0 && reads) {
        listModels(std::move(responder), model);
        return;
    }
    const QString method = call.mid(colon + 1);
    if (colon < 0 || request.method != "POST") {
        sendError(*responder, colon < 0 ? 404 : 405,
                  QStringLiteral("Use POST /v1beta/models/%1:generateContent, "
                                 ":streamGenerateContent?alt=sse or :countTokens.")
                      .arg(model));
    } else if (method == u"generateContent" || method == u"streamGenerateContent") {
        generate(request, std::move(responder), model, method);
    } else if (method == u"countTokens") {
        countTokens(request, std::move(responder), model);
    } else {
        sendError(*responder, 404,
                  QStringLiteral("The relay does not serve the Gemini method \"%1\"; it serves "
                                 "generateContent, streamGenerateContent and countTokens.")
                      .arg(method));
    }
}

void GeminiFront::generate(const IncomingRequest &request, std::unique_ptr<HttpResponder> responder,
                           const QString &model, const QString &method)
{
    RelayCall call;
    call.model = model;
    call.format = ClientFormat::Gemini;
    call.kind = CallKind::Gemini;
    call.stream = method == u"streamGenerateContent";
    if (call.stream && QUrlQuery(request.query).queryItemValue(QStringLiteral("alt")) != u"sse") {
        sendError(*responder, 400,
                  QStringLiteral("streamGenerateContent is served as server-sent events: add "
                                 "?alt=sse to the URL (the Google SDKs and Gemini CLI do)."));
        return;
    }
    if (!readBody(request, *responder, &call.body))
        return;
    if (!call.body.value(u"contents").isArray()
        || call.body.value(u"contents").toArray().isEmpty()) {
        sendError(*responder, 400,
                  QStringLiteral("* GenerateContentRequest.contents: contents is not specified "
                                 "(a non-empty array of contents)."));
        return;
    }
    m_engine.relay(request, std::move(responder), call);
}

void GeminiFront::countTokens(const IncomingRequest &request,
                              std::unique_ptr<HttpResponder> responder, const QString &model)
{
    RelayCall call;
    call.model = model;
    call.format = ClientFormat::Gemini;
    call.kind = CallKind::GeminiCountTokens;
    if (!readBody(request, *responder, &call.body))
        return;
    // A Gemini upstream counts exactly; the others have no such endpoint.
    if (m_engine.replan(call).ok()) {
        m_engine.relay(request, std::move(responder), call);
        return;
    }
    // The usual rule of thumb, as for Anthropic's count_tokens: good enough for context-window
    // bookkeeping, not for billing.
    const qint64 tokens = TraitRouter::estimatedInputTokens(call.body);
    responder->respondJson(200,
                           QJsonDocument(QJsonObject { { QStringLiteral("totalTokens"), tokens } })
                               .toJson(QJsonDocument::Compact));
}

void GeminiFront::listModels(std::unique_ptr<HttpResponder> responder, const QString &only)
{
    std::shared_ptr<HttpResponder> shared(std::move(responder));
    m_engine.listModels(ClientFormat::Gemini, [shared, only](const QJsonObject &list) {
        if (only.isEmpty()) {
            shared->respondJson(200, QJsonDocument(list).toJson(QJsonDocument::Compact));
            return;
        }
        const QString name = QStringLiteral("models/") + only;
        for (const QJsonValue &model : list.value(u"models").toArray()) {
            if (model.toObject().value(u"name").toString() == name) {
                shared->respondJson(200,
                                    QJsonDocument(model.toObject()).toJson(QJsonDocument::Compact));
                return;
            }
        }
        sendError(*shared, 404,
                  QStringLiteral("models/%1 is not found: GET /v1beta/models lists the models "
                                 "this relay serves.")
                      .arg(only));
    });
}

} // namespace relay
