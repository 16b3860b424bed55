#include "StoreWriter.h"

#include "StoreSchema.h"
#include "config/PrivateFolder.h"

#include <QDateTime>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QUuid>

namespace relay {

namespace {
constexpr qint64 kMinuteMs = 60 * 1000;
constexpr qint64 kDayMs = 24 * 60 * kMinuteMs;

qint64 minuteOf(qint64 ms)
{
    return ms - ms % kMinuteMs;
}

QString dayOf(qint64 ms)
{
    return QDateTime::fromMSecsSinceEpoch(ms).toUTC().toString(QStringLiteral("yyyy-MM-dd"));
}
} // namespace

StoreWriter::StoreWriter(QString path, int requestLogLimit)
    : m_path(std::move(path))
    , m_connection(QStringLiteral("relay-store-") + QUuid::createUuid().toString(QUuid::Id128))
    , m_logLimit(requestLogLimit)
{ }

StoreWriter::~StoreWriter()
{
    {
        QSqlDatabase db = QSqlDatabase::database(m_connection, false);
        if (db.isOpen())
            db.close();
    }
    QSqlDatabase::removeDatabase(m_connection);
}

bool StoreWriter::exec(const QString &sql, QString *error)
{
    QSqlQuery q(QSqlDatabase::database(m_connection));
    if (q.exec(sql))
        return true;
    *error = q.lastError().text();
    return false;
}

bool StoreWriter::openFile(QString *error)
{
    if (!PrivateFolder::ensure(QFileInfo(m_path).absolutePath(), error))
        return false;
    QSqlDatabase db = QSqlDatabase::contains(m_connection)
        ? QSqlDatabase::database(m_connection, false)
        : QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), m_connection);
    db.setDatabaseName(m_path);
    if (!db.open()) {
        *error = db.lastError().text();
        return false;
    }
    QFile::setPermissions(m_path, QFileDevice::ReadOwner | QFileDevice::WriteOwner);
    // WAL: readers never wait for the writer, and a killed process loses at most the
    // transaction it was in. NORMAL sync is safe against process crashes in WAL mode.
    return exec(QStringLiteral("PRAGMA journal_mode=WAL"), error)
        && exec(QStringLiteral("PRAGMA synchronous=NORMAL"), error)
        && exec(QStringLiteral("PRAGMA busy_timeout=5000"), error)
        && StoreSchema::migrate(db, error);
}

void StoreWriter::open()
{
    QString error;
    QString notice;
    if (!openFile(&error)) {
        if (!error.contains(QStringLiteral("not a database"))
            && !error.contains(QStringLiteral("malformed"))) {
            Q_EMIT opened({}, {},
                          QStringLiteral("cannot open the database %1: %2").arg(m_path, error));
            return;
        }
        // A damaged file is kept for the user and a fresh one started; usage history is lost,
        // routing is not.
        QSqlDatabase::database(m_connection, false).close();
        const QString aside = m_path + QStringLiteral(".damaged-")
            + QDateTime::currentDateTime().toString(QStringLiteral("yyyyMMdd-HHmmss"));
        QFile::rename(m_path, aside);
        QFile::remove(m_path + QStringLiteral("-wal"));
        QFile::remove(m_path + QStringLiteral("-shm"));
        notice = QStringLiteral("The database %1 was damaged (%2); it was set aside as %3 and a "
                                "new one started.")
                     .arg(m_path, error, aside);
        error.clear();
        if (!openFile(&error)) {
            Q_EMIT opened({}, notice,
                          QStringLiteral("cannot open the database %1: %2").arg(m_path, error));
            return;
        }
    }
    m_ready = true;
    QList<MinuteUsage> lastDay;
    QSqlQuery q(QSqlDatabase::database(m_connection));
    q.prepare(QStringLiteral("SELECT key_ref, last_ms, attempts, tokens FROM usage_minute "
                             "WHERE minute_ms >= ? ORDER BY last_ms"));
    q.addBindValue(minuteOf(QDateTime::currentMSecsSinceEpoch() - kDayMs));
    if (q.exec()) {
        while (q.next())
            lastDay.append({ q.value(0).toString(), q.value(1).toLongLong(), q.value(2).toInt(),
                             q.value(3).toLongLong() });
    }
    Q_EMIT opened(lastDay, notice, {});
}

