#include "FakeUpstream.h"

#include "FakeProvider.h"

#include <QDateTime>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTcpSocket>
#include <QTimer>
#include <chrono>

namespace relay::test {

struct FakeUpstream::Connection
{
    QTcpSocket *socket = nullptr;
    QByteArray buffer;
    int id = 0;
    bool busy = false; // a response is under way or the request hangs
};

struct FakeUpstream::Stream
{
    Connection *connection = nullptr;
    QByteArray model;
    int next = 0;
    int total = 0;
    bool cut = false;
};

Fault Fault::httpStatus(int status, QByteArray body, QList<QPair<QByteArray, QByteArray>> headers)
{
    Fault f;
    f.kind = Kind::Status;
    f.status = status;
    f.body = body.isEmpty()
        ? QByteArray(R"({"error":{"message":"scripted failure","type":"test"}})")
        : body;
    f.headers = std::move(headers);
    return f;
}

Fault Fault::rateLimited(const QByteArray &retryAfter)
{
    QList<QPair<QByteArray, QByteArray>> headers;
    if (!retryAfter.isEmpty())
        headers.append({ QByteArrayLiteral("Retry-After"), retryAfter });
    return httpStatus(429, R"({"error":{"message":"Rate limit reached","type":"requests"}})",
                      headers);
}

Fault Fault::of(Kind kind, int chunks)
{
    Fault f;
    f.kind = kind;
    f.chunks = chunks;
    return f;
}

FakeUpstream::FakeUpstream(QString name, QObject *parent)
    : QObject(parent)
    , m_name(std::move(name))
{
    connect(&m_server, &QTcpServer::newConnection, this, &FakeUpstream::onNewConnection);
}

FakeUpstream::~FakeUpstream()
{
    for (Connection *c : std::as_const(m_connections)) {
        c->socket->disconnect(this);
        delete c;
    }
    qDeleteAll(m_streams);
    qDeleteAll(m_retired);
}

bool FakeUpstream::start(quint16 port)
{
    m_server.setMaxPendingConnections(1024);
    return m_server.listen(QHostAddress::LocalHost, port);
}

QUrl FakeUpstream::baseUrl() const
{
    return QUrl(QStringLiteral("http://127.0.0.1:%1/v1").arg(port()));
}

void FakeUpstream::script(const QByteArray &key, QList<Fault> faults)
{
    for (const Fault &f : faults)
        m_scripts[key].enqueue(f);
}

void FakeUpstream::setDefaultFault(const QByteArray &key, const Fault &fault)
{
    m_defaults.insert(key, fault);
}

void FakeUpstream::setStreamShape(int chunks, int intervalMs)
{
    m_streamChunks = chunks;
    m_chunkIntervalMs = intervalMs;
}

QList<QByteArray> FakeUpstream::keysUsed() const
{
    QList<QByteArray> keys;
    for (const ReceivedRequest &r : m_requests)
        keys.append(r.key);
    return keys;
}

void FakeUpstream::onNewConnection()
{
    while (QTcpSocket *socket = m_server.nextPendingConnection()) {
        socket->setSocketOption(QAbstractSocket::LowDelayOption, 1);
        auto *c = new Connection;
        c->socket = socket;
        c->id = m_nextConnectionId++;
        m_connections.insert(socket, c);
        connect(socket, &QTcpSocket::readyRead, this, [this, c] { onReadyRead(c); });
        connect(socket, &QTcpSocket::disconnected, this, [this, socket, c] {
            const bool wasBusy = c->busy;
            for (Stream *stream : std::as_const(m_streams)) {
                if (stream->connection == c)
                    stream->connection = nullptr;
            }
            for (qsizetype i = m_waiting.size() - 1; i >= 0; --i) {
                if (!m_waiting.at(i)->connection) {
                    m_streams.removeOne(m_waiting.at(i));
                    delete m_waiting.takeAt(i);
                }
            }
            m_connections.remove(socket);
            c->socket = nullptr; // streams still scheduled see the connection is gone
            socket->deleteLater();
            m_retired.append(c);
            if (wasBusy) {
                ++m_droppedByPeer;
                Q_EMIT peerDisconnected();
            }
        });
    }
}

void FakeUpstream::onReadyRead(Connection *c)
{
    c->buffer += c->socket->readAll();
    while (!c->busy) {
        const qsizetype headerEnd = c->buffer.indexOf("\r\n\r\n");
        if (headerEnd < 0)
            return;
        const QList<QByteArray> lines = c->buffer.left(headerEnd).split('\n');
        ReceivedRequest request;
        const QList<QByteArray> requestLine = lines.value(0).trimmed().split(' ');
        request.method = requestLine.value(0);
        request.path = requestLine.value(1);
        request.connectionId = c->id;
        for (qsizetype i = 1; i < lines.size(); ++i) {
            const qsizetype colon = lines.at(i).indexOf(':');
            if (colon > 0) {
                const QByteArray name = lines.at(i).left(colon).trimmed().toLower();
                request.headers.insert(name, lines.at(i).mid(colon + 1).trimmed());
                request.headerNames.append(name);
            }
        }
        const qsizetype length = request.headers.value("content-length", "0").toLongLong();
        if (c->buffer.size() < headerEnd + 4 + length)
            return;
        request.body = c->buffer.mid(headerEnd + 4, length);
        c->buffer.remove(0, headerEnd + 4 + length);
        const QByteArray auth = request.headers.value("authorization");
        request.key = auth.startsWith("Bearer ") ? auth.mid(7) : auth;
        if (request.key.isEmpty())
            request.key = request.headers.value("x-api-key");
        if (request.key.isEmpty())
            request.key = request.headers.value("x-goog-api-key");
        m_requests.append(request);
        Q_EMIT requestReceived(static_cast<int>(m_requests.size() - 1));
        respond(c, request);
        if (!c->socket)
            return;
    }
}

void FakeUpstream::respond(Connection *c, const ReceivedRequest &request)
{
    Fault fault = m_defaults.value(request.key);
    QQueue<Fault> &queue = m_scripts[request.key];
    if (!queue.isEmpty())
        fault = queue.dequeue();
    QTcpSocket *socket = c->socket;
    const QJsonObject body = QJsonDocument::fromJson(request.body).object();
    const QByteArray model = body.value(u"model").toString().toUtf8();

    switch (fault.kind) {
    case Fault::Kind::Hang:
        c->busy = true;
        return;
    case Fault::Kind::Reset:
        socket->abort();
        return;
    case Fault::Kind::Garbage:
        socket->write("\x01\x02 this is not HTTP at all\r\n\r\n");
        socket->disconnectFromHost();
        return;
    case Fault::Kind::CutMidStream:
        startStream(c, model, fault.chunks, true);
        return;
    case Fault::Kind::Status: {
        QByteArray head = "HTTP/1.1 " + QByteArray::number(fault.status)
            + " Scripted\r\n"
              "Content-Type: application/json\r\nContent-Length: "
            + QByteArray::number(fault.body.size()) + "\r\n";
        for (const auto &[name, value] : fault.headers)
            head += name + ": " + value + "\r\n";
        socket->write(head + "\r\n" + fault.body);
        return;
    }
    case Fault::Kind::None:
        break;
    }

    if (m_providerMode) {
        const FakeAnswer answer = FakeProvider::answer(request);
        if (answer.status != 0) {
            const bool sse = !answer.events.isEmpty();
            QByteArray head = "HTTP/1.1 " + QByteArray::number(answer.status) + " Fake\r\n"
                + (sse ? "Content-Type: text/event-stream\r\nTransfer-Encoding: chunked\r\n\r\n"
                       : "Content-Type: application/json\r\nContent-Length: "
                           + QByteArray::number(answer.body.size()) + "\r\n\r\n" + answer.body);
            for (const QByteArray &event : answer.events)
                head += QByteArray::number(event.size(), 16) + "\r\n" + event + "\r\n";
            if (sse)
                head += "0\r\n\r\n";
            socket->write(head);
            return;
        }
    }
    if (!request.path.startsWith("/v1/chat/completions")) {
        // Everything else is echoed, so tests can check bodies and types arrive untouched.
        const QByteArray type = request.headers.value("content-type", "application/octet-stream");
        socket->write("HTTP/1.1 200 OK\r\nContent-Type: " + type + "\r\nX-Echo-Method: "
                      + request.method + "\r\nX-Echo-Path: " + request.path + "\r\nContent-Length: "
                      + QByteArray::number(request.body.size()) + "\r\n\r\n" + request.body);
        return;
    }
    if (body.value(u"stream").toBool()) {
        startStream(c, model, m_streamChunks, false);
        return;
    }
    QJsonObject message;
    message.insert(QStringLiteral("role"), QStringLiteral("assistant"));
    message.insert(QStringLiteral("content"), QString(QStringLiteral("Hello from ") + m_name));
    QJsonObject choice;
    choice.insert(QStringLiteral("index"), 0);
    choice.insert(QStringLiteral("message"), message);
    choice.insert(QStringLiteral("finish_reason"), QStringLiteral("stop"));
    QJsonObject usage;
    usage.insert(QStringLiteral("prompt_tokens"), 5);
    usage.insert(QStringLiteral("completion_tokens"), 3);
    usage.insert(QStringLiteral("total_tokens"), 8);
    QJsonObject answer;
    answer.insert(QStringLiteral("id"), QStringLiteral("chatcmpl-fake"));
    answer.insert(QStringLiteral("object"), QStringLiteral("chat.completion"));
    answer.insert(QStringLiteral("created"), QDateTime::currentSecsSinceEpoch());
    answer.insert(QStringLiteral("model"), QString::fromUtf8(model));
    answer.insert(QStringLiteral("choices"), QJsonArray { choice });
    answer.insert(QStringLiteral("usage"), usage);
    const QByteArray json = QJsonDocument(answer).toJson(QJsonDocument::Compact);
    socket->write("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: "
                  + QByteArray::number(json.size()) + "\r\n\r\n" + json);
}

QByteArray FakeUpstream::chunkEvent(int index, const QByteArray &model) const
{
    QByteArray stamp;
    if (m_stampChunks) {
        const auto us = std::chrono::duration_cast<std::chrono::microseconds>(
                            std::chrono::steady_clock::now().time_since_epoch())
                            .count();
        stamp = "@" + QByteArray::number(static_cast<qint64>(us));
    }
    // The stamp rides in the text, so it survives translation into another API's stream.
    return "data: {\"id\":\"chatcmpl-fake\",\"object\":\"chat.completion.chunk\",\"model\":\""
        + model + "\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"tok"
        + QByteArray::number(index) + stamp + " \"}}]}\n\n";
}

void FakeUpstream::startStream(Connection *c, const QByteArray &model, int chunks, bool cut)
{
    c->busy = true;
    c->socket->write("HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\n"
                     "Transfer-Encoding: chunked\r\n\r\n");
    auto *s = new Stream { c, model, 0, chunks, cut };
    m_streams.append(s);
    sendNextChunk(s);
}

void FakeUpstream::sendNextChunk(Stream *s)
{
    Connection *c = s->connection;
    if (!c || !c->socket) {
        m_streams.removeOne(s);
        delete s;
        return;
    }
    auto frame = [](const QByteArray &data) {
        return QByteArray::number(data.size(), 16) + "\r\n" + data + "\r\n";
    };
    if (s->next < s->total) {
        c->socket->write(frame(chunkEvent(s->next, s->model)));
        c->socket->flush();
        ++s->next;
        if (s->next == 1 && !m_gateOpen && s->next < s->total) {
            m_waiting.append(s);
            return;
        }
        QTimer::singleShot(m_chunkIntervalMs, this, [this, s] { sendNextChunk(s); });
        return;
    }
    if (s->cut) {
        c->socket->abort();
    } else {
        const QByteArray last = m_endWithDone
            ? QByteArray("data: [DONE]\n\n")
            : QByteArray(
                "data: {\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\": \"stop\"}]}\n\n");
        c->socket->write(frame(last) + "0\r\n\r\n");
        c->busy = false;
    }
    m_streams.removeOne(s);
    delete s;
}

void FakeUpstream::openGate()
{
    m_gateOpen = true;
    const QList<Stream *> waiting = m_waiting;
    m_waiting.clear();
    for (Stream *s : waiting)
        QTimer::singleShot(m_chunkIntervalMs, this, [this, s] { sendNextChunk(s); });
}

} // namespace relay::test
