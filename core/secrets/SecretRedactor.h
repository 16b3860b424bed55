#pragma once

#include <QString>

namespace relay {

// The only form in which a secret may appear in logs, status and errors.
QString redactSecret(const QString &secret);

} // namespace relay
