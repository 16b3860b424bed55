#pragma once

#include <QByteArray>
#include <QElapsedTimer>
#include <QHash>
#include <QList>
#include <QObject>
#include <QQueue>
#include <QTcpServer>
#include <QUrl>

class QTcpSocket;

namespace relay::test {

// What the fake upstream does with one request.
struct Fault
{
    enum class Kind {
        None, // a normal answer (JSON, or SSE when the request asks for a stream)
        Status, // `status` with `body` and `headers`
        Hang, // read the request, never answer
        Reset, // close the connection without an answer
        CutMidStream, // send `chunks` SSE chunks, then drop the connection
        Garbage, // bytes that are not HTTP
    };
    Kind kind = Kind::None;
    int status = 200;
    QByteArray body;
    QList<QPair<QByteArray, QByteArray>> headers;
    int chunks = 2;

    static Fault ok() { return {}; }
    static Fault httpStatus(int status, QByteArray body = {},
                            QList<QPair<QByteArray, QByteArray>> headers = {});
    static Fault rateLimited(const QByteArray &retryAfter = {});
    static Fault of(Kind kind, int chunks = 2);
};

struct ReceivedRequest
{
    QByteArray method;
    QByteArray path; // with query
    QHash<QByteArray, QByteArray> headers; // lower-case names; of a repeated name, the last
    QByteArrayList headerNames; // lower-case, in order and with repeats (to see duplicates)
    QByteArray body;
    QByteArray key; // the bearer token, x-api-key or x-goog-api-key
    int connectionId = 0;
};

// An OpenAI-compatible upstream on 127.0.0.1, port 0, with faults scripted per key and per
// request. Streams send `streamChunks` chunks, `chunkIntervalMs` apart; with the gate closed
// they send the first chunk and then wait for openGate().
class FakeUpstream final : public QObject
{
    Q_OBJECT
public:
    explicit FakeUpstream(QString name = QStringLiteral("fake"), QObject *parent = nullptr);
    ~FakeUpstream() override;

    bool start(quint16 port = 0);
    quint16 port() const { return m_server.serverPort(); }
    QUrl baseUrl() const; // http://127.0.0.1:PORT/v1

    // Faults for the next requests made with this key, in order; then the default.
    void script(const QByteArray &key, QList<Fault> faults);
    void setDefaultFault(const QByteArray &key, const Fault &fault);
    void setStreamShape(int chunks, int intervalMs);
    void closeGate() { m_gateOpen = false; }
    void openGate();
    // Put the sender's steady-clock time in microseconds in each chunk's text as "@<us>"
    // (benchmarks).
    void setStampChunks(bool on) { m_stampChunks = on; }
    // Some providers end with a finish_reason chunk and no "data: [DONE]".
    void setEndWithDone(bool on) { m_endWithDone = on; }
    // Normal answers come from FakeProvider: OpenAI, Anthropic and Gemini APIs, each checking
    // requests and answering in its own format.
    void setProviderMode(bool on) { m_providerMode = on; }

    const QList<ReceivedRequest> &requests() const { return m_requests; }
    QList<QByteArray> keysUsed() const;
    int openConnections() const { return m_connections.size(); }
    int streamsWaitingAtGate() const { return m_waiting.size(); }
    int droppedByPeer() const { return m_droppedByPeer; }

Q_SIGNALS:
    void requestReceived(int index);
    void peerDisconnected(); // the relay closed a connection while a response was under way

private:
    struct Connection;
    struct Stream;
    void onNewConnection();
    void onReadyRead(Connection *c);
    void respond(Connection *c, const ReceivedRequest &request);
    void startStream(Connection *c, const QByteArray &model, int chunks, bool cut);
    void sendNextChunk(Stream *s);
    QByteArray chunkEvent(int index, const QByteArray &model) const;

    QString m_name;
    QTcpServer m_server;
    QHash<QByteArray, QQueue<Fault>> m_scripts;
    QHash<QByteArray, Fault> m_defaults;
    QList<ReceivedRequest> m_requests;
    QHash<QTcpSocket *, Connection *> m_connections;
    QList<Connection *> m_retired; // closed; kept until the end since callbacks may hold them
    QList<Stream *> m_streams; // every stream under way, owned here
    QList<Stream *> m_waiting; // those held at the gate
    int m_streamChunks = 3;
    int m_chunkIntervalMs = 0;
    bool m_gateOpen = true;
    bool m_stampChunks = false;
    bool m_endWithDone = true;
    bool m_providerMode = false;
    int m_nextConnectionId = 1;
    int m_droppedByPeer = 0;
};

} // namespace relay::test

Q_DECLARE_METATYPE(relay::test::Fault)
