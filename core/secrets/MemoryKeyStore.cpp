#include "MemoryKeyStore.h"

#include <utility>

namespace relay {

QString MemoryKeyStore::secret(const QString &ref) const
{
    return m_secrets.value(ref);
}

void MemoryKeyStore::set(const QString &ref, const QString &secret)
{
    if (secret.isEmpty())
        m_secrets.remove(ref);
    else
        m_secrets.insert(ref, secret);
}

void MemoryKeyStore::replaceAll(QHash<QString, QString> secrets)
{
    m_secrets = std::move(secrets);
}

} // namespace relay
