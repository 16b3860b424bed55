#pragma once

#include <QByteArray>
#include <QHostAddress>
#include <QList>
#include <QPair>
#include <QString>

namespace relay {

using HeaderList = QList<QPair<QByteArray, QByteArray>>;

// A client request as the relay sees it, independent of the Qt version's request type.
struct IncomingRequest
{
    QByteArray method;
    QString path;
    QString query; // without '?', still percent-encoded
    HeaderList headers; // names in lower case
    QByteArray body;
    QHostAddress remoteAddress;

    QByteArray header(const QByteArray &lowerCaseName) const;
};

} // namespace relay
