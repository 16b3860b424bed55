#pragma once

#include "SecretBackend.h"

#include <memory>

namespace QKeychain {
class Job;
}

namespace relay {

// Secrets in the OS keychain through QtKeychain: Windows Credential Manager, macOS Keychain,
// the Secret Service on Linux. Entries are named "llm-relay/<instance>/<ref>" because the
// Windows Credential Manager ignores the service name; the instance id keeps two
// configurations (or two test relays) from sharing entries.
class KeychainBackend final : public SecretBackend
{
    Q_OBJECT
public:
    // Credential Manager blobs hold 2,560 bytes; UTF-16 halves that, and a margin stays.
    static constexpr int kMaxSecretChars = 1024;

    explicit KeychainBackend(QString instanceId, QObject *parent = nullptr);

    QString description() const override;
    void probe() override;
    void read(const QStringList &refs) override;
    void write(const QHash<QString, QString> &secrets) override;
    void remove(const QStringList &refs) override;

    QString entryName(const QString &ref) const;

private:
    struct Batch;
    void startJob(QKeychain::Job *job, const std::shared_ptr<Batch> &batch);
    void finishStarting(const std::shared_ptr<Batch> &batch);

    QString m_instanceId;
};

} // namespace relay
