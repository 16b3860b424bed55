#pragma once

#include <QString>
#include <QStringList>

namespace relay {

// Where the relay reads secrets (upstream keys, the access key) on the request path.
// Implementations answer from memory: whatever slow backend fills them (config file,
// environment, OS keychain) does so before or beside the request path, never inside it.
class KeyStore
{
public:
    virtual ~KeyStore() = default;

    // Empty when the secret is unknown.
    virtual QString secret(const QString &ref) const = 0;
    // Every secret held, to redact them from captured bodies.
    virtual QStringList allSecrets() const = 0;

    static QString upstreamKeyRef(const QString &upstreamId, const QString &keyId);
    static QString accessKeyRef();
    static QString adminKeyRef();
};

} // namespace relay
