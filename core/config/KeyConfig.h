#pragma once

#include <QString>

namespace relay {

// Optional per-key limits; 0 means unlimited.
struct KeyLimits
{
    int rpm = 0;
    int rpd = 0;
    int tpm = 0;
};

// One upstream API key as the configuration knows it. The secret itself lives in a KeyStore.
struct KeyConfig
{
    QString id;
    QString label;
    QString hint; // the secret's last 4 characters, so the user can tell keys apart
    bool enabled = true;
    int weight = 1;
    KeyLimits limits;
};

} // namespace relay
