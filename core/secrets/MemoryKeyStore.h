#pragma once

#include "KeyStore.h"

#include <QHash>

namespace relay {

// Holds secrets loaded from the config file or the environment.
class MemoryKeyStore final : public KeyStore
{
public:
    MemoryKeyStore() = default;
    explicit MemoryKeyStore(QHash<QString, QString> secrets);

    QString secret(const QString &ref) const override;
    void setSecret(const QString &ref, const QString &secret);
    void replaceAll(QHash<QString, QString> secrets);
    const QHash<QString, QString> &all() const { return m_secrets; }

private:
    QHash<QString, QString> m_secrets;
};

} // namespace relay
