#include "AutoStart.h"

#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QSaveFile>
#include <QSettings>
#include <QStandardPaths>

namespace relay {

namespace {
#ifdef Q_OS_WIN
const QString kRunKey
    = QStringLiteral("HKEY_CURRENT_USER\\Software\\Microsoft\\Windows\\CurrentVersion\\Run");
const QString kValueName = QStringLiteral("LLM Relay");

QString command()
{
    return u'"' + QDir::toNativeSeparators(QCoreApplication::applicationFilePath()) + u'"';
}
#else
QString desktopFile()
{
    return QStandardPaths::writableLocation(QStandardPaths::ConfigLocation)
        + QStringLiteral("/autostart/llm-relay.desktop");
}
#endif
} // namespace

QString AutoStart::location()
{
#ifdef Q_OS_WIN
    return kRunKey + QStringLiteral("\\") + kValueName;
#else
    return desktopFile();
#endif
}

bool AutoStart::isEnabled()
{
#ifdef Q_OS_WIN
    return QSettings(kRunKey, QSettings::NativeFormat).contains(kValueName);
#else
    return QFile::exists(desktopFile());
#endif
}

bool AutoStart::setEnabled(bool enabled, QString *error)
{
#ifdef Q_OS_WIN
    QSettings run(kRunKey, QSettings::NativeFormat);
    if (enabled)
        run.setValue(kValueName, command());
    else
        run.remove(kValueName);
    run.sync();
    if (run.status() != QSettings::NoError) {
        *error = QCoreApplication::translate("AutoStart", "The registry refused the change.");
        return false;
    }
    return isEnabled() == enabled;
#else
    const QString path = desktopFile();
    if (!enabled) {
        if (QFile::exists(path) && !QFile::remove(path)) {
            *error = QCoreApplication::translate("AutoStart", "Cannot remove %1.").arg(path);
            return false;
        }
        return true;
    }
    QDir().mkpath(QFileInfo(path).absolutePath());
    QSaveFile file(path);
    const QByteArray entry = "[Desktop Entry]\nType=Application\nName=LLM Relay\nExec=\""
        + QCoreApplication::applicationFilePath().toUtf8()
        + "\"\nIcon=io.github.llmrelay.LLMRelay\nX-GNOME-Autostart-enabled=true\nTerminal=false\n";
    if (!file.open(QIODevice::WriteOnly) || file.write(entry) != entry.size() || !file.commit()) {
        *error = QCoreApplication::translate("AutoStart", "Cannot write %1: %2")
                     .arg(path, file.errorString());
        return false;
    }
    return true;
#endif
}

} // namespace relay