void StoreWriter::write(const QList<RequestRecord> &batch)
{
    if (!m_ready || batch.isEmpty())
        return;
    QSqlDatabase db = QSqlDatabase::database(m_connection);
    db.transaction();
    QSqlQuery log(db);
    log.prepare(QStringLiteral(
        "INSERT INTO requests (started_ms, client_format, method, path, model, upstream, "
        "key_label, status, attempts, latency_ms, ttfb_ms, tokens_in, tokens_out, stream, error, "
        "request_body, response_body) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"));
    // Usage is summed per batch first: one upsert per key and minute (and per day, key and
    // model) instead of one per request.
    struct Minute
    {
        int attempts = 0;
        qint64 tokens = 0;
        qint64 lastMs = 0;
    };
    struct Daily
    {
        int requests = 0;
        qint64 tokensIn = 0;
        qint64 tokensOut = 0;
    };
    QHash<QPair<qint64, QString>, Minute> minutes;
    QHash<QStringList, Daily> days;
    auto addMinute = [&minutes](qint64 at, const QString &ref, int attempts, qint64 tokens) {
        Minute &m = minutes[{ minuteOf(at), ref }];
        m.attempts += attempts;
        m.tokens += tokens;
        m.lastMs = std::max(m.lastMs, at);
    };
    for (const RequestRecord &r : batch) {
        int column = 0;
        for (const QVariant &v :
             { QVariant(r.startedMs), QVariant(r.clientFormat),
               QVariant(QString::fromLatin1(r.method)), QVariant(r.path), QVariant(r.model),
               QVariant(r.upstream), QVariant(r.keyLabel), QVariant(r.status), QVariant(r.attempts),
               QVariant(r.latencyMs), QVariant(r.firstByteMs), QVariant(r.tokensIn),
               QVariant(r.tokensOut), QVariant(r.stream ? 1 : 0), QVariant(r.error.left(500)),
               r.requestBody.isEmpty() ? QVariant() : QVariant(r.requestBody),
               r.responseBody.isEmpty() ? QVariant() : QVariant(r.responseBody) })
            log.bindValue(column++, v);
        log.exec();
        for (const QString &ref : r.attemptRefs)
            addMinute(r.startedMs, ref, 1, 0);
        if (r.keyRef.isEmpty())
            continue;
        if (r.tokensIn + r.tokensOut > 0)
            addMinute(r.startedMs + r.latencyMs, r.keyRef, 0, r.tokensIn + r.tokensOut);
        Daily &d = days[{ dayOf(r.startedMs), r.keyRef, r.model }];
        ++d.requests;
        d.tokensIn += r.tokensIn;
        d.tokensOut += r.tokensOut;
    }
    QSqlQuery upsert(db);
    upsert.prepare(QStringLiteral(
        "INSERT INTO usage_minute (minute_ms, key_ref, attempts, tokens, last_ms) "
        "VALUES (?, ?, ?, ?, ?) ON CONFLICT (minute_ms, key_ref) DO UPDATE SET "
        "attempts = attempts + excluded.attempts, tokens = tokens + excluded.tokens, "
        "last_ms = max(last_ms, excluded.last_ms)"));
    for (auto it = minutes.cbegin(); it != minutes.cend(); ++it) {
        upsert.bindValue(0, it.key().first);
        upsert.bindValue(1, it.key().second);
        upsert.bindValue(2, it->attempts);
        upsert.bindValue(3, it->tokens);
        upsert.bindValue(4, it->lastMs);
        upsert.exec();
    }
    upsert.prepare(QStringLiteral(
        "INSERT INTO usage_daily (day, key_ref, model, requests, tokens_in, tokens_out) "
        "VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (day, key_ref, model) DO UPDATE SET "
        "requests = requests + excluded.requests, tokens_in = tokens_in + excluded.tokens_in, "
        "tokens_out = tokens_out + excluded.tokens_out"));
    for (auto it = days.cbegin(); it != days.cend(); ++it) {
        for (int i = 0; i < 3; ++i)
            upsert.bindValue(i, it.key().at(i));
        upsert.bindValue(3, it->requests);
        upsert.bindValue(4, it->tokensIn);
        upsert.bindValue(5, it->tokensOut);
        upsert.exec();
    }
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    QSqlQuery prune(db);
    prune.prepare(
        QStringLiteral("DELETE FROM requests WHERE id <= (SELECT max(id) FROM requests) - ?"));
    prune.addBindValue(m_logLimit);
    prune.exec();
    prune.prepare(QStringLiteral("DELETE FROM usage_daily WHERE day < ?"));
    prune.addBindValue(dayOf(now - kUsageDays * kDayMs));
    prune.exec();
    prune.prepare(QStringLiteral("DELETE FROM usage_minute WHERE minute_ms < ?"));
    prune.addBindValue(minuteOf(now - kDayMs));
    prune.exec();
    if (!db.commit())
        Q_EMIT failed(QStringLiteral("writing to the database %1 failed: %2")
                          .arg(m_path, db.lastError().text()));
}

