#pragma once

#include "MinuteUsage.h"
#include "types/RequestRecord.h"

#include <QJsonObject>
#include <QObject>

namespace relay {

// The database side of RequestStore, living in the store's thread: opens (and if need be
// migrates or replaces) the SQLite file, writes batches of finished requests in one
// transaction each, and prunes what has aged out.
class StoreWriter final : public QObject
{
    Q_OBJECT
public:
    static constexpr int kUsageDays = 90;

    StoreWriter(QString path, int requestLogLimit);
    ~StoreWriter() override;
    Q_DISABLE_COPY_MOVE(StoreWriter)

    void open();
    void write(const QList<relay::RequestRecord> &batch);
    void setRequestLogLimit(int limit) { m_logLimit = limit; }

    // Newest first; empty filter values match everything.
    struct LogQuery
    {
        int offset = 0;
        int limit = 50;
        int status = 0;
        QString model;
        QString upstream;
    };
    QJsonObject readLog(const LogQuery &query);
    // Usage per day, key and model over the last `days` UTC days, newest first.
    QJsonObject readUsage(int days);
    // Requests logged since sinceMs ({requests, successes, tokensIn, tokensOut}) and, since
    // hourStartMs, per minute ({minutes: [{minuteMs, requests, failures, latencySumMs,
    // tokens}]}): what the status page shows after a restart.
    QJsonObject readRecent(qint64 sinceMs, qint64 hourStartMs);

Q_SIGNALS:
    // The last 24 hours of per-minute usage, to restore the limit windows; or what went wrong.
    void opened(const QList<relay::MinuteUsage> &lastDay, const QString &notice,
                const QString &error);
    void failed(const QString &error);

private:
    bool openFile(QString *error);
    bool exec(const QString &sql, QString *error);

    QString m_path;
    QString m_connection;
    int m_logLimit;
    bool m_ready = false;
};

} // namespace relay
