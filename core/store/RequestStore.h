#pragma once

#include "MinuteUsage.h"
#include "types/RequestRecord.h"

#include <QJsonObject>
#include <QObject>
#include <QThread>
#include <QTimer>
#include <functional>

namespace relay {

class StoreWriter;

// The request log and usage history in SQLite. Finished requests are collected on the relay
// thread and handed to the store's own thread in batches every kFlushMs, so a killed process
// loses at most the last fraction of a second and no request waits on the disk.
class RequestStore final : public QObject
{
    Q_OBJECT
public:
    static constexpr int kFlushMs = 250;

    explicit RequestStore(QObject *parent = nullptr);
    ~RequestStore() override; // hands over what is pending and waits for it to be written
    Q_DISABLE_COPY_MOVE(RequestStore)

    // Answers with opened().
    void open(const QString &path, int requestLogLimit);
    void setRequestLogLimit(int limit);
    void record(const RequestRecord &record);
    QString path() const { return m_path; }
    // Runs a read on the store's thread; done gets the answer back on this one.
    void read(std::function<QJsonObject(StoreWriter &)> work,
              std::function<void(const QJsonObject &)> done);

Q_SIGNALS:
    void opened(const QList<relay::MinuteUsage> &lastDay, const QString &notice,
                const QString &error);
    void failed(const QString &error);

private:
    void flush();

    QThread m_thread;
    StoreWriter *m_writer = nullptr;
    QList<RequestRecord> m_pending;
    QTimer m_flush;
    QString m_path;
};

} // namespace relay
