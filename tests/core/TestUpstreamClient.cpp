#include "upstream/UpstreamClient.h"
#include "upstream/UpstreamReply.h"

#include <QTcpServer>
#include <QTcpSocket>
#include <QtTest>

using namespace relay;

// A server that answers every request with the same raw bytes, written in pieces of
// `piece` bytes one event-loop turn apart, then optionally closes.
class ScriptedServer : public QObject
{
public:
    QByteArray response;
    int piece = 0; // 0: all at once
    bool closeAfter = false;
    int connections = 0;

    ScriptedServer()
    {
        m_server.listen(QHostAddress::LocalHost, 0);
        QObject::connect(&m_server, &QTcpServer::newConnection, this, [this] {
            while (QTcpSocket *s = m_server.nextPendingConnection()) {
                ++connections;
                auto *buffer = new QByteArray;
                QObject::connect(s, &QObject::destroyed, this, [buffer] { delete buffer; });
                QObject::connect(s, &QTcpSocket::disconnected, s, &QObject::deleteLater);
                QObject::connect(s, &QTcpSocket::readyRead, this, [this, s, buffer] {
                    *buffer += s->readAll();
                    const qsizetype end = buffer->indexOf("\r\n\r\n");
                    if (end < 0)
                        return;
                    const qsizetype at = buffer->toLower().indexOf("content-length: ");
                    const qsizetype length = at < 0
                        ? 0
                        : buffer->mid(at + 16, buffer->indexOf('\r', at) - at - 16).toLongLong();
                    if (buffer->size() < end + 4 + length)
                        return;
                    buffer->remove(0, end + 4 + length);
                    writeFrom(s, 0);
                });
            }
        });
    }
    quint16 port() const { return m_server.serverPort(); }

private:
    void writeFrom(QTcpSocket *s, qsizetype offset)
    {
        const qsizetype n = piece > 0 ? piece : response.size();
        s->write(response.mid(offset, n));
        s->flush();
        if (offset + n < response.size()) {
            QTimer::singleShot(1, s, [this, s, offset, n] { writeFrom(s, offset + n); });
            return;
        }
        if (closeAfter)
            s->disconnectFromHost();
    }
    QTcpServer m_server;
};

class TestUpstreamClient : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void testResponses_data();
    void testResponses();
    void testKeepAlive_connectionReused();
    void testStaleIdleConnection_resentOnFreshOne();

private:
    static UpstreamReply *send(UpstreamClient &client, quint16 port,
                               const QByteArray &method = "POST");
    static bool waitFinished(UpstreamReply *reply);
};

UpstreamReply *TestUpstreamClient::send(UpstreamClient &client, quint16 port,
                                        const QByteArray &method)
{
    UpstreamRequest request;
    request.method = method;
    request.url = QUrl(QStringLiteral("http://127.0.0.1:%1/v1/chat/completions").arg(port));
    request.proxy = QStringLiteral("none");
    request.headers = { { "content-type", "application/json" } };
    if (method == "POST")
        request.body = R"({"model":"m"})";
    return client.send(request);
}

bool TestUpstreamClient::waitFinished(UpstreamReply *reply)
{
    if (reply->isFinished())
        return true;
    QSignalSpy spy(reply, &UpstreamReply::finished);
    return spy.wait(5000);
}

