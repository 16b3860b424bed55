#pragma once

#include <QList>
#include <QString>
#include <QStringList>

namespace relay {

// The providers a user can add in two clicks (resources/presets/providers.json).
struct ProviderPreset
{
    QString id;
    QString name;
    QString nameZh;
    QString type; // openai, anthropic, gemini
    QString baseUrl;
    QStringList models;
    QString keyUrl;
    bool needsKey = true;

    // The name in the language shown now.
    QString displayName(const QString &language) const;
};

class ProviderPresets
{
public:
    static const QList<ProviderPreset> &all();
};

} // namespace relay
