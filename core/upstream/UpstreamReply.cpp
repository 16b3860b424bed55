#include "UpstreamReply.h"

#include "UpstreamConnection.h"

namespace relay {

UpstreamReply::UpstreamReply(QObject *parent)
    : QObject(parent)
{ }

UpstreamReply::~UpstreamReply()
{
    if (m_connection && !m_finished)
        m_connection->abandon(this);
}

void UpstreamReply::attach(UpstreamConnection *connection)
{
    m_connection = connection;
}

QByteArray UpstreamReply::header(const QByteArray &lowerCaseName) const
{
    for (const auto &[name, value] : m_headers) {
        if (name == lowerCaseName)
            return value;
    }
    return {};
}

QByteArray UpstreamReply::readAll()
{
    QByteArray out;
    out.swap(m_body);
    return out;
}

void UpstreamReply::abort()
{
    if (m_finished)
        return;
    if (m_connection)
        m_connection->abandon(this);
    finish(Error::Aborted, QStringLiteral("aborted"));
}

void UpstreamReply::setHead(int status, HeaderList headers)
{
    m_status = status;
    m_headers = std::move(headers);
    Q_EMIT headersReceived();
}

void UpstreamReply::appendBody(const QByteArray &data)
{
    m_body += data;
    Q_EMIT readyRead();
}

void UpstreamReply::finish(Error error, const QString &text)
{
    if (m_finished)
        return;
    m_finished = true;
    m_error = error;
    m_errorString = text;
    m_connection = nullptr;
    Q_EMIT finished();
}

} // namespace relay
