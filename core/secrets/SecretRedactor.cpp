#include "SecretRedactor.h"

namespace relay {

QString redactSecret(const QString &secret)
{
    return u'…' + secretHint(secret);
}

QString secretHint(const QString &secret)
{
    // Short secrets reveal too much through their last characters.
    return secret.size() < 12 ? QString() : secret.right(4);
}

} // namespace relay
