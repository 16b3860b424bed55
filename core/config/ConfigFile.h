#pragma once

#include "ConfigParser.h"

#include <QObject>
#include <QTimer>

class QFileSystemWatcher;

namespace relay {

// The configuration file on disk: loading with recovery, atomic saving with a backup of the
// last good file, and live reload when the file changes.
class ConfigFile final : public QObject
{
    Q_OBJECT
public:
    struct LoadResult
    {
        ParsedConfig parsed;
        bool missing = false; // no file yet (first start)
        bool recovered = false; // the file was unusable; the backup was restored
        QString setAsidePath; // where the unusable file was moved
        QStringList originalErrors; // what was wrong with it
    };

    explicit ConfigFile(QString path, QObject *parent = nullptr);

    static QString defaultPath();
    QString path() const { return m_path; }
    QString backupPath() const { return m_path + QStringLiteral(".bak"); }

    // For start-up: a corrupt or invalid file is set aside and the backup used if it is good.
    LoadResult load();
    // Writes atomically (temporary file + rename), owner-only, after keeping the current good
    // file as the backup.
    bool save(const RelayConfig &config, QString *error);
    // Re-reads the file; on success emits changed(), on failure keeps nothing and returns errors.
    ConfigProblems reload();
    void startWatching();

Q_SIGNALS:
    void changed(const relay::ParsedConfig &parsed);
    void reloadFailed(const relay::ConfigProblems &problems);

private:
    static bool writeAtomically(const QString &path, const QByteArray &data, QString *error);
    void onFileEvent();

    QString m_path;
    QByteArray m_lastContent;
    QFileSystemWatcher *m_watcher = nullptr;
    QTimer m_debounce;
};

} // namespace relay
