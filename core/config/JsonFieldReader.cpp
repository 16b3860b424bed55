#include "JsonFieldReader.h"

#include <utility>

namespace relay {

JsonFieldReader::JsonFieldReader(QJsonObject object, QString path, ConfigProblems *problems,
                                 bool isObject)
    : m_object(std::move(object))
    , m_path(std::move(path))
    , m_problems(problems)
    , m_isObject(isObject)
{ }

QString JsonFieldReader::pathOf(const QString &name) const
{
    return m_path.isEmpty() ? name : m_path + u'.' + name;
}

void JsonFieldReader::error(const QString &name, const QString &code, const QStringList &args)
{
    m_problems->append({ pathOf(name), code, args });
}

QJsonValue JsonFieldReader::take(const QString &name)
{
    m_known.insert(name);
    return m_object.value(name);
}

void JsonFieldReader::string(const QString &name, QString &out, bool required)
{
    const QJsonValue v = take(name);
    if (v.isUndefined() || v.isNull()) {
        if (required)
            error(name, QStringLiteral("required"));
        return;
    }
    if (!v.isString()) {
        error(name, QStringLiteral("not_string"));
        return;
    }
    out = v.toString().trimmed();
    if (required && out.isEmpty())
        error(name, QStringLiteral("empty"));
}

void JsonFieldReader::integer(const QString &name, int &out, int min, int max)
{
    const QJsonValue v = take(name);
    if (v.isUndefined() || v.isNull())
        return;
    const double d = v.toDouble();
    if (!v.isDouble() || d != static_cast<double>(static_cast<qint64>(d))) {
        error(name, QStringLiteral("not_integer"));
        return;
    }
    if (d < min || d > max) {
        error(name, QStringLiteral("out_of_range"), { QString::number(min), QString::number(max) });
        return;
    }
    out = static_cast<int>(d);
}

void JsonFieldReader::boolean(const QString &name, bool &out)
{
    const QJsonValue v = take(name);
    if (v.isUndefined() || v.isNull())
        return;
    if (!v.isBool()) {
        error(name, QStringLiteral("not_boolean"));
        return;
    }
    out = v.toBool();
}

void JsonFieldReader::stringList(const QString &name, QStringList &out)
{
    const QJsonValue v = take(name);
    if (v.isUndefined() || v.isNull())
        return;
    if (!v.isArray()) {
        error(name, QStringLiteral("not_string_list"));
        return;
    }
    const QJsonArray a = v.toArray();
    for (qsizetype i = 0; i < a.size(); ++i) {
        if (!a.at(i).isString() || a.at(i).toString().trimmed().isEmpty()) {
            error(name + u'[' + QString::number(i) + u']', QStringLiteral("empty_string"));
            continue;
        }
        out.append(a.at(i).toString().trimmed());
    }
}

void JsonFieldReader::stringMap(const QString &name, QMap<QString, QString> &out)
{
    const QJsonValue v = take(name);
    if (v.isUndefined() || v.isNull())
        return;
    if (!v.isObject()) {
        error(name, QStringLiteral("not_string_map"));
        return;
    }
    const QJsonObject o = v.toObject();
    for (auto it = o.begin(); it != o.end(); ++it) {
        if (!it.value().isString() || it.value().toString().trimmed().isEmpty()) {
            error(name + u'.' + it.key(), QStringLiteral("empty_string"));
            continue;
        }
        out.insert(it.key(), it.value().toString().trimmed());
    }
}

JsonFieldReader JsonFieldReader::object(const QString &name)
{
    const QJsonValue v = take(name);
    if (!v.isUndefined() && !v.isNull() && !v.isObject()) {
        error(name, QStringLiteral("not_object"));
        return JsonFieldReader({}, pathOf(name), m_problems, false);
    }
    return JsonFieldReader(v.toObject(), pathOf(name), m_problems);
}

QJsonArray JsonFieldReader::array(const QString &name)
{
    const QJsonValue v = take(name);
    if (!v.isUndefined() && !v.isNull() && !v.isArray()) {
        error(name, QStringLiteral("not_array"));
        return {};
    }
    return v.toArray();
}

JsonFieldReader JsonFieldReader::element(const QString &arrayName, qsizetype index)
{
    const QString path = pathOf(arrayName) + u'[' + QString::number(index) + u']';
    const QJsonValue v = m_object.value(arrayName).toArray().at(index);
    if (!v.isObject()) {
        m_problems->append({ path, QStringLiteral("not_object"), {} });
        return JsonFieldReader({}, path, m_problems, false);
    }
    return JsonFieldReader(v.toObject(), path, m_problems);
}

void JsonFieldReader::rejectUnknown()
{
    for (auto it = m_object.begin(); it != m_object.end(); ++it) {
        if (m_known.contains(it.key()))
            continue;
        QStringList known(m_known.cbegin(), m_known.cend());
        known.sort();
        error(it.key(), QStringLiteral("unknown_field"), { known.join(u", ") });
    }
}

} // namespace relay
