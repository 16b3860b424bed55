#pragma once

#include "ConfigProblem.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QMap>
#include <QSet>
#include <QStringList>

namespace relay {

// Reads typed fields from one JSON object, recording each problem with its JSON path
// (upstreams[1].baseUrl) and leaving the caller's default when a field is absent or bad.
class JsonFieldReader
{
public:
    JsonFieldReader(QJsonObject object, QString path, ConfigProblems *problems,
                    bool isObject = true);

    bool isObject() const { return m_isObject; }
    void string(const QString &name, QString &out, bool required = false);
    void integer(const QString &name, int &out, int min, int max);
    void boolean(const QString &name, bool &out);
    void stringList(const QString &name, QStringList &out);
    void stringMap(const QString &name, QMap<QString, QString> &out);
    JsonFieldReader object(const QString &name);
    QJsonArray array(const QString &name);
    JsonFieldReader element(const QString &arrayName, qsizetype index);

    void error(const QString &name, const QString &code, const QStringList &args = {});
    // Unknown fields are reported: a typo ("baseURL") must not silently become a default.
    void rejectUnknown();

private:
    QJsonValue take(const QString &name);
    QString pathOf(const QString &name) const;

    QJsonObject m_object;
    QString m_path;
    ConfigProblems *m_problems;
    bool m_isObject;
    QSet<QString> m_known;
};

} // namespace relay