QJsonObject StoreWriter::readLog(const LogQuery &query)
{
    if (!m_ready)
        return { { QStringLiteral("error"), QStringLiteral("the database is not open") } };
    QString where = QStringLiteral(" WHERE 1");
    QVariantList binds;
    if (query.status) {
        where += QStringLiteral(" AND status = ?");
        binds.append(query.status);
    }
    if (!query.model.isEmpty()) {
        where += QStringLiteral(" AND model = ?");
        binds.append(query.model);
    }
    if (!query.upstream.isEmpty()) {
        where += QStringLiteral(" AND upstream = ?");
        binds.append(query.upstream);
    }
    QSqlQuery q(QSqlDatabase::database(m_connection));
    q.prepare(QStringLiteral("SELECT count(*) FROM requests") + where);
    for (int i = 0; i < binds.size(); ++i)
        q.bindValue(i, binds.at(i));
    const qint64 total = q.exec() && q.next() ? q.value(0).toLongLong() : 0;
    q.prepare(QStringLiteral("SELECT started_ms, client_format, method, path, model, upstream, "
                             "key_label, status, attempts, latency_ms, ttfb_ms, tokens_in, "
                             "tokens_out, stream, error, request_body, response_body FROM requests")
              + where + QStringLiteral(" ORDER BY id DESC LIMIT ? OFFSET ?"));
    binds << query.limit << query.offset;
    for (int i = 0; i < binds.size(); ++i)
        q.bindValue(i, binds.at(i));
    static const char *const kNames[]
        = { "time",     "clientFormat", "method",    "path",     "model",
            "upstream", "key",          "status",    "attempts", "latencyMs",
            "ttfbMs",   "tokensIn",     "tokensOut", "stream",   "error" };
    QJsonArray entries;
    if (q.exec()) {
        while (q.next()) {
            QJsonObject e;
            for (int i = 0; i < 15; ++i)
                e.insert(QLatin1String(kNames[i]), QJsonValue::fromVariant(q.value(i)));
            e.insert(QStringLiteral("time"),
                     QDateTime::fromMSecsSinceEpoch(q.value(0).toLongLong())
                         .toUTC()
                         .toString(Qt::ISODateWithMs));
            e.insert(QStringLiteral("stream"), q.value(13).toInt() != 0);
            if (!q.isNull(15))
                e.insert(QStringLiteral("requestBody"),
                         QString::fromUtf8(q.value(15).toByteArray()));
            if (!q.isNull(16))
                e.insert(QStringLiteral("responseBody"),
                         QString::fromUtf8(q.value(16).toByteArray()));
            entries.append(e);
        }
    }
    return { { QStringLiteral("total"), total },
             { QStringLiteral("offset"), query.offset },
             { QStringLiteral("entries"), entries } };
}

