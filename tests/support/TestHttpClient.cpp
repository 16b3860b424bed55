#include "TestHttpClient.h"

#include <QJsonDocument>
#include <QTcpSocket>
#include <chrono>

namespace relay::test {

TestResponse::TestResponse(QObject *parent)
    : QObject(parent)
    , m_socket(new QTcpSocket(this))
{
    connect(m_socket, &QTcpSocket::readyRead, this, &TestResponse::onReadyRead);
    connect(m_socket, &QTcpSocket::disconnected, this, [this] {
        if (!finished) {
            connectionLost = true;
            finish();
        }
    });
    connect(m_socket, &QTcpSocket::errorOccurred, this, [this] {
        if (!finished && m_socket->state() != QAbstractSocket::ConnectedState) {
            connectionLost = true;
            finish();
        }
    });
}

QJsonObject TestResponse::json() const
{
    return QJsonDocument::fromJson(body).object();
}

void TestResponse::abort()
{
    finished = true;
    m_socket->abort();
}

void TestResponse::send(quint16 port, const QByteArray &method, const QByteArray &path,
                        const QList<QPair<QByteArray, QByteArray>> &headers, const QByteArray &body)
{
    QByteArray request = method + ' ' + path + " HTTP/1.1\r\n";
    // A "host" given by the test replaces the default.
    bool hostGiven = false;
    for (const auto &[name, value] : headers) {
        request += name + ": " + value + "\r\n";
        hostGiven = hostGiven || name.toLower() == "host";
    }
    if (!hostGiven)
        request += "Host: 127.0.0.1:" + QByteArray::number(port) + "\r\n";
    if (!body.isEmpty() || method == "POST")
        request += "Content-Length: " + QByteArray::number(body.size()) + "\r\n";
    request += "\r\n" + body;
    m_socket->connectToHost(QHostAddress::LocalHost, port);
    m_socket->write(request);
}

void TestResponse::finish()
{
    if (finished)
        return;
    finished = true;
    Q_EMIT done();
}

void TestResponse::onReadyRead()
{
    m_buffer += m_socket->readAll();
    if (!m_headersDone) {
        const qsizetype end = m_buffer.indexOf("\r\n\r\n");
        if (end < 0)
            return;
        const QList<QByteArray> lines = m_buffer.left(end).split('\n');
        status = lines.value(0).split(' ').value(1).toInt();
        for (qsizetype i = 1; i < lines.size(); ++i) {
            const qsizetype colon = lines.at(i).indexOf(':');
            if (colon > 0)
                headers.insert(lines.at(i).left(colon).trimmed().toLower(),
                               lines.at(i).mid(colon + 1).trimmed());
        }
        m_buffer.remove(0, end + 4);
        m_headersDone = true;
        m_chunked = headers.value("transfer-encoding").toLower() == "chunked";
        m_contentLength = headers.value("content-length", "-1").toLongLong();
    }
    if (!m_chunked) {
        body += m_buffer;
        m_buffer.clear();
        if (m_contentLength >= 0 && body.size() >= m_contentLength)
            finish();
        return;
    }
    while (true) {
        const qsizetype lineEnd = m_buffer.indexOf("\r\n");
        if (lineEnd < 0)
            return;
        bool ok = false;
        const qsizetype size = m_buffer.left(lineEnd).trimmed().toLongLong(&ok, 16);
        if (!ok || m_buffer.size() < lineEnd + 2 + size + 2)
            return;
        const QByteArray data = m_buffer.mid(lineEnd + 2, size);
        m_buffer.remove(0, lineEnd + 2 + size + 2);
        if (size == 0) {
            finish();
            return;
        }
        body += data;
        chunks.append(data);
        chunkArrivalUs.append(std::chrono::duration_cast<std::chrono::microseconds>(
                                  std::chrono::steady_clock::now().time_since_epoch())
                                  .count());
        Q_EMIT chunkReceived();
    }
}

} // namespace relay::test
