#pragma once

#include <QString>

namespace relay {

// Start at login, owned by the app: Windows through the per-user Run key, Linux through an XDG
// autostart entry. isEnabled() reads what is really there, so the setting and the truth never
// disagree.
class AutoStart
{
public:
    static bool isEnabled();
    // false and *error when it could not be written.
    static bool setEnabled(bool enabled, QString *error);
    // Where the entry lives (for the README and messages).
    static QString location();
};

} // namespace relay
