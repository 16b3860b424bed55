#pragma once

#include "SecretBackend.h"

namespace relay {

// Secrets in a JSON file readable by its owner only, for machines without a keychain. The
// user opts into it with --key-file; the relay refuses a file that others can read.
class KeyFileBackend final : public SecretBackend
{
    Q_OBJECT
public:
    explicit KeyFileBackend(QString path, QObject *parent = nullptr);

    QString description() const override;
    void probe() override;
    void read(const QStringList &refs) override;
    void write(const QHash<QString, QString> &secrets) override;
    void remove(const QStringList &refs) override;

private:
    // The file's contents; a missing file is empty. On failure *error says what to do.
    QHash<QString, QString> load(QString *error) const;
    QString save(const QHash<QString, QString> &all) const;
    template<typename Emit> void answerLater(Emit emitter);

    QString m_path;
};

} // namespace relay
