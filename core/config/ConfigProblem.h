#pragma once

#include <QJsonArray>
#include <QJsonObject>
#include <QList>
#include <QMetaType>
#include <QString>
#include <QStringList>

namespace relay {

// One problem with a configuration: where (a JSON path such as "upstreams[0].baseUrl", or
// "file"), what (a stable code) and the values the explanation needs. The core renders it in
// English (message()) for the command line, logs and the admin API; the GUI translates the code.
struct ConfigProblem
{
    QString path;
    QString code;
    QStringList args;

    // "path: explanation; what to do".
    QString message() const;
    // The explanation alone, in English.
    QString explanation() const;
    // {"path", "code", "args", "message"}
    QJsonObject toJson() const;

    static QStringList messages(const QList<ConfigProblem> &problems);
    static QJsonArray toJson(const QList<ConfigProblem> &problems);
    bool operator==(const ConfigProblem &other) const
    {
        return path == other.path && code == other.code && args == other.args;
    }
};

using ConfigProblems = QList<ConfigProblem>;

} // namespace relay

Q_DECLARE_METATYPE(relay::ConfigProblem)