QJsonObject StoreWriter::readUsage(int days)
{
    if (!m_ready)
        return { { QStringLiteral("error"), QStringLiteral("the database is not open") } };
    QSqlQuery q(QSqlDatabase::database(m_connection));
    q.prepare(QStringLiteral("SELECT day, key_ref, model, requests, tokens_in, tokens_out FROM "
                             "usage_daily WHERE day >= ? ORDER BY day DESC, key_ref, model"));
    q.bindValue(0, dayOf(QDateTime::currentMSecsSinceEpoch() - (days - 1) * kDayMs));
    QJsonArray rows;
    qint64 requests = 0;
    qint64 tokensIn = 0;
    qint64 tokensOut = 0;
    if (q.exec()) {
        while (q.next()) {
            rows.append(QJsonObject { { QStringLiteral("day"), q.value(0).toString() },
                                      { QStringLiteral("key"), q.value(1).toString() },
                                      { QStringLiteral("model"), q.value(2).toString() },
                                      { QStringLiteral("requests"), q.value(3).toLongLong() },
                                      { QStringLiteral("tokensIn"), q.value(4).toLongLong() },
                                      { QStringLiteral("tokensOut"), q.value(5).toLongLong() } });
            requests += q.value(3).toLongLong();
            tokensIn += q.value(4).toLongLong();
            tokensOut += q.value(5).toLongLong();
        }
    }
    // The per-minute series of the last 24 hours, for live charts.
    QJsonArray minutes;
    q.prepare(QStringLiteral("SELECT minute_ms, sum(attempts), sum(tokens) FROM usage_minute "
                             "WHERE minute_ms >= ? GROUP BY minute_ms ORDER BY minute_ms"));
    q.bindValue(0, minuteOf(QDateTime::currentMSecsSinceEpoch() - kDayMs));
    if (q.exec()) {
        while (q.next())
            minutes.append(QJsonObject { { QStringLiteral("minute"),
                                           QDateTime::fromMSecsSinceEpoch(q.value(0).toLongLong())
                                               .toUTC()
                                               .toString(Qt::ISODate) },
                                         { QStringLiteral("attempts"), q.value(1).toLongLong() },
                                         { QStringLiteral("tokens"), q.value(2).toLongLong() } });
    }
    return { { QStringLiteral("days"), days },
             { QStringLiteral("usage"), rows },
             { QStringLiteral("minutes"), minutes },
             { QStringLiteral("total"),
               QJsonObject { { QStringLiteral("requests"), requests },
                             { QStringLiteral("tokensIn"), tokensIn },
                             { QStringLiteral("tokensOut"), tokensOut } } } };
}

QJsonObject StoreWriter::readRecent(qint64 sinceMs, qint64 hourStartMs)
{
    if (!m_ready)
        return { { QStringLiteral("error"), QStringLiteral("the database is not open") } };
    QSqlQuery q(QSqlDatabase::database(m_connection));
    // A success is an answer below 400 that did not break off (those carry an error).
    q.prepare(QStringLiteral("SELECT count(*), coalesce(sum(status < 400 AND coalesce(error, '') "
                             "= ''), 0), coalesce(sum(tokens_in), 0), coalesce(sum(tokens_out), "
                             "0) FROM requests WHERE started_ms >= ?"));
    q.bindValue(0, sinceMs);
    QJsonObject out;
    if (q.exec() && q.next())
        out = { { QStringLiteral("requests"), q.value(0).toLongLong() },
                { QStringLiteral("successes"), q.value(1).toLongLong() },
                { QStringLiteral("tokensIn"), q.value(2).toLongLong() },
                { QStringLiteral("tokensOut"), q.value(3).toLongLong() } };
    q.prepare(QStringLiteral(
        "SELECT started_ms / 60000 * 60000 AS m, count(*), coalesce(sum(status >= 400 OR "
        "coalesce(error, '') <> ''), 0), coalesce(sum(latency_ms), 0), "
        "coalesce(sum(tokens_in + tokens_out), 0) FROM requests WHERE started_ms >= ? "
        "GROUP BY m ORDER BY m"));
    q.bindValue(0, hourStartMs);
    QJsonArray minutes;
    if (q.exec()) {
        while (q.next())
            minutes.append(
                QJsonObject { { QStringLiteral("minuteMs"), q.value(0).toLongLong() },
                              { QStringLiteral("requests"), q.value(1).toLongLong() },
                              { QStringLiteral("failures"), q.value(2).toLongLong() },
                              { QStringLiteral("latencySumMs"), q.value(3).toLongLong() },
                              { QStringLiteral("tokens"), q.value(4).toLongLong() } });
    }
    out.insert(QStringLiteral("minutes"), minutes);
    return out;
}

} // namespace relay
