#pragma once

#include <QString>

namespace relay {

// The only form in which a secret may appear in logs, status and errors: "…" and its hint.
QString redactSecret(const QString &secret);
// The last 4 characters, or nothing for a secret too short to spare them (under 12).
QString secretHint(const QString &secret);

} // namespace relay
