#pragma once

#include <QHash>
#include <QObject>
#include <QStringList>

namespace relay {

// Where secrets rest between runs (the OS keychain, or a key file the user opted into).
// Every operation is asynchronous and batched: the relay reads all it needs at start and on
// configuration changes, and never on the request path.
class SecretBackend : public QObject
{
    Q_OBJECT
public:
    using QObject::QObject;

    // What the user is told the secrets are kept in, e.g. "the OS keychain (Secret Service)".
    virtual QString description() const = 0;
    // Checks that secrets can be written and read back; answers with probed().
    virtual void probe() = 0;
    // Answers with read(): the refs found (missing ones are simply absent).
    virtual void read(const QStringList &refs) = 0;
    // Answers with written().
    virtual void write(const QHash<QString, QString> &secrets) = 0;
    // Answers with removed(); refs that do not exist are not an error.
    virtual void remove(const QStringList &refs) = 0;

Q_SIGNALS:
    // Each carries an empty error on success, otherwise what failed and what to do.
    void probed(const QString &error);
    void readDone(const QHash<QString, QString> &found, const QString &error);
    void written(const QString &error);
    void removed(const QString &error);
};

} // namespace relay
