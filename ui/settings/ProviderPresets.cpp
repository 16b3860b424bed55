#include "ProviderPresets.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

namespace relay {

QString ProviderPreset::displayName(const QString &language) const
{
    return language == u"zh_CN" && !nameZh.isEmpty() ? nameZh : name;
}

const QList<ProviderPreset> &ProviderPresets::all()
{
    static const QList<ProviderPreset> presets = [] {
        QList<ProviderPreset> out;
        QFile file(QStringLiteral(":/presets/providers.json"));
        if (!file.open(QIODevice::ReadOnly))
            return out;
        const QJsonArray list
            = QJsonDocument::fromJson(file.readAll()).object().value(u"presets").toArray();
        for (const QJsonValue &v : list) {
            const QJsonObject o = v.toObject();
            ProviderPreset p;
            p.id = o.value(u"id").toString();
            p.name = o.value(u"name").toString();
            p.nameZh = o.value(u"nameZh").toString();
            p.type = o.value(u"type").toString();
            p.baseUrl = o.value(u"baseUrl").toString();
            for (const QJsonValue &m : o.value(u"models").toArray())
                p.models.append(m.toString());
            p.keyUrl = o.value(u"keyUrl").toString();
            p.needsKey = o.value(u"needsKey").toBool(true);
            out.append(p);
        }
        return out;
    }();
    return presets;
}

} // namespace relay
