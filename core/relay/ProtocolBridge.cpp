#include "ProtocolBridge.h"

#include "protocol/AnthropicToOpenAiRequest.h"
#include "protocol/AnthropicToOpenAiResponse.h"
#include "protocol/AnthropicToOpenAiStream.h"
#include "protocol/ChainedStream.h"
#include "protocol/ChatToResponsesStream.h"
#include "protocol/GeminiToOpenAiRequest.h"
#include "protocol/GeminiToOpenAiStream.h"
#include "protocol/OpenAiStreamFolder.h"
#include "protocol/OpenAiToAnthropicRequest.h"
#include "protocol/OpenAiToAnthropicResponse.h"
#include "protocol/OpenAiToAnthropicStream.h"
#include "protocol/OpenAiToGeminiRequest.h"
#include "protocol/OpenAiToGeminiStream.h"
#include "protocol/ResponsesToChatRequest.h"

#include <QJsonDocument>
#include <QLoggingCategory>
#include <QSet>
#include <QUrlQuery>

Q_DECLARE_LOGGING_CATEGORY(lcExchange) // RelayExchange.cpp

namespace relay {

namespace {
const QByteArray kAnthropicVersion = QByteArrayLiteral("2023-06-01");

QByteArray compact(const QJsonObject &object)
{
    return QJsonDocument(object).toJson(QJsonDocument::Compact);
}

// The client's own body, with the upstream's name for the model if it differs.
QByteArray untranslatedBody(const RelayCall &call, const IncomingRequest &request,
                            const QString &target)
{
    // The body names the client's model, which a route may have replaced.
    const QString named = call.clientModel.isEmpty() ? call.model : call.clientModel;
    if (target == named || request.body.isEmpty())
        return request.body;
    QJsonObject body = call.body;
    if (body.isEmpty())
        body = QJsonDocument::fromJson(request.body).object();
    if (body.isEmpty())
        return request.body;
    body.insert(QStringLiteral("model"), target);
    return compact(body);
}

// Whether a client header goes upstream untouched: everything but the hop's own (RFC 9110 7.6.1,
// and what Connection names), the client's credentials for the relay, what the relay sets
// itself, and what only describes the browser's page (a cookie or origin for 127.0.0.1 means
// nothing to a provider and could leak). Provider betas and session headers pass.
bool forwardedAsIs(const QByteArray &name, const QByteArray &connection)
{
    static const QSet<QByteArray> kDropped {
        // hop by hop
        "connection", "keep-alive", "proxy-connection", "proxy-authenticate", "proxy-authorization",
        "te", "trailer", "transfer-encoding", "upgrade", "expect",
        // the network stack writes these for the upstream's connection
        "host", "content-length", "accept-encoding", "forwarded", "x-forwarded-for",
        "x-forwarded-host", "x-forwarded-proto", "x-real-ip",
        // credentials for the relay, and headers the relay sets per upstream type
        "authorization", "x-api-key", "api-key", "x-goog-api-key", "x-admin-key",
        "anthropic-version",
        // the client's own account: a provider answers 401 to a key of another organisation,
        // and the relay would take its keys for invalid one by one (set them per upstream)
        "openai-organization", "openai-project", "x-goog-user-project",
        // the browser's page
        "cookie", "origin", "referer", "access-control-request-method",
        "access-control-request-headers", "access-control-request-private-network"
    };
    if (kDropped.contains(name) || name.startsWith("sec-fetch-") || name.startsWith("x-relay-"))
        return false;
    for (const QByteArray &listed : connection.split(',')) {
        if (listed.trimmed().toLower() == name)
            return false;
    }
    return true;
}

// The call in OpenAI's format, the hub every translation passes through.
TranslatedRequest toOpenAi(const RelayCall &call, bool keepSignatures)
{
    if (call.format == ClientFormat::OpenAi) {
        TranslatedRequest out;
        out.body = call.body;
        out.stream = call.stream;
        return out;
    }
    if (call.kind == CallKind::Responses)
        return ResponsesToChatRequest::translate(call.body, keepSignatures);
    if (call.kind == CallKind::Gemini)
        return GeminiToOpenAiRequest::translate(call.body, call.stream, keepSignatures);
    return AnthropicToOpenAiRequest::translate(call.body, keepSignatures);
}

// Hosted tools a translated Responses request leaves out, said once per type: Codex offers
// web_search with every request, and a line per request would drown the log.
void noteDroppedTools(const QJsonObject &body)
{
    static QSet<QString> said; // the relay thread only
    for (const QString &type : ResponsesToChatRequest::droppedTools(body)) {
        if (!said.contains(type)) {
            said.insert(type);
            qCInfo(lcExchange).noquote()
                << "Responses request: the hosted tool" << type
                << "runs only at OpenAI and is left out for translated upstreams (said once)";
        }
    }
}

// An upstream's whole answer as an OpenAI chat completion.
QByteArray completion(const RelayCall &call, UpstreamType type, const QByteArray &body,
                      QString *error)
{
    if (type == UpstreamType::Anthropic)
        return AnthropicToOpenAiResponse::translate(body, call.model, error);
    if (type == UpstreamType::Gemini)
        return GeminiToOpenAiStream::translateResponse(body, call.model, error);
    return body;
}

// The stream translator from the upstream's format to OpenAI chat chunks; null for OpenAI.
std::unique_ptr<StreamTranslator> chunks(const RelayCall &call, UpstreamType type, bool usage)
{
    if (type == UpstreamType::Anthropic)
        return std::make_unique<AnthropicToOpenAiStream>(call.model, usage);
    if (type == UpstreamType::Gemini)
        return std::make_unique<GeminiToOpenAiStream>(call.model, usage);
    return nullptr;
}

// The translator from OpenAI chat chunks to the client's stream.
std::unique_ptr<StreamTranslator> fromChunks(const RelayCall &call)
{
    if (call.kind == CallKind::Responses)
        return std::make_unique<ChatToResponsesStream>(call.model, call.body);
    if (call.kind == CallKind::Gemini)
        return std::make_unique<OpenAiToGeminiStream>(call.model, call.body);
    return std::make_unique<OpenAiToAnthropicStream>(call.model);
}

// A Gemini client's call for a Gemini upstream: the model in the path, and the query without
// the relay's access key (?key=).
void geminiPassthrough(const RelayCall &call, const IncomingRequest &request, const QString &target,
                       UpstreamCall &out)
{
    const QString method = call.kind == CallKind::GeminiCountTokens ? QStringLiteral("countTokens")
        : call.stream ? QStringLiteral("streamGenerateContent")
                      : QStringLiteral("generateContent");
    out.path = QStringLiteral("/models/") + (target.startsWith(u"models/") ? target.mid(7) : target)
        + u':' + method;
    QUrlQuery query(request.query);
    query.removeAllQueryItems(QStringLiteral("key"));
    out.query = query.toString(QUrl::FullyEncoded);
    out.body = request.body;
}
} // namespace

unsigned ProtocolBridge::upstreamTypes(const RelayCall &call)
{
    switch (call.kind) {
    case CallKind::Chat:
    case CallKind::Messages:
    case CallKind::Responses:
    case CallKind::Gemini:
        return kAnyUpstreamType;
    case CallKind::CountTokens:
        return upstreamTypeBit(UpstreamType::Anthropic);
    case CallKind::GeminiCountTokens:
        return upstreamTypeBit(UpstreamType::Gemini);
    case CallKind::Passthrough:
        break;
    }
    return upstreamTypeBit(UpstreamType::OpenAi);
}

bool ProtocolBridge::translates(const RelayCall &call, const UpstreamConfig &upstream)
{
    const UpstreamType type = upstream.type;
    if (call.kind == CallKind::Responses)
        return type != UpstreamType::OpenAi || !upstream.responsesApi;
    if (call.kind == CallKind::Gemini)
        return type != UpstreamType::Gemini;
    if (call.kind == CallKind::Chat || call.kind == CallKind::Messages)
        return type == UpstreamType::Gemini
            || (call.format == ClientFormat::OpenAi) != (type == UpstreamType::OpenAi);
    return false;
}

QUrl UpstreamCall::url(const QUrl &base) const
{
    QUrl url = base;
    QString basePath = url.path();
    while (basePath.endsWith(u'/'))
        basePath.chop(1);
    url.setPath(basePath + path);
    if (!query.isEmpty())
        url.setQuery(query, QUrl::StrictMode);
    return url;
}

UpstreamCall ProtocolBridge::request(const RelayCall &call, const IncomingRequest &request,
                                     const UpstreamConfig &upstream, const QString &secret)
{
    UpstreamCall out;
    const QString target = upstream.upstreamModel(call.model);
    if (!translates(call, upstream)) {
        if (call.kind == CallKind::Gemini || call.kind == CallKind::GeminiCountTokens) {
            geminiPassthrough(call, request, target, out);
        } else {
            out.path = request.path.mid(3); // the part after "/v1"
            out.query = request.query;
            out.body = untranslatedBody(call, request, target);
        }
        for (const auto &[name, value] : request.headers) {
            if (forwardedAsIs(name, request.header("connection")))
                out.headers.append({ name, value });
        }
    } else {
        if (call.kind == CallKind::Responses)
            noteDroppedTools(call.body);
        TranslatedRequest translated = toOpenAi(call, upstream.type != UpstreamType::OpenAi);
        if (translated.ok()) {
            translated.body.insert(QStringLiteral("model"), target);
            if (upstream.type == UpstreamType::Anthropic)
                translated = OpenAiToAnthropicRequest::translate(translated.body);
            else if (upstream.type == UpstreamType::Gemini)
                translated = OpenAiToGeminiRequest::translate(translated.body);
        }
        out.errors = translated.errors;
        out.body = compact(translated.body);
        switch (upstream.type) {
        case UpstreamType::OpenAi:
            out.path = QStringLiteral("/chat/completions");
            break;
        case UpstreamType::Anthropic:
            out.path = QStringLiteral("/messages");
            break;
        case UpstreamType::Gemini:
            // "models/gemini-2.5-pro", as Google's own listings write it, names the same model.
            out.path = QStringLiteral("/models/")
                + (target.startsWith(u"models/") ? target.mid(7) : target)
                + (call.stream ? QStringLiteral(":streamGenerateContent")
                               : QStringLiteral(":generateContent"));
            if (call.stream)
                out.query = QStringLiteral("alt=sse");
            break;
        }
        out.headers.append(
            { QByteArrayLiteral("content-type"), QByteArrayLiteral("application/json") });
        const QByteArray agent = request.header("user-agent");
        if (!agent.isEmpty())
            out.headers.append({ QByteArrayLiteral("user-agent"), agent });
    }
    const QByteArray key = secret.toUtf8();
    switch (upstream.type) {
    case UpstreamType::OpenAi:
        out.headers.append({ QByteArrayLiteral("authorization"), "Bearer " + key });
        break;
    case UpstreamType::Anthropic: {
        const QByteArray version = request.header("anthropic-version");
        out.headers.append({ QByteArrayLiteral("x-api-key"), key });
        out.headers.append({ QByteArrayLiteral("anthropic-version"),
                             version.isEmpty() || call.format != ClientFormat::Anthropic
                                 ? kAnthropicVersion
                                 : version });
        break;
    }
    case UpstreamType::Gemini:
        out.headers.append({ QByteArrayLiteral("x-goog-api-key"), key });
        break;
    }
    for (const auto &[name, value] : upstream.headers) {
        // Configured headers replace what the client sent under the same name.
        const QByteArray lower = name.toLower();
        out.headers.removeIf([&lower](const auto &h) { return h.first == lower; });
        out.headers.append({ lower, value });
    }
    return out;
}

std::unique_ptr<StreamTranslator> ProtocolBridge::stream(const RelayCall &call,
                                                         const UpstreamConfig &upstream)
{
    if (!translates(call, upstream))
        return nullptr;
    if (call.format == ClientFormat::OpenAi)
        return chunks(call, upstream.type, call.includeUsage);
    std::unique_ptr<StreamTranslator> toClient = fromChunks(call);
    std::unique_ptr<StreamTranslator> toOpenAi = chunks(call, upstream.type, true);
    if (!toOpenAi)
        return toClient;
    return std::make_unique<ChainedStream>(std::move(toOpenAi), std::move(toClient));
}

QByteArray ProtocolBridge::response(const RelayCall &call, const UpstreamConfig &upstream,
                                    const QByteArray &body, QString *error)
{
    if (!translates(call, upstream))
        return body;
    const QByteArray openAi = completion(call, upstream.type, body, error);
    if (call.format == ClientFormat::OpenAi || !error->isEmpty())
        return openAi;
    if (call.kind == CallKind::Responses)
        return ChatToResponsesStream::translateResponse(openAi, call.model, call.body, error);
    if (call.kind == CallKind::Gemini)
        return OpenAiToGeminiStream::translateResponse(openAi, call.model, call.body, error);
    return OpenAiToAnthropicResponse::translate(openAi, call.model, error);
}

QByteArray ProtocolBridge::streamFromWhole(const RelayCall &call, const UpstreamConfig &upstream,
                                           const QByteArray &body, QString *error)
{
    // Through the hub: the answer as an OpenAI completion, unfolded into chunks, then through
    // the stream translator the client's format needs.
    const QByteArray openAi = completion(call, upstream.type, body, error);
    if (!error->isEmpty())
        return {};
    const QByteArray chunks = OpenAiStreamFolder::unfold(openAi, error);
    if (!error->isEmpty() || call.format == ClientFormat::OpenAi)
        return chunks;
    std::unique_ptr<StreamTranslator> toClient = fromChunks(call);
    QByteArray out = toClient->feed(chunks);
    out += toClient->finish();
    return out;
}

} // namespace relay
