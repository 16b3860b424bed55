#include "GeminiSchema.h"

#include <QJsonArray>
#include <QSet>

namespace relay {

namespace {

constexpr int kMaxRefDepth = 8;
constexpr int kMaxRefExpansions = 512; // a recursive schema must not grow without bound

const QSet<QString> &keptKeywords()
{
    static const QSet<QString> kept {
        QStringLiteral("type"),         QStringLiteral("format"),  QStringLiteral("description"),
        QStringLiteral("nullable"),     QStringLiteral("enum"),    QStringLiteral("properties"),
        QStringLiteral("required"),     QStringLiteral("items"),   QStringLiteral("minItems"),
        QStringLiteral("maxItems"),     QStringLiteral("minimum"), QStringLiteral("maximum"),
        QStringLiteral("anyOf"),        QStringLiteral("title"),   QStringLiteral("minLength"),
        QStringLiteral("maxLength"),    QStringLiteral("pattern"), QStringLiteral("minProperties"),
        QStringLiteral("maxProperties")
    };
    return kept;
}

bool formatKept(const QString &type, const QString &format)
{
    if (type == u"string")
        return format == u"enum" || format == u"date-time";
    if (type == u"number" || type == u"integer")
        return format == u"float" || format == u"double" || format == u"int32"
            || format == u"int64";
    return false;
}

class Cleaner
{
public:
    explicit Cleaner(const QJsonObject &root)
    {
        m_defs = root.value(u"$defs").toObject();
        const QJsonObject definitions = root.value(u"definitions").toObject();
        for (auto it = definitions.begin(); it != definitions.end(); ++it)
            m_defs.insert(it.key(), it.value());
    }

    QJsonObject clean(QJsonObject schema, int depth)
    {
        const QString ref = schema.value(u"$ref").toString();
        if (!ref.isEmpty()) {
            const QString name = ref.section(u'/', -1);
            if (depth >= kMaxRefDepth || ++m_expansions > kMaxRefExpansions
                || !m_defs.contains(name))
                return { { QStringLiteral("type"), QStringLiteral("object") } };
            QJsonObject target = m_defs.value(name).toObject();
            if (schema.contains(u"description"))
                target.insert(QStringLiteral("description"), schema.value(u"description"));
            return clean(target, depth + 1);
        }
        const QJsonArray allOf = schema.value(u"allOf").toArray();
        for (const QJsonValue &part : allOf) {
            const QJsonObject cleaned = clean(part.toObject(), depth);
            for (auto it = cleaned.begin(); it != cleaned.end(); ++it) {
                if (it.key() == u"properties") {
                    QJsonObject merged = schema.value(u"properties").toObject();
                    const QJsonObject more = it.value().toObject();
                    for (auto p = more.begin(); p != more.end(); ++p)
                        merged.insert(p.key(), p.value());
                    schema.insert(QStringLiteral("properties"), merged);
                } else if (it.key() == u"required") {
                    QJsonArray merged = schema.value(u"required").toArray();
                    for (const QJsonValue &name : it.value().toArray())
                        merged.append(name);
                    schema.insert(QStringLiteral("required"), merged);
                } else if (!schema.contains(it.key())) {
                    schema.insert(it.key(), it.value());
                }
            }
        }
        if (schema.contains(u"oneOf") && !schema.contains(u"anyOf"))
            schema.insert(QStringLiteral("anyOf"), schema.value(u"oneOf"));
        if (schema.contains(u"const"))
            schema.insert(QStringLiteral("enum"), QJsonArray { schema.value(u"const") });

        QJsonObject out;
        const QJsonValue type = schema.value(u"type");
        QString typeName = type.toString();
        if (type.isArray()) {
            for (const QJsonValue &t : type.toArray()) {
                if (t.toString() == u"null")
                    out.insert(QStringLiteral("nullable"), true);
                else if (typeName.isEmpty())
                    typeName = t.toString();
            }
        }
        for (auto it = schema.begin(); it != schema.end(); ++it) {
            const QString key = it.key();
            if (!keptKeywords().contains(key) || key == u"type")
                continue;
            if (key == u"properties") {
                QJsonObject properties;
                const QJsonObject in = it.value().toObject();
                for (auto p = in.begin(); p != in.end(); ++p)
                    properties.insert(p.key(), clean(p.value().toObject(), depth));
                if (!properties.isEmpty())
                    out.insert(key, properties);
            } else if (key == u"items") {
                const QJsonValue items = it.value();
                out.insert(
                    key,
                    clean(items.isArray() ? items.toArray().at(0).toObject() : items.toObject(),
                          depth));
            } else if (key == u"anyOf") {
                QJsonArray options;
                for (const QJsonValue &option : it.value().toArray())
                    options.append(clean(option.toObject(), depth));
                out.insert(key, options);
            } else if (key == u"enum") {
                // Gemini's enums are lists of strings.
                QJsonArray values;
                for (const QJsonValue &v : it.value().toArray()) {
                    if (v.isString())
                        values.append(v);
                }
                if (!values.isEmpty() && values.size() == it.value().toArray().size())
                    out.insert(key, values);
            } else if (key == u"format") {
                if (formatKept(typeName, it.value().toString()))
                    out.insert(key, it.value());
            } else {
                out.insert(key, it.value());
            }
        }
        if (typeName.isEmpty() && out.contains(u"enum"))
            typeName = QStringLiteral("string"); // Gemini wants a type; its enums are strings
        if (!typeName.isEmpty())
            out.insert(QStringLiteral("type"), typeName);
        if (out.contains(u"required")) {
            const QJsonObject properties = out.value(u"properties").toObject();
            QJsonArray required;
            for (const QJsonValue &name : out.value(u"required").toArray()) {
                if (properties.contains(name.toString()) && !required.contains(name))
                    required.append(name);
            }
            if (required.isEmpty())
                out.remove(QStringLiteral("required"));
            else
                out.insert(QStringLiteral("required"), required);
        }
        return out;
    }

private:
    QJsonObject m_defs;
    int m_expansions = 0;
};

} // namespace

QJsonObject GeminiSchema::clean(const QJsonObject &schema)
{
    return Cleaner(schema).clean(schema, 0);
}

} // namespace relay
