#include "MemoryKeyStore.h"

#include <utility>

namespace relay {

MemoryKeyStore::MemoryKeyStore(QHash<QString, QString> secrets)
    : m_secrets(std::move(secrets))
{ }

QString MemoryKeyStore::secret(const QString &ref) const
{
    return m_secrets.value(ref);
}

void MemoryKeyStore::setSecret(const QString &ref, const QString &secret)
{
    m_secrets.insert(ref, secret);
}

void MemoryKeyStore::replaceAll(QHash<QString, QString> secrets)
{
    m_secrets = std::move(secrets);
}

} // namespace relay
