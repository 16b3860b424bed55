#include "StoreSchema.h"

#include <QSqlError>
#include <QSqlQuery>
#include <QStringList>

namespace relay {

namespace {
// Index i holds the statements that take version i to version i + 1. Append; never edit.
const QList<QStringList> &migrations()
{
    static const QList<QStringList> all {
        {
            QStringLiteral("CREATE TABLE requests (id INTEGER PRIMARY KEY AUTOINCREMENT, "
                           "started_ms INTEGER NOT NULL, client_format TEXT, method TEXT, "
                           "path TEXT, model TEXT, upstream TEXT, key_label TEXT, status INTEGER, "
                           "attempts INTEGER, latency_ms INTEGER, ttfb_ms INTEGER, "
                           "tokens_in INTEGER, tokens_out INTEGER, stream INTEGER, error TEXT)"),
            QStringLiteral("CREATE INDEX requests_started ON requests(started_ms)"),
            QStringLiteral("CREATE TABLE usage_daily (day TEXT NOT NULL, key_ref TEXT NOT NULL, "
                           "model TEXT NOT NULL, requests INTEGER NOT NULL, "
                           "tokens_in INTEGER NOT NULL, tokens_out INTEGER NOT NULL, "
                           "PRIMARY KEY (day, key_ref, model)) WITHOUT ROWID"),
            QStringLiteral("CREATE TABLE usage_minute (minute_ms INTEGER NOT NULL, "
                           "key_ref TEXT NOT NULL, attempts INTEGER NOT NULL, "
                           "tokens INTEGER NOT NULL, last_ms INTEGER NOT NULL, "
                           "PRIMARY KEY (minute_ms, key_ref)) WITHOUT ROWID"),
        },
        {
            // store.captureBodies
            QStringLiteral("ALTER TABLE requests ADD COLUMN request_body BLOB"),
            QStringLiteral("ALTER TABLE requests ADD COLUMN response_body BLOB"),
        },
    };
    return all;
}
} // namespace

int StoreSchema::latestVersion()
{
    return static_cast<int>(migrations().size());
}

bool StoreSchema::migrate(QSqlDatabase &db, QString *error)
{
    QSqlQuery q(db);
    if (!q.exec(QStringLiteral("PRAGMA user_version")) || !q.next()) {
        *error = q.lastError().text();
        return false;
    }
    const int version = q.value(0).toInt();
    if (version > latestVersion()) {
        *error = QStringLiteral("the database is at schema version %1, written by a newer LLM "
                                "Relay (this one knows up to %2); update LLM Relay")
                     .arg(version)
                     .arg(latestVersion());
        return false;
    }
    for (int v = version; v < latestVersion(); ++v) {
        db.transaction();
        for (const QString &statement : migrations().at(v)) {
            if (!q.exec(statement)) {
                *error = QStringLiteral("migrating the database to version %1 failed: %2")
                             .arg(v + 1)
                             .arg(q.lastError().text());
                db.rollback();
                return false;
            }
        }
        q.exec(QStringLiteral("PRAGMA user_version = %1").arg(v + 1));
        if (!db.commit()) {
            *error = db.lastError().text();
            return false;
        }
    }
    return true;
}

} // namespace relay
