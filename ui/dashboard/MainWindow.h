#pragma once

#include <QMainWindow>

class QListWidget;
class QStackedWidget;

namespace relay {

class ConnectPage;
class LanguageManager;
class RelayHost;
class RequestsPage;
class SettingsPage;
class StatusPage;
class UpstreamsPage;

// The main window: Status, Requests, Upstreams and Connect a client, picked from a sidebar.
// Closing it keeps the relay running in the tray.
class MainWindow final : public QMainWindow
{
    Q_OBJECT
public:
    enum Page { Status, Requests, Upstreams, Connect, Settings, PageCount };

    MainWindow(RelayHost &host, LanguageManager &languages, QWidget *parent = nullptr);

    void showPage(Page page);
    // The first-run wizard: add an upstream, then show how to connect a client.
    void runFirstStart();
    void openAddUpstream(bool firstRun);
    // With no tray to go back to, closing the window quits.
    void setQuitOnClose(bool quit) { m_quitOnClose = quit; }

    StatusPage *statusPage() const { return m_status; }
    RequestsPage *requestsPage() const { return m_requests; }
    UpstreamsPage *upstreamsPage() const { return m_upstreams; }
    ConnectPage *connectPage() const { return m_connect; }
    SettingsPage *settingsPage() const { return m_settings; }

Q_SIGNALS:
    void quitRequested();

protected:
    void closeEvent(QCloseEvent *event) override;
    void changeEvent(QEvent *event) override;

private:
    void retranslate();

    RelayHost &m_host;
    LanguageManager &m_languages;
    QListWidget *m_sidebar;
    QStackedWidget *m_pages;
    StatusPage *m_status;
    RequestsPage *m_requests;
    UpstreamsPage *m_upstreams;
    ConnectPage *m_connect;
    SettingsPage *m_settings;
    bool m_quitOnClose = false;
};

} // namespace relay