void TestUpstreamClient::testResponses_data()
{
    QTest::addColumn<QByteArray>("response");
    QTest::addColumn<int>("piece");
    QTest::addColumn<bool>("closeAfter");
    QTest::addColumn<QByteArray>("method");
    QTest::addColumn<int>("status");
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<int>("error");
    const int none = int(UpstreamReply::Error::None);
    const int protocol = int(UpstreamReply::Error::Protocol);
    const int closed = int(UpstreamReply::Error::ConnectionClosed);
    const QByteArray chunked = "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
                               "5;ext=1\r\nhello\r\n7\r\n, world\r\n0\r\nX-Trailer: t\r\n\r\n";
    QTest::newRow("content-length")
        << QByteArray("HTTP/1.1 201 Created\r\nContent-Length: 5\r\n\r\nabcde") << 0 << false
        << QByteArray("POST") << 201 << QByteArray("abcde") << none;
    QTest::newRow("chunked, extensions, trailer")
        << chunked << 0 << false << QByteArray("POST") << 200 << QByteArray("hello, world") << none;
    QTest::newRow("chunked one byte at a time")
        << chunked << 1 << false << QByteArray("POST") << 200 << QByteArray("hello, world") << none;
    QTest::newRow("until close") << QByteArray("HTTP/1.1 200 OK\r\n\r\nall of it") << 3 << true
                                 << QByteArray("POST") << 200 << QByteArray("all of it") << none;
    QTest::newRow("100 continue first")
        << QByteArray("HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok")
        << 0 << false << QByteArray("POST") << 200 << QByteArray("ok") << none;
    QTest::newRow("204 no body") << QByteArray("HTTP/1.1 204 No Content\r\n\r\n") << 0 << false
                                 << QByteArray("POST") << 204 << QByteArray() << none;
    QTest::newRow("HEAD ignores length")
        << QByteArray("HTTP/1.1 200 OK\r\nContent-Length: 99\r\n\r\n") << 0 << false
        << QByteArray("HEAD") << 200 << QByteArray() << none;
    QTest::newRow("not http") << QByteArray("SSH-2.0-OpenSSH\r\n\r\n") << 0 << false
                              << QByteArray("POST") << 0 << QByteArray() << protocol;
    QTest::newRow("bad status line") << QByteArray("HTTP/1.1 abc\r\n\r\n") << 0 << false
                                     << QByteArray("POST") << 0 << QByteArray() << protocol;
    QTest::newRow("bad chunk size")
        << QByteArray("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n") << 0 << false
        << QByteArray("POST") << 200 << QByteArray() << protocol;
    QTest::newRow("chunked cut by close")
        << QByteArray("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n") << 0
        << true << QByteArray("POST") << 200 << QByteArray("abc") << closed;
    QTest::newRow("length cut by close")
        << QByteArray("HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nabc") << 0 << true
        << QByteArray("POST") << 200 << QByteArray("abc") << closed;
    QTest::newRow("huge head") << QByteArray("HTTP/1.1 200 OK\r\nX-Big: " + QByteArray(70000, 'a'))
                               << 0 << false << QByteArray("POST") << 0 << QByteArray() << protocol;
}

// Every way an HTTP/1.1 body can be framed, and every way it can go wrong, ends as it should.
void TestUpstreamClient::testResponses()
{
    QFETCH(QByteArray, response);
    QFETCH(int, piece);
    QFETCH(bool, closeAfter);
    QFETCH(QByteArray, method);
    QFETCH(int, status);
    QFETCH(QByteArray, body);
    QFETCH(int, error);
    ScriptedServer server;
    server.response = response;
    server.piece = piece;
    server.closeAfter = closeAfter;
    UpstreamClient client;
    std::unique_ptr<UpstreamReply> reply(send(client, server.port(), method));
    QByteArray received;
    connect(reply.get(), &UpstreamReply::readyRead, this, [&] { received += reply->readAll(); });
    QVERIFY(waitFinished(reply.get()));
    QCOMPARE(int(reply->error()), error);
    QCOMPARE(reply->status(), status);
    QCOMPARE(received, body);
}

// Sequential requests share one keep-alive connection.
void TestUpstreamClient::testKeepAlive_connectionReused()
{
    ScriptedServer server;
    server.response = "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok";
    UpstreamClient client;
    for (int i = 0; i < 3; ++i) {
        std::unique_ptr<UpstreamReply> reply(send(client, server.port()));
        QVERIFY(waitFinished(reply.get()));
        QCOMPARE(reply->status(), 200);
    }
    QCOMPARE(server.connections, 1);
    QCOMPARE(client.openConnections(), 1);
}

// A pooled connection the server dropped is not an error for the next request.
void TestUpstreamClient::testStaleIdleConnection_resentOnFreshOne()
{
    ScriptedServer server;
    server.response = "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok";
    server.closeAfter = true; // closes without saying "Connection: close"
    UpstreamClient client;
    for (int i = 0; i < 3; ++i) {
        std::unique_ptr<UpstreamReply> reply(send(client, server.port()));
        QVERIFY(waitFinished(reply.get()));
        QCOMPARE(int(reply->error()), int(UpstreamReply::Error::None));
        QCOMPARE(reply->status(), 200);
    }
    QCOMPARE(server.connections, 3);
}

QTEST_GUILESS_MAIN(TestUpstreamClient)
#include "TestUpstreamClient.moc"
