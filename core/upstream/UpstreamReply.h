#pragma once

#include "types/IncomingRequest.h"

#include <QObject>
#include <QPointer>

namespace relay {

class UpstreamConnection;

// One upstream response as it arrives: head first, then body pieces, then finished().
// abort() emits finished() before it returns, with error() == Aborted.
class UpstreamReply final : public QObject
{
    Q_OBJECT
public:
    enum class Error {
        None,
        HostNotFound,
        ConnectFailed,
        Tls,
        Proxy,
        ConnectionClosed,
        Protocol,
        Aborted
    };

    explicit UpstreamReply(QObject *parent = nullptr);
    ~UpstreamReply() override;
    Q_DISABLE_COPY_MOVE(UpstreamReply)

    int status() const { return m_status; }
    const HeaderList &headers() const { return m_headers; }
    QByteArray header(const QByteArray &lowerCaseName) const;
    QByteArray readAll();
    Error error() const { return m_error; }
    QString errorString() const { return m_errorString; }
    bool isFinished() const { return m_finished; }
    void abort();

Q_SIGNALS:
    void requestSent(); // connected, request handed to the socket
    void headersReceived();
    void readyRead();
    void finished();

private:
    friend class UpstreamConnection;
    void attach(UpstreamConnection *connection);
    void setHead(int status, HeaderList headers);
    void appendBody(const QByteArray &data);
    void finish(Error error, const QString &text);

    QPointer<UpstreamConnection> m_connection;
    int m_status = 0;
    HeaderList m_headers;
    QByteArray m_body;
    Error m_error = Error::None;
    QString m_errorString;
    bool m_finished = false;
};

} // namespace relay
