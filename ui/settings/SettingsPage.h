#pragma once

#include "service/ConfigEdit.h"

#include <QHash>
#include <QJsonObject>
#include <QList>
#include <QWidget>

class QCheckBox;
class QComboBox;
class QFormLayout;
class QGroupBox;
class QLabel;
class QPushButton;
class QSpinBox;

namespace relay {

class RelayHost;

// Routing, network, security and data settings. Each change is sent to the relay as it is
// made, saved atomically and applied live; a problem is shown under its field and nothing is
// saved. The fields follow the file, so an edit made by hand shows up here.
class SettingsPage final : public QWidget
{
    Q_OBJECT
public:
    explicit SettingsPage(RelayHost &host, QWidget *parent = nullptr);

    void setConfig(const QJsonObject &config);

    // For tests: the fields a user changes, and where their problems show.
    QSpinBox *portBox() const { return m_port; }
    QComboBox *strategyBox() const { return m_strategy; }
    QCheckBox *lanBox() const { return m_lan; }
    QCheckBox *captureBox() const { return m_capture; }
    QLabel *problemFor(const QString &path) const { return m_problems.value(path); }
    QLabel *adminKeyLabel() const { return m_adminKey; }
    QPushButton *adminKeyNewButton() const { return m_adminNew; }
    QPushButton *adminKeyOffButton() const { return m_adminOff; }

Q_SIGNALS:
    void copied(const QString &what);

protected:
    void changeEvent(QEvent *event) override;

private:
    void retranslate();
    // Sends a merge patch of the settings; problems go under their fields.
    void change(const QString &path, const QJsonObject &patch);
    void regenerateAccessKey();
    void newAdminKey();
    void removeAdminKey();
    // The key made, shown once; or why none was.
    void showNewKey(const QString &title, const QString &text, const QString &key,
                    const QString &error);
    void showAdminKeyState();
    QLabel *problemLabel(const QString &path);

    RelayHost &m_host;
    QJsonObject m_config;
    QGroupBox *m_routingGroup;
    QGroupBox *m_networkGroup;
    QGroupBox *m_securityGroup;
    QGroupBox *m_dataGroup;
    QFormLayout *m_routing;
    QFormLayout *m_network;
    QFormLayout *m_security;
    QFormLayout *m_data;
    QComboBox *m_strategy;
    QSpinBox *m_attempts;
    QSpinBox *m_grace;
    QSpinBox *m_port;
    QCheckBox *m_lan;
    QLabel *m_lanWarning;
    QLabel *m_accessKey;
    QPushButton *m_copyKey;
    QPushButton *m_regenerate;
    QLabel *m_adminKey;
    QPushButton *m_adminNew;
    QPushButton *m_adminOff;
    QSpinBox *m_logLimit;
    QCheckBox *m_capture;
    QPushButton *m_openFolder;
    bool m_adminPending = false; // an admin key change is on its way
    QHash<QString, QLabel *> m_problems; // JSON path -> the label under its field
    QList<QLabel *> m_rowLabels;
};

} // namespace relay
