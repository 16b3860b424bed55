#pragma once

#include "UpstreamReply.h"

#include <QNetworkProxy>
#include <QObject>
#include <QPointer>

class QTcpSocket;

namespace relay {

// One keep-alive HTTP/1.1 connection to an upstream (plain or TLS, direct or through a proxy),
// carrying one request at a time. Bodies are delivered as they are decoded, chunk by chunk.
class UpstreamConnection final : public QObject
{
    Q_OBJECT
public:
    UpstreamConnection(bool tls, QString host, quint16 port, const QNetworkProxy &proxy,
                       QObject *parent = nullptr);
    ~UpstreamConnection() override;
    Q_DISABLE_COPY_MOVE(UpstreamConnection)

    // `reused`: the connection served an earlier request and may have been closed by the peer
    // meanwhile; such a failure before any response byte is reported by staleFailure().
    void start(UpstreamReply *reply, const QByteArray &request, bool reused);
    bool isReusable() const;
    // The reply no longer wants its answer: the connection cannot be reused.
    void abandon(UpstreamReply *reply);

Q_SIGNALS:
    void idle(relay::UpstreamConnection *connection);
    void closed(relay::UpstreamConnection *connection);
    void staleFailure(relay::UpstreamReply *reply, const QByteArray &request);

private:
    enum class State { Idle, Connecting, AwaitingHead, Body, Done, Closed };
    enum class BodyMode { None, Length, Chunked, UntilClose };
    enum class ChunkState { Size, Data, DataEnd, Trailer };

    void onConnected();
    void onReadyRead();
    void sendRequest();
    void onDisconnected();
    void onError();
    bool parseHead();
    void parseBody();
    void complete();
    void fail(UpstreamReply::Error error, const QString &text);
    void closeSocket();

    QTcpSocket *m_socket; // a QSslSocket for https
    bool m_tls;
    QString m_host;
    quint16 m_port;
    State m_state = State::Idle;
    QPointer<UpstreamReply> m_reply;
    QByteArray m_request;
    bool m_reused = false;
    bool m_gotBytes = false;
    bool m_keepAlive = true;
    bool m_headRequest = false;
    QByteArray m_in;
    BodyMode m_bodyMode = BodyMode::None;
    qint64 m_remaining = 0;
    ChunkState m_chunkState = ChunkState::Size;
};

} // namespace relay
