#include "KeyStore.h"

namespace relay {

QString KeyStore::upstreamKeyRef(const QString &upstreamId, const QString &keyId)
{
    return upstreamId + u'/' + keyId;
}

QString KeyStore::accessKeyRef()
{
    return QStringLiteral("access");
}

QString KeyStore::adminKeyRef()
{
    return QStringLiteral("admin");
}

} // namespace relay
