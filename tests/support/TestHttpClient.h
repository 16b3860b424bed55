#pragma once

#include <QByteArray>
#include <QHash>
#include <QJsonObject>
#include <QList>
#include <QObject>
#include <QPair>

class QTcpSocket;

namespace relay::test {

// One HTTP/1.1 exchange over its own socket. QNetworkAccessManager would queue beyond six
// connections per host and hide chunk boundaries; tests need neither.
class TestResponse final : public QObject
{
    Q_OBJECT
public:
    explicit TestResponse(QObject *parent = nullptr);

    int status = 0;
    QHash<QByteArray, QByteArray> headers; // lower-case names
    QByteArray body;
    QList<QByteArray> chunks; // decoded chunk payloads, as they arrived
    QList<qint64> chunkArrivalUs; // steady clock
    bool finished = false;
    bool connectionLost = false;

    QJsonObject json() const;
    QByteArray header(const QByteArray &name) const { return headers.value(name); }
    void abort();
    void send(quint16 port, const QByteArray &method, const QByteArray &path,
              const QList<QPair<QByteArray, QByteArray>> &headers, const QByteArray &body);

Q_SIGNALS:
    void chunkReceived();
    void done();

private:
    void onReadyRead();
    void finish();

    QTcpSocket *m_socket;
    QByteArray m_buffer;
    bool m_headersDone = false;
    bool m_chunked = false;
    qint64 m_contentLength = -1;
};

} // namespace relay::test
