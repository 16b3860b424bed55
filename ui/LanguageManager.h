#pragma once

#include <QList>
#include <QObject>
#include <QTranslator>

namespace relay {

// Which language the windows speak: the system's by default, or the user's choice, switched
// at runtime (every window retranslates on QEvent::LanguageChange). Qt's own dialogs follow.
class LanguageManager final : public QObject
{
    Q_OBJECT
public:
    explicit LanguageManager(QObject *parent = nullptr);
    ~LanguageManager() override;

    // "en" or "zh_CN".
    static QStringList available();
    static QString displayName(const QString &code);
    QString current() const { return m_current; }
    // The saved choice, else the system's language if we have it, else English.
    QString preferred() const;
    // Installs the translators and remembers the choice.
    void apply(const QString &code, bool remember = true);

Q_SIGNALS:
    void changed(const QString &code);

private:
    void removeTranslators();

    QTranslator m_app;
    QTranslator m_qt;
    bool m_installed = false;
    QString m_current = QStringLiteral("en");
};

} // namespace relay
