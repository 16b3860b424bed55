#pragma once

#include "KeyStore.h"

#include <QHash>

namespace relay {

// Holds secrets loaded from the config file or the environment.
class MemoryKeyStore final : public KeyStore
{
public:
    QString secret(const QString &ref) const override;
    QStringList allSecrets() const override { return m_secrets.values(); }
    void replaceAll(QHash<QString, QString> secrets);
    // An empty secret removes the ref: redaction never looks for an empty string.
    void set(const QString &ref, const QString &secret);

private:
    QHash<QString, QString> m_secrets;
};

} // namespace relay
