#include "RequestStore.h"

#include "StoreWriter.h"

namespace relay {

RequestStore::RequestStore(QObject *parent)
    : QObject(parent)
{
    qRegisterMetaType<QList<MinuteUsage>>();
    m_thread.setObjectName(QStringLiteral("relay-store"));
    m_flush.setInterval(kFlushMs);
    m_flush.setSingleShot(true);
    connect(&m_flush, &QTimer::timeout, this, &RequestStore::flush);
}

RequestStore::~RequestStore()
{
    if (m_writer) {
        // Blocking, so that every batch queued before is written and the file closed.
        const QList<RequestRecord> last = std::exchange(m_pending, {});
        QMetaObject::invokeMethod(
            m_writer,
            [writer = m_writer, last] {
                writer->write(last);
                delete writer;
            },
            Qt::BlockingQueuedConnection);
    }
    m_thread.quit();
    m_thread.wait();
}

void RequestStore::open(const QString &path, int requestLogLimit)
{
    if (m_writer)
        return;
    m_path = path;
    m_writer = new StoreWriter(path, requestLogLimit);
    m_writer->moveToThread(&m_thread);
    connect(m_writer, &StoreWriter::opened, this, &RequestStore::opened);
    connect(m_writer, &StoreWriter::failed, this, &RequestStore::failed);
    m_thread.start();
    QMetaObject::invokeMethod(m_writer, &StoreWriter::open);
}

void RequestStore::setRequestLogLimit(int limit)
{
    if (m_writer)
        QMetaObject::invokeMethod(
            m_writer, [writer = m_writer, limit] { writer->setRequestLogLimit(limit); });
}

void RequestStore::record(const RequestRecord &record)
{
    if (!m_writer)
        return;
    m_pending.append(record);
    if (!m_flush.isActive())
        m_flush.start();
}

void RequestStore::read(std::function<QJsonObject(StoreWriter &)> work,
                        std::function<void(const QJsonObject &)> done)
{
    if (!m_writer) {
        done({ { QStringLiteral("error"), QStringLiteral("no database (quick-start mode)") } });
        return;
    }
    flush(); // what has finished is included
    QMetaObject::invokeMethod(
        m_writer,
        [this, writer = m_writer, work = std::move(work), done = std::move(done)]() mutable {
            const QJsonObject result = work(*writer);
            QMetaObject::invokeMethod(this, [done = std::move(done), result] { done(result); });
        });
}

void RequestStore::flush()
{
    if (m_pending.isEmpty() || !m_writer)
        return;
    QMetaObject::invokeMethod(
        m_writer, [writer = m_writer, batch = std::move(m_pending)] { writer->write(batch); });
    m_pending.clear();
}

} // namespace relay
