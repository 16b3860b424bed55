#include "KeyFileBackend.h"

#include "config/PrivateFolder.h"

#include <QFile>
#include <QFileInfo>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSaveFile>

namespace relay {

namespace {
constexpr auto kOthersMayRead = QFileDevice::ReadGroup | QFileDevice::WriteGroup
    | QFileDevice::ReadOther | QFileDevice::WriteOther;
}

KeyFileBackend::KeyFileBackend(QString path, QObject *parent)
    : SecretBackend(parent)
    , m_path(std::move(path))
{ }

QString KeyFileBackend::description() const
{
    return QStringLiteral("the key file %1 (readable by you only)").arg(m_path);
}

template<typename Emit> void KeyFileBackend::answerLater(Emit emitter)
{
    // The same contract as the keychain: answers come from the event loop.
    QMetaObject::invokeMethod(this, std::move(emitter), Qt::QueuedConnection);
}

QHash<QString, QString> KeyFileBackend::load(QString *error) const
{
    QHash<QString, QString> all;
    QFile file(m_path);
    if (!file.exists())
        return all;
#ifndef Q_OS_WIN // Windows reports ACLs, not modes; the file sits in the user's own profile
    if (file.permissions() & kOthersMayRead) {
        *error = QStringLiteral("the key file %1 can be read by other users; restrict it with: "
                                "chmod 600 %1")
                     .arg(m_path);
        return all;
    }
#endif
    if (!file.open(QIODevice::ReadOnly)) {
        *error = QStringLiteral("cannot read the key file %1: %2").arg(m_path, file.errorString());
        return all;
    }
    QJsonParseError parseError {};
    const QJsonDocument doc = QJsonDocument::fromJson(file.readAll(), &parseError);
    if (!doc.isObject()) {
        *error = QStringLiteral("the key file %1 is not a JSON object (%2); fix it or move it "
                                "away to start with an empty one")
                     .arg(m_path, parseError.errorString());
        return all;
    }
    const QJsonObject o = doc.object();
    for (auto it = o.begin(); it != o.end(); ++it)
        all.insert(it.key(), it.value().toString());
    return all;
}

QString KeyFileBackend::save(const QHash<QString, QString> &all) const
{
    QJsonObject o;
    for (auto it = all.cbegin(); it != all.cend(); ++it)
        o.insert(it.key(), it.value());
    QString error;
    if (!PrivateFolder::ensure(QFileInfo(m_path).absolutePath(), &error))
        return error;
    QSaveFile file(m_path);
    if (!file.open(QIODevice::WriteOnly))
        return QStringLiteral("cannot write the key file %1: %2").arg(m_path, file.errorString());
    file.setPermissions(QFileDevice::ReadOwner | QFileDevice::WriteOwner);
    const QByteArray data = QJsonDocument(o).toJson();
    if (file.write(data) != data.size() || !file.commit())
        return QStringLiteral("cannot write the key file %1: %2").arg(m_path, file.errorString());
    return {};
}

void KeyFileBackend::probe()
{
    QString error;
    const QHash<QString, QString> all = load(&error);
    if (error.isEmpty() && !QFileInfo::exists(m_path))
        error = save(all); // creates it owner-only, proving the folder is writable
    answerLater([this, error] { Q_EMIT probed(error); });
}

void KeyFileBackend::read(const QStringList &refs)
{
    QString error;
    const QHash<QString, QString> all = load(&error);
    QHash<QString, QString> found;
    for (const QString &ref : refs) {
        if (all.contains(ref))
            found.insert(ref, all.value(ref));
    }
    answerLater([this, found, error] { Q_EMIT readDone(found, error); });
}

void KeyFileBackend::write(const QHash<QString, QString> &secrets)
{
    QString error;
    QHash<QString, QString> all = load(&error);
    if (error.isEmpty()) {
        all.insert(secrets);
        error = save(all);
    }
    answerLater([this, error] { Q_EMIT written(error); });
}

void KeyFileBackend::remove(const QStringList &refs)
{
    QString error;
    QHash<QString, QString> all = load(&error);
    if (error.isEmpty()) {
        for (const QString &ref : refs)
            all.remove(ref);
        error = save(all);
    }
    answerLater([this, error] { Q_EMIT removed(error); });
}

} // namespace relay
