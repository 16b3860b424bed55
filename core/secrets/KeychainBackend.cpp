#include "KeychainBackend.h"

#include <qt6keychain/keychain.h>

#include <QDateTime>

#include <functional>
#include <memory>

namespace relay {

namespace {
const QString kService = QStringLiteral("llm-relay");

QString jobError(const QKeychain::Job *job)
{
    QString why = job->errorString();
    switch (job->error()) {
    case QKeychain::AccessDeniedByUser:
    case QKeychain::AccessDenied:
        why += QStringLiteral(" (the keychain is locked or refused access; unlock it and start "
                              "again)");
        break;
    case QKeychain::NoBackendAvailable:
    case QKeychain::NotImplemented:
        why += QStringLiteral(" (no keychain service is running)");
        break;
    default:
        break;
    }
    return why;
}
} // namespace

// Jobs of one batch run side by side; the last one to finish reports for all of them.
struct KeychainBackend::Batch
{
    int pending = 0;
    QString error;
    QHash<QString, QString> found;
    std::function<void(Batch &)> done;
};

KeychainBackend::KeychainBackend(QString instanceId, QObject *parent)
    : SecretBackend(parent)
    , m_instanceId(std::move(instanceId))
{ }

QString KeychainBackend::description() const
{
#if defined(Q_OS_WIN)
    return QStringLiteral("the Windows Credential Manager");
#elif defined(Q_OS_MACOS)
    return QStringLiteral("the macOS Keychain");
#else
    return QStringLiteral("the OS keychain (Secret Service)");
#endif
}

QString KeychainBackend::entryName(const QString &ref) const
{
    return kService + u'/' + m_instanceId + u'/' + ref;
}

void KeychainBackend::startJob(QKeychain::Job *job, const std::shared_ptr<Batch> &batch)
{
    job->setAutoDelete(true);
    connect(job, &QKeychain::Job::finished, this, [batch](QKeychain::Job *finished) {
        const bool notFound = finished->error() == QKeychain::EntryNotFound;
        if (finished->error() != QKeychain::NoError && !notFound && batch->error.isEmpty())
            batch->error = jobError(finished);
        if (auto *reader = qobject_cast<QKeychain::ReadPasswordJob *>(finished);
            reader && !finished->error())
            batch->found.insert(reader->property("relayRef").toString(), reader->textData());
        if (--batch->pending == 0)
            batch->done(*batch);
    });
    ++batch->pending;
    job->start();
}

void KeychainBackend::finishStarting(const std::shared_ptr<Batch> &batch)
{
    // Answers always arrive from the event loop, even for an empty batch.
    if (--batch->pending == 0)
        QMetaObject::invokeMethod(
            this, [batch] { batch->done(*batch); }, Qt::QueuedConnection);
}

void KeychainBackend::probe()
{
    // A locked Secret Service collection answers reads with "not found" and refuses writes, so
    // only a write read back proves the keychain usable.
    const QString ref = QStringLiteral("probe");
    const QString value
        = QStringLiteral("probe-") + QString::number(QDateTime::currentMSecsSinceEpoch());
    auto written = std::make_shared<Batch>();
    written->done = [this, ref, value](Batch &w) {
        if (!w.error.isEmpty()) {
            Q_EMIT probed(w.error);
            return;
        }
        auto readBack = std::make_shared<Batch>();
        readBack->done = [this, ref, value](Batch &r) {
            if (r.error.isEmpty() && r.found.value(ref) != value)
                r.error = QStringLiteral("a test entry written to the keychain could not be read "
                                         "back");
            auto *del = new QKeychain::DeletePasswordJob(kService);
            del->setKey(entryName(ref));
            del->setAutoDelete(true);
            del->start();
            Q_EMIT probed(r.error);
        };
        auto *job = new QKeychain::ReadPasswordJob(kService);
        job->setKey(entryName(ref));
        job->setProperty("relayRef", ref);
        startJob(job, readBack);
    };
    auto *job = new QKeychain::WritePasswordJob(kService);
    job->setKey(entryName(ref));
    job->setTextData(value);
    startJob(job, written);
}

void KeychainBackend::read(const QStringList &refs)
{
    auto batch = std::make_shared<Batch>();
    batch->done = [this](Batch &b) { Q_EMIT readDone(b.found, b.error); };
    ++batch->pending; // held until every job has started, so none can finish the batch early
    for (const QString &ref : refs) {
        auto *job = new QKeychain::ReadPasswordJob(kService);
        job->setKey(entryName(ref));
        job->setProperty("relayRef", ref);
        startJob(job, batch);
    }
    finishStarting(batch);
}

void KeychainBackend::write(const QHash<QString, QString> &secrets)
{
    auto batch = std::make_shared<Batch>();
    batch->done = [this](Batch &b) { Q_EMIT written(b.error); };
    ++batch->pending;
    for (auto it = secrets.cbegin(); it != secrets.cend(); ++it) {
        if (it.value().size() > kMaxSecretChars) {
            batch->error = QStringLiteral("the secret for %1 is longer than %2 characters, more "
                                          "than a keychain entry holds everywhere")
                               .arg(it.key())
                               .arg(kMaxSecretChars);
            continue;
        }
        auto *job = new QKeychain::WritePasswordJob(kService);
        job->setKey(entryName(it.key()));
        job->setTextData(it.value());
        startJob(job, batch);
    }
    finishStarting(batch);
}

void KeychainBackend::remove(const QStringList &refs)
{
    auto batch = std::make_shared<Batch>();
    batch->done = [this](Batch &b) { Q_EMIT removed(b.error); };
    ++batch->pending;
    for (const QString &ref : refs) {
        auto *job = new QKeychain::DeletePasswordJob(kService);
        job->setKey(entryName(ref));
        startJob(job, batch);
    }
    finishStarting(batch);
}

} // namespace relay
