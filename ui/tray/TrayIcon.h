#pragma once

#include "types/RelaySnapshot.h"

#include <QObject>
#include <QSystemTrayIcon>

class QAction;
class QMenu;

namespace relay {

class LanguageManager;
class RelayHost;

// The tray icon: the relay's state at a glance (healthy, degraded, down, paused), a tooltip
// with the endpoint and today's figures, the menu the users asked for, and notifications for
// what needs them.
class TrayIcon final : public QObject
{
    Q_OBJECT
public:
    TrayIcon(RelayHost &host, LanguageManager &languages, QObject *parent = nullptr);
    ~TrayIcon() override;

    static QIcon iconFor(RelayState state);
    QSystemTrayIcon &icon() { return *m_icon; }
    QMenu *menu() const { return m_menu; }
    QAction *pauseAction() const { return m_pause; }
    QString endpoint() const;

Q_SIGNALS:
    void openRequested();
    void settingsRequested();
    void quitRequested();

private:
    void setSnapshot(const RelaySnapshot &snapshot);
    void retranslate();
    void notify(const QString &title, const QString &text, bool offerFreePort = false);

    RelayHost &m_host;
    LanguageManager &m_languages;
    QSystemTrayIcon *m_icon;
    QMenu *m_menu;
    QMenu *m_languageMenu;
    QAction *m_pause;
    QAction *m_open;
    QAction *m_settings;
    QAction *m_copyEndpoint;
    QAction *m_copyKey;
    QAction *m_autoStart;
    QAction *m_quit;
    RelaySnapshot m_snapshot;
    bool m_offerFreePort = false;
};

} // namespace relay
