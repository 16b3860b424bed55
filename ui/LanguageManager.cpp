#include "LanguageManager.h"

#include <QCoreApplication>
#include <QLibraryInfo>
#include <QLocale>
#include <QSettings>
#include <QStandardPaths>

namespace relay {

namespace {
constexpr auto kSettingsKey = "ui/language";

// Beside config.json, in the folder the relay already uses (no organisation folder).
QSettings uiSettings()
{
    return QSettings(QStandardPaths::writableLocation(QStandardPaths::AppConfigLocation)
                         + QStringLiteral("/ui.ini"),
                     QSettings::IniFormat);
}
} // namespace

LanguageManager::LanguageManager(QObject *parent)
    : QObject(parent)
{ }

LanguageManager::~LanguageManager()
{
    removeTranslators();
}

QStringList LanguageManager::available()
{
    return { QStringLiteral("en"), QStringLiteral("zh_CN") };
}

QString LanguageManager::displayName(const QString &code)
{
    // Each language in its own words, so a user can find theirs whatever is shown now.
    return code == u"zh_CN" ? QStringLiteral("简体中文") : QStringLiteral("English");
}

QString LanguageManager::preferred() const
{
    const QString saved = uiSettings().value(QLatin1String(kSettingsKey)).toString();
    if (available().contains(saved))
        return saved;
    return QLocale::system().language() == QLocale::Chinese ? QStringLiteral("zh_CN")
                                                            : QStringLiteral("en");
}

void LanguageManager::removeTranslators()
{
    if (!m_installed)
        return;
    QCoreApplication::removeTranslator(&m_app);
    QCoreApplication::removeTranslator(&m_qt);
    m_installed = false;
}

void LanguageManager::apply(const QString &code, bool remember)
{
    const QString chosen = available().contains(code) ? code : QStringLiteral("en");
    m_current = chosen; // before the LanguageChange events: windows ask for it while retranslating
    removeTranslators();
    if (chosen != u"en") {
        // The app's strings are embedded; Qt's own come from its translations folder
        // (beside the program on Windows, the system's on Linux).
        const bool app = m_app.load(QStringLiteral(":/i18n/llm-relay_") + chosen);
        const bool qt = m_qt.load(QStringLiteral("qtbase_") + chosen,
                                  QLibraryInfo::path(QLibraryInfo::TranslationsPath))
            || m_qt.load(QStringLiteral("qtbase_") + chosen,
                         QCoreApplication::applicationDirPath() + QStringLiteral("/translations"));
        if (app)
            QCoreApplication::installTranslator(&m_app);
        if (qt)
            QCoreApplication::installTranslator(&m_qt);
        m_installed = app || qt;
    }
    if (remember)
        uiSettings().setValue(QLatin1String(kSettingsKey), chosen);
    Q_EMIT changed(chosen);
}

} // namespace relay
