#include "ConfigFile.h"

#include "PrivateFolder.h"

#include <QDateTime>
#include <QFile>
#include <QFileInfo>
#include <QFileSystemWatcher>
#include <QJsonDocument>
#include <QLoggingCategory>
#include <QSaveFile>
#include <QStandardPaths>
#include <QThread>

Q_LOGGING_CATEGORY(lcConfig, "relay.config")

namespace relay {

namespace {
constexpr auto kOwnerOnly = QFileDevice::ReadOwner | QFileDevice::WriteOwner;

QByteArray readAll(const QString &path, bool *ok)
{
    QFile f(path);
    *ok = f.open(QIODevice::ReadOnly);
    return *ok ? f.readAll() : QByteArray();
}

// Backups never keep plain secrets: those are moved into the keychain, and a copy left in the
// backup would outlive the move.
QByteArray backupOf(const QByteArray &content, const ParsedConfig &parsed)
{
    return parsed.secrets.isEmpty() ? content
                                    : QJsonDocument(ConfigParser::toJson(parsed.config)).toJson();
}
} // namespace

ConfigFile::ConfigFile(QString path, QObject *parent)
    : QObject(parent)
    , m_path(std::move(path))
{
    // Editors save in several steps; wait for the last one.
    m_debounce.setSingleShot(true);
    m_debounce.setInterval(150);
    connect(&m_debounce, &QTimer::timeout, this, [this] {
        const ConfigProblems problems = reload();
        if (!problems.isEmpty())
            Q_EMIT reloadFailed(problems);
    });
}

QString ConfigFile::defaultPath()
{
    return QStandardPaths::writableLocation(QStandardPaths::AppConfigLocation)
        + QStringLiteral("/config.json");
}

bool ConfigFile::writeAtomically(const QString &path, const QByteArray &data, QString *error)
{
    QString folderError;
    if (!PrivateFolder::ensure(QFileInfo(path).absolutePath(), &folderError)) {
        *error = QStringLiteral("cannot write %1: %2").arg(path, folderError);
        return false;
    }
    // On Windows the final rename fails while any other program (an editor, a virus scanner, a
    // backup tool, the window reading the file) has it open, usually for a few milliseconds;
    // seen under Wine as a lost settings change. A short bounded retry rides that out (at most
    // 100 ms, and only then: the relay thread waits meanwhile); a file held longer is reported,
    // with what to do. Elsewhere a failure is not transient: it is reported at once.
#ifdef Q_OS_WIN
    constexpr int kAttempts = 5;
#else
    constexpr int kAttempts = 1;
#endif
    for (int attempt = 1;; ++attempt) {
        QSaveFile file(path);
        if (!file.open(QIODevice::WriteOnly)) {
            *error = QStringLiteral("cannot write %1: %2").arg(path, file.errorString());
            return false;
        }
        file.setPermissions(kOwnerOnly);
        if (file.write(data) == data.size() && file.commit())
            return true;
        const bool held = file.error() == QFileDevice::RenameError;
        if (!held || attempt == kAttempts) {
            *error = QStringLiteral("cannot write %1: %2").arg(path, file.errorString());
            if (held)
                *error += QStringLiteral(" (if another program has it open, close that "
                                         "program and try again)");
            return false;
        }
        QThread::msleep(10 * attempt);
    }
}

ConfigFile::LoadResult ConfigFile::load()
{
    LoadResult result;
    bool ok = false;
    const QByteArray content = readAll(m_path, &ok);
    if (!ok) {
        if (!QFileInfo::exists(m_path)) {
            result.missing = true;
            return result;
        }
        result.parsed.problems.append(
            { QStringLiteral("file"), QStringLiteral("unreadable"), { m_path } });
        return result;
    }
    result.parsed = ConfigParser::parse(content);
    if (result.parsed.ok()) {
        m_lastContent = content;
        QString ignored;
        writeAtomically(backupPath(), backupOf(content, result.parsed), &ignored);
        return result;
    }

    // Unusable file: keep it for the user, fall back to the last good one.
    result.originalErrors = result.parsed.errors();
    bool backupOk = false;
    const QByteArray backup = readAll(backupPath(), &backupOk);
    const ParsedConfig fromBackup = backupOk ? ConfigParser::parse(backup) : ParsedConfig();
    if (!backupOk || !fromBackup.ok())
        return result; // nothing better: the caller reports the errors and stops
    result.setAsidePath = m_path + QStringLiteral(".invalid-")
        + QDateTime::currentDateTime().toString(QStringLiteral("yyyyMMdd-HHmmss"));
    QFile::rename(m_path, result.setAsidePath);
    QString error;
    if (!writeAtomically(m_path, backup, &error))
        qCWarning(lcConfig).noquote() << error;
    result.parsed = fromBackup;
    result.recovered = true;
    m_lastContent = backup;
    return result;
}

bool ConfigFile::save(const RelayConfig &config, QString *error)
{
    const QByteArray data = QJsonDocument(ConfigParser::toJson(config)).toJson();
    bool ok = false;
    const QByteArray current = readAll(m_path, &ok);
    const ParsedConfig currentParsed = ok ? ConfigParser::parse(current) : ParsedConfig();
    if (ok && currentParsed.ok()
        && !writeAtomically(backupPath(), backupOf(current, currentParsed), error))
        return false;
    if (!writeAtomically(m_path, data, error))
        return false;
    m_lastContent = data;
    return true;
}

ConfigProblems ConfigFile::reload()
{
    bool ok = false;
    const QByteArray content = readAll(m_path, &ok);
    if (!ok)
        return { { QStringLiteral("file"), QStringLiteral("unreadable"), { m_path } } };
    const ParsedConfig parsed = ConfigParser::parse(content);
    if (!parsed.ok())
        return parsed.problems;
    if (content != m_lastContent) {
        QString ignored;
        writeAtomically(backupPath(), backupOf(content, parsed), &ignored);
    }
    m_lastContent = content;
    Q_EMIT changed(parsed);
    return {};
}

void ConfigFile::startWatching()
{
    if (m_watcher)
        return;
    m_watcher = new QFileSystemWatcher(this);
    // Watch the folder too: editors that save by rename replace the file we were watching.
    m_watcher->addPath(QFileInfo(m_path).absolutePath());
    if (QFileInfo::exists(m_path))
        m_watcher->addPath(m_path);
    connect(m_watcher, &QFileSystemWatcher::fileChanged, this, &ConfigFile::onFileEvent);
    connect(m_watcher, &QFileSystemWatcher::directoryChanged, this, &ConfigFile::onFileEvent);
}

void ConfigFile::onFileEvent()
{
    if (QFileInfo::exists(m_path) && !m_watcher->files().contains(m_path))
        m_watcher->addPath(m_path);
    bool ok = false;
    const QByteArray content = readAll(m_path, &ok);
    if (ok && content != m_lastContent)
        m_debounce.start();
}

} // namespace relay
