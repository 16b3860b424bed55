#pragma once

#include "AttemptFailures.h"
#include "ClientStream.h"
#include "RelayCall.h"
#include "UsageMeter.h"
#include "routing/RoutePlan.h"
#include "types/ApiError.h"
#include "types/HttpResponder.h"
#include "types/IncomingRequest.h"
#include "types/RequestRecord.h"

#include <QBasicTimer>
#include <QElapsedTimer>
#include <QJsonObject>
#include <QObject>
#include <QPointer>
#include <QSet>
#include <memory>

namespace relay {

class RelayEngine;
class UpstreamReply;

// One client request from routing to the last byte: tries candidates until one answers,
// streams the answer through unbuffered, and reports what happened.
class RelayExchange final : public QObject
{
    Q_OBJECT
public:
    RelayExchange(RelayEngine &engine, IncomingRequest request,
                  std::unique_ptr<HttpResponder> responder, RelayCall call, RoutePlan plan,
                  quint64 id);
    ~RelayExchange() override;
    Q_DISABLE_COPY_MOVE(RelayExchange)

    void start();
    void abort(const QString &reason);
    QJsonObject describe() const;
    const RequestRecord &record() const { return m_record; }

Q_SIGNALS:
    void finished(relay::RelayExchange *exchange);

protected:
    void timerEvent(QTimerEvent *event) override;

private:
    enum class Phase { Connecting, AwaitingHeaders, Receiving };
    enum class Scope { Key, Upstream };
    using Failure = AttemptFailures::Kind;

    bool selectNext(Scope scope);
    void sendAttempt();
    void onRequestSent();
    void onMetaData();
    void onReadyRead();
    void onReplyFinished();
    void onTimeout();
    void onClientGone();

    void handleErrorStatus(const HeaderList &headers);
    void retryOrFail(Failure failure, Scope scope, const QString &note);
    void failAfterCommit(const QString &reason);
    void failAllAttempts();
    void succeed();
    void replyError(const ApiError &error, qint64 retryAtMs = 0);
    void complete(int status, const QString &error);
    void endAttempt();
    void coolDownKey(const HeaderList &headers, const QByteArray &body);
    QString currentRef() const;
    const UpstreamConfig &upstream() const { return m_plan.upstreams.at(m_upstreamIndex); }
    HeaderList replyHeaders() const;

    RelayEngine &m_engine;
    IncomingRequest m_request;
    std::unique_ptr<HttpResponder> m_responder;
    RelayCall m_call;
    RoutePlan m_plan;
    quint64 m_id;

    qsizetype m_upstreamIndex = -1;
    KeyConfig m_key;
    QHash<qsizetype, QList<KeyConfig>> m_keysByUpstream; // usable keys, in pick order
    QSet<QString> m_tried;
    AttemptFailures m_failures;

    QPointer<UpstreamReply> m_reply;
    QBasicTimer m_timer; // the current phase's timeout
    QBasicTimer m_keepAliveTimer; // while streaming: pings when the upstream is quiet
    Phase m_phase = Phase::Connecting;
    QString m_timeoutReason;
    int m_status = 0;
    bool m_sse = false;
    bool m_committed = false;
    bool m_clientGone = false;
    bool m_done = false;
    QByteArray m_buffer;
    std::unique_ptr<ClientStream> m_stream; // from the first bytes sent to the client

    QElapsedTimer m_clock;
    qint64 m_lastDataMs = 0; // m_clock time of the last body bytes
    RequestRecord m_record;
    UsageMeter m_usage;
};

} // namespace relay
