#include "RelayExchange.h"

#include "ClientStream.h"
#include "ProtocolBridge.h"
#include "RelayEngine.h"
#include "routing/CooldownPolicy.h"
#include "secrets/KeyStore.h"
#include "upstream/UpstreamClient.h"
#include "upstream/UpstreamReply.h"

#include <QDateTime>
#include <QJsonDocument>
#include <QLoggingCategory>
#include <QTimerEvent>
#include <algorithm>

Q_LOGGING_CATEGORY(lcExchange, "relay.exchange")

namespace relay {

namespace {
const QByteArray kForwardedResponseHeaders[]
    = { "content-type", "content-disposition", "x-request-id", "request-id",
        "openai-processing-ms" };

qint64 nowMs()
{
    return QDateTime::currentMSecsSinceEpoch();
}

bool isRetryableStatus(int status)
{
    switch (status) {
    case 408:
    case 429:
    case 500:
    case 502:
    case 503:
    case 504:
    case 529:
        return true;
    default:
        return false;
    }
}

// The gist of an upstream's error body, with every secret the relay knows replaced before it is
// cut short: providers quote the key they refused ("Incorrect API key provided: sk-..."), and
// this text reaches the status, the log, the GUI and other callers.
QString shortBody(const QByteArray &body, const QStringList &secrets)
{
    const QJsonObject error = QJsonDocument::fromJson(body).object().value(u"error").toObject();
    QString text = error.value(u"message").toString();
    if (text.isEmpty())
        text = QString::fromUtf8(body.left(4096)).simplified();
    for (const QString &secret : secrets) {
        if (!secret.isEmpty())
            text.replace(secret, QStringLiteral("[redacted]"));
    }
    if (text.size() > 120)
        text = text.left(117) + u"...";
    return text;
}
} // namespace

RelayExchange::RelayExchange(RelayEngine &engine, IncomingRequest request,
                             std::unique_ptr<HttpResponder> responder, RelayCall call,
                             RoutePlan plan, quint64 id)
    : m_engine(engine)
    , m_request(std::move(request))
    , m_responder(std::move(responder))
    , m_call(std::move(call))
    , m_plan(std::move(plan))
    , m_id(id)
{
    m_clock.start();
    m_record.method = m_request.method;
    m_record.path = m_request.path;
    m_record.model = m_plan.model;
    if (!m_call.route.isEmpty())
        m_record.route = m_call.route + u'(' + m_call.clientModel + u')';
    m_record.startedMs = nowMs();
    m_record.clientFormat = m_call.format == ClientFormat::Anthropic ? QStringLiteral("anthropic")
        : m_call.format == ClientFormat::Gemini                      ? QStringLiteral("gemini")
                                                                     : QStringLiteral("openai");
    if (QTcpSocket *socket = m_responder->socket())
        connect(socket, &QTcpSocket::disconnected, this, &RelayExchange::onClientGone);
}

RelayExchange::~RelayExchange()
{
    if (m_reply) {
        m_reply->disconnect(this);
        m_reply->abort();
        m_reply->deleteLater();
    }
}

void RelayExchange::start()
{
    if (!m_responder->isConnected()) {
        onClientGone();
        return;
    }
    if (!selectNext(Scope::Upstream)) {
        failAllAttempts();
        return;
    }
    sendAttempt();
}

QString RelayExchange::currentRef() const
{
    return KeyStore::upstreamKeyRef(upstream().id, m_key.id);
}

bool RelayExchange::selectNext(Scope scope)
{
    if (m_failures.size() >= m_engine.config().retry.maxAttempts)
        return false;
    // Key trouble (401, 429) is cured by another key of the same upstream; upstream trouble
    // (network, 5xx, timeouts) by another upstream first, and only then by another key here.
    const qsizetype n = m_plan.upstreams.size();
    const qsizetype current = m_upstreamIndex;
    QList<qsizetype> order;
    if (current < 0) {
        for (qsizetype i = 0; i < n; ++i)
            order.append(i);
    } else {
        const qsizetype first = scope == Scope::Key ? current : current + 1;
        for (qsizetype i = 0; i < n; ++i)
            order.append((first + i) % n);
    }
    for (const qsizetype index : std::as_const(order)) {
        if (!m_keysByUpstream.contains(index))
            m_keysByUpstream.insert(index,
                                    m_engine.router().orderKeys(m_engine.config().strategy,
                                                                m_plan.upstreams.at(index),
                                                                m_call.model, nowMs()));
        const QList<KeyConfig> &keys = m_keysByUpstream[index];
        for (qsizetype k = 0; k < keys.size(); ++k) {
            const QString ref
                = KeyStore::upstreamKeyRef(m_plan.upstreams.at(index).id, keys.at(k).id);
            if (!m_tried.contains(ref)) {
                m_upstreamIndex = index;
                m_key = keys.at(k);
                return true;
            }
        }
    }
    return false;
}

void RelayExchange::sendAttempt()
{
    const UpstreamConfig &u = upstream();
    const KeyConfig &key = m_key;
    const QString ref = currentRef();
    m_tried.insert(ref);
    m_record.upstream = u.name;
    m_record.keyLabel = key.label;
    m_record.keyRef = ref;
    m_record.attemptRefs.append(ref);
    m_record.attempts = static_cast<int>(m_failures.size()) + 1;

    UpstreamCall call = ProtocolBridge::request(m_call, m_request, u, m_engine.keys().secret(ref));
    if (!call.errors.isEmpty()) {
        // The request itself cannot be put in this upstream's format: no key would help.
        replyError(
            { 400, QStringLiteral("invalid_request"),
              QStringLiteral("The request cannot be sent to %1 (%2 format): %3")
                  .arg(u.name, upstreamTypeName(u.type), call.errors.join(QStringLiteral("; "))) });
        return;
    }
    UpstreamRequest request;
    request.method = m_request.method;
    request.url = call.url(u.baseUrl);
    request.proxy = u.proxy;
    request.body = std::move(call.body);
    request.headers = std::move(call.headers);

    Health &kh = m_engine.health().key(ref);
    ++kh.requests;
    ++kh.inflight;
    const qint64 now = nowMs();
    kh.window.note(now, u.dailyReset.dayStartMs(now));
    ++m_engine.health().upstream(u.id).inflight;

    m_status = 0;
    m_sse = false;
    m_buffer.clear();
    m_timeoutReason.clear();
    m_phase = Phase::Connecting;
    m_reply = m_engine.client().send(request);
    connect(m_reply, &UpstreamReply::requestSent, this, &RelayExchange::onRequestSent);
    connect(m_reply, &UpstreamReply::headersReceived, this, &RelayExchange::onMetaData);
    connect(m_reply, &UpstreamReply::readyRead, this, &RelayExchange::onReadyRead);
    connect(m_reply, &UpstreamReply::finished, this, &RelayExchange::onReplyFinished);
    m_timer.start(u.timeouts.connectMs, this);
}

void RelayExchange::onRequestSent()
{
    if (m_phase == Phase::Connecting) {
        m_phase = Phase::AwaitingHeaders;
        m_timer.start(upstream().timeouts.firstByteMs, this);
    }
}

void RelayExchange::onMetaData()
{
    if (!m_reply || m_status)
        return;
    m_status = m_reply->status();
    if (!m_status)
        return;
    m_phase = Phase::Receiving;
    m_lastDataMs = m_clock.elapsed();
    m_sse = m_reply->header("content-type").toLower().startsWith("text/event-stream");
    m_timer.start(upstream().timeouts.idleMs, this);
}

HeaderList RelayExchange::replyHeaders() const
{
    HeaderList headers;
    for (const QByteArray &name : kForwardedResponseHeaders) {
        const QByteArray value = m_reply->header(name);
        if (!value.isEmpty())
            headers.append({ name, value });
    }
    if (m_sse) {
        headers.append({ QByteArrayLiteral("cache-control"), QByteArrayLiteral("no-cache") });
        headers.append({ QByteArrayLiteral("x-accel-buffering"), QByteArrayLiteral("no") });
    }
    headers.append({ QByteArrayLiteral("x-relay-upstream"), upstream().name.toUtf8() });
    headers.append({ QByteArrayLiteral("x-relay-key"), m_key.label.toUtf8() });
    return headers;
}

void RelayExchange::onReadyRead()
{
    if (!m_reply)
        return;
    if (!m_status)
        onMetaData();
    const QByteArray data = m_reply->readAll();
    if (data.isEmpty())
        return;
    m_lastDataMs = m_clock.elapsed(); // the idle timer checks this when it fires
    const bool success = m_status >= 200 && m_status < 300;
    if (!success || !m_sse) {
        m_buffer += data;
        return;
    }
    if (!m_committed) {
        m_committed = true;
        m_record.firstByteMs = m_clock.elapsed();
        m_record.stream = true;
        ClientStream::EndMarker marker = ClientStream::EndMarker::None;
        if (m_call.kind == CallKind::Chat)
            marker = ClientStream::EndMarker::ChatCompletion;
        else if (m_call.kind == CallKind::Messages)
            marker = ClientStream::EndMarker::AnthropicMessage;
        else if (m_call.kind == CallKind::Responses)
            marker = ClientStream::EndMarker::Response;
        else if (m_call.kind == CallKind::Gemini)
            marker = ClientStream::EndMarker::GeminiResponse;
        m_stream = std::make_unique<ClientStream>(
            *m_responder, m_call.format, ProtocolBridge::stream(m_call, upstream()), marker);
        m_stream->begin(m_status, replyHeaders());
        if (m_engine.config().keepAliveMs > 0)
            m_keepAliveTimer.start(m_engine.config().keepAliveMs, this);
    }
    m_usage.feedStream(data);
    if (m_engine.config().captureBodies
        && m_record.responseBody.size() < RequestRecord::kCaptureBytes)
        m_record.responseBody
            += data.left(RequestRecord::kCaptureBytes - m_record.responseBody.size());
    m_record.bytes += m_stream->forward(data);
    if (m_stream->broken()) {
        // The client already has its error event; relaying more would only add noise.
        coolDownKey({}, {});
        endAttempt();
        complete(m_status, QStringLiteral("stream interrupted: untranslatable upstream stream"));
    }
}

void RelayExchange::timerEvent(QTimerEvent *event)
{
    if (event->timerId() == m_keepAliveTimer.timerId()) {
        if (m_stream && m_clock.elapsed() - m_lastDataMs >= m_engine.config().keepAliveMs)
            m_stream->keepAlive();
        return;
    }
    if (event->timerId() != m_timer.timerId())
        return QObject::timerEvent(event);
    m_timer.stop();
    if (m_phase == Phase::Receiving && m_reply) {
        // Restarting the timer for every chunk costs more than the chunk; re-arm it here.
        const qint64 quiet = m_clock.elapsed() - m_lastDataMs;
        const int idleMs = upstream().timeouts.idleMs;
        if (quiet < idleMs) {
            m_timer.start(static_cast<int>(idleMs - quiet), this);
            return;
        }
    }
    onTimeout();
}

void RelayExchange::onTimeout()
{
    if (!m_reply)
        return;
    const UpstreamTimeouts &t = upstream().timeouts;
    switch (m_phase) {
    case Phase::Connecting:
        m_timeoutReason = QStringLiteral("connect timeout after %1 ms").arg(t.connectMs);
        break;
    case Phase::AwaitingHeaders:
        m_timeoutReason = QStringLiteral("no response within %1 ms").arg(t.firstByteMs);
        break;
    case Phase::Receiving:
        m_timeoutReason = QStringLiteral("no data for %1 ms").arg(t.idleMs);
        break;
    }
    m_reply->abort();
}

void RelayExchange::onClientGone()
{
    if (m_done)
        return;
    m_clientGone = true;
    if (m_reply)
        m_reply->abort();
    else
        complete(499, QStringLiteral("client closed the connection"));
}

void RelayExchange::abort(const QString &reason)
{
    if (m_done)
        return;
    if (m_committed) {
        failAfterCommit(reason);
        return;
    }
    if (m_reply) {
        m_reply->disconnect(this);
        m_reply->abort();
        endAttempt();
    }
    replyError({ 503, QStringLiteral("relay_shutting_down"), reason });
}

void RelayExchange::endAttempt()
{
    m_timer.stop();
    m_keepAliveTimer.stop();
    if (m_reply) {
        m_reply->disconnect(this);
        m_reply->deleteLater();
        m_reply = nullptr;
    }
    if (m_upstreamIndex >= 0) {
        Health &kh = m_engine.health().key(currentRef());
        kh.inflight = std::max(0, kh.inflight - 1);
        Health &uh = m_engine.health().upstream(upstream().id);
        uh.inflight = std::max(0, uh.inflight - 1);
    }
}

void RelayExchange::onReplyFinished()
{
    if (!m_reply || m_done)
        return;
    if (!m_status)
        onMetaData();
    const bool failed = m_reply->error() != UpstreamReply::Error::None;
    const QString errorText = m_timeoutReason.isEmpty() ? m_reply->errorString() : m_timeoutReason;
    const HeaderList headers = m_reply->headers();
    if (m_clientGone) {
        endAttempt();
        complete(499, QStringLiteral("client closed the connection"));
        return;
    }
    const bool success = m_status >= 200 && m_status < 300;
    if (success && !failed) {
        if (!m_committed || m_stream->finishUpstream())
            succeed();
        else
            failAfterCommit(QStringLiteral("the upstream closed the stream before its end"));
        return;
    }
    if (m_committed) {
        failAfterCommit(errorText);
        return;
    }
    if (m_status && !success && !failed) {
        handleErrorStatus(headers);
        return;
    }
    // No usable HTTP answer: connection refused, DNS, TLS, timeout, reset, or a body cut short.
    const Failure failure = m_timeoutReason.isEmpty() ? Failure::Network : Failure::Timeout;
    coolDownKey({}, {});
    retryOrFail(failure, Scope::Upstream, errorText);
}

void RelayExchange::handleErrorStatus(const HeaderList &headers)
{
    if (upstream().type == UpstreamType::Gemini && m_status == 400
        && m_buffer.contains("API_KEY_INVALID"))
        m_status = 401; // Gemini answers a bad key with 400; it is the key's fault all the same
    const QString note = QStringLiteral("HTTP %1 %2")
                             .arg(m_status)
                             .arg(shortBody(m_buffer, m_engine.keys().allSecrets()));
    Health &kh = m_engine.health().key(currentRef());
    if (m_status == 401 || m_status == 403) {
        ++kh.failures;
        kh.lastStatus = m_status;
        kh.invalid = true;
        kh.invalidReason = QStringLiteral("upstream answered %1: %2")
                               .arg(m_status)
                               .arg(shortBody(m_buffer, m_engine.keys().allSecrets()));
        retryOrFail(Failure::Auth, Scope::Key, note);
        return;
    }
    if (isRetryableStatus(m_status)) {
        coolDownKey(headers, m_buffer);
        retryOrFail(m_status == 429 ? Failure::RateLimited : Failure::ServerError,
                    m_status == 429 ? Scope::Key : Scope::Upstream, note);
        return;
    }
    // The request itself is at fault (400, 404, 413, ...): another key would answer the same.
    kh.lastStatus = m_status;
    HeaderList out;
    for (const auto &[name, value] : headers) {
        if (name == "content-type")
            out.append({ name, value });
    }
    const int status = m_status;
    QByteArray body = m_buffer;
    if (ProtocolBridge::translates(m_call, upstream())) {
        body = ApiError { status, QStringLiteral("upstream_error"),
                          shortBody(m_buffer, m_engine.keys().allSecrets()) }
                   .toJson(m_call.format);
        out = { { QByteArrayLiteral("content-type"), QByteArrayLiteral("application/json") } };
    }
    m_record.bytes = body.size();
    endAttempt();
    m_responder->respond(status, out, body);
    complete(status, note);
}

void RelayExchange::coolDownKey(const HeaderList &headers, const QByteArray &body)
{
    const QString cause = m_committed ? QStringLiteral("stream broke off")
        : m_status                    ? QStringLiteral("HTTP %1").arg(m_status)
                                      : QStringLiteral("network failure");
    Health &kh = m_engine.health().key(currentRef());
    // OpenAI and Gemini rate-limit each model apart: the key stays in use for the others. An
    // exhausted quota is the account's, whatever the model.
    const bool perModel = m_status == 429 && !m_call.model.isEmpty()
        && (upstream().type == UpstreamType::OpenAi || upstream().type == UpstreamType::Gemini)
        && !CooldownPolicy::isQuotaExhausted(body);
    if (!perModel) {
        CooldownPolicy::coolDown(kh, m_status, headers, body, cause, m_engine.config().retry,
                                 nowMs());
        return;
    }
    ++kh.failures;
    kh.lastStatus = m_status;
    Health &model
        = m_engine.health().keyModel(currentRef(), upstream().upstreamModel(m_call.model));
    CooldownPolicy::coolDown(model, m_status, headers, body, cause, m_engine.config().retry,
                             nowMs());
}

void RelayExchange::retryOrFail(Failure failure, Scope scope, const QString &note)
{
    m_failures.add(failure, QStringLiteral("%1/%2: %3").arg(upstream().name, m_key.label, note));
    m_engine.health().key(currentRef()).lastError = note;
    qCDebug(lcExchange) << "attempt failed" << m_id << m_failures.lastNote();
    endAttempt();
    if (selectNext(scope)) {
        sendAttempt();
        return;
    }
    failAllAttempts();
}

void RelayExchange::failAllAttempts()
{
    const RoutePlan now = m_engine.replan(m_call);
    qint64 retryAtMs = 0;
    const ApiError error = m_failures.verdict(m_plan.model, now, nowMs(), &retryAtMs);
    replyError(error, retryAtMs);
}

void RelayExchange::failAfterCommit(const QString &reason)
{
    coolDownKey({}, {});
    endAttempt();
    const ApiError error { 502, QStringLiteral("stream_interrupted"),
                           QStringLiteral("The upstream stream broke off (%1); the answer above is "
                                          "incomplete.")
                               .arg(reason) };
    m_stream->fail(error);
    complete(m_status, QStringLiteral("stream interrupted: ") + reason);
}

void RelayExchange::succeed()
{
    Health &kh = m_engine.health().key(currentRef());
    ++kh.successes;
    kh.backoffLevel = 0;
    kh.lastStatus = m_status;
    const int status = m_status;
    if (m_committed) {
        endAttempt();
        m_stream->end();
    } else {
        HeaderList headers = replyHeaders();
        QByteArray body = m_buffer;
        // Some providers ignore "stream": the client still gets the stream it asked for.
        const bool translated = ProtocolBridge::translates(m_call, upstream());
        const bool streamAsked = m_call.stream
            && (m_call.kind == CallKind::Chat || m_call.kind == CallKind::Messages
                || ((m_call.kind == CallKind::Responses || m_call.kind == CallKind::Gemini)
                    && translated));
        if (streamAsked || translated) {
            QString error;
            body = streamAsked
                ? ProtocolBridge::streamFromWhole(m_call, upstream(), m_buffer, &error)
                : ProtocolBridge::response(m_call, upstream(), m_buffer, &error);
            if (!error.isEmpty()) {
                endAttempt();
                replyError({ 502, QStringLiteral("untranslatable_response"), error });
                return;
            }
            headers.removeIf([](const auto &h) { return h.first == "content-type"; });
            headers.prepend({ QByteArrayLiteral("content-type"),
                              streamAsked ? QByteArrayLiteral("text/event-stream")
                                          : QByteArrayLiteral("application/json") });
        }
        m_record.firstByteMs = m_clock.elapsed();
        m_record.bytes = body.size();
        m_usage.feedWhole(m_buffer);
        endAttempt();
        m_responder->respond(status, headers, body);
    }
    complete(status, {});
}

void RelayExchange::replyError(const ApiError &error, qint64 retryAtMs)
{
    HeaderList headers { { "content-type", "application/json" } };
    if (retryAtMs > 0) {
        const qint64 seconds = std::max<qint64>(1, (retryAtMs - nowMs() + 999) / 1000);
        headers.append({ QByteArrayLiteral("retry-after"), QByteArray::number(seconds) });
    }
    m_responder->respond(error.status, headers, error.toJson(m_call.format));
    complete(error.status, error.message);
}

void RelayExchange::complete(int status, const QString &error)
{
    if (m_done)
        return;
    m_done = true;
    m_record.status = status;
    m_record.error = error;
    m_record.latencyMs = m_clock.elapsed();
    if (m_engine.config().captureBodies) {
        m_record.requestBody = m_request.body.left(RequestRecord::kCaptureBytes);
        if (!m_committed)
            m_record.responseBody = m_buffer.left(RequestRecord::kCaptureBytes);
    }
    m_record.tokensIn = m_usage.input();
    m_record.tokensOut = m_usage.output();
    if (m_record.attempts == 0)
        m_record.attempts = static_cast<int>(m_failures.size());
    Q_EMIT finished(this);
}

QJsonObject RelayExchange::describe() const
{
    return { { QStringLiteral("id"), QString::number(m_id) },
             { QStringLiteral("method"), QString::fromLatin1(m_request.method) },
             { QStringLiteral("path"), m_request.path },
             { QStringLiteral("model"), m_plan.model },
             { QStringLiteral("upstream"), m_record.upstream },
             { QStringLiteral("key"), m_record.keyLabel },
             { QStringLiteral("attempt"), m_record.attempts },
             { QStringLiteral("streaming"), m_committed },
             { QStringLiteral("elapsedMs"), m_clock.elapsed() },
             { QStringLiteral("bytes"), m_record.bytes } };
}

} // namespace relay
