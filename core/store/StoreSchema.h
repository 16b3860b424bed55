#pragma once

#include <QSqlDatabase>
#include <QString>

namespace relay {

// The database's tables, versioned in PRAGMA user_version: each migration takes the schema one
// version up inside a transaction, so a database is always at a version this code knows.
class StoreSchema
{
public:
    static int latestVersion();
    // Brings db to the latest version. On failure *error says what is wrong.
    static bool migrate(QSqlDatabase &db, QString *error);
};

} // namespace relay
