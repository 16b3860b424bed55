#pragma once

#include "service/ConfigEdit.h"

#include <QJsonObject>
#include <QWidget>

class QLabel;
class QPushButton;
class QTableWidget;

namespace relay {

class KeysPanel;
class RelayHost;

// The configured upstreams in priority order: add from a preset, enable or disable, remove,
// move up and down. Every change goes through the relay, which saves it.
class UpstreamsPage final : public QWidget
{
    Q_OBJECT
public:
    UpstreamsPage(RelayHost &host, QWidget *parent = nullptr);

    void setConfig(const QJsonObject &config);
    QTableWidget *table() const { return m_table; }
    KeysPanel *keysPanel() const { return m_keys; }
    // The models dialog of the selected upstream (open, not modal), for tests.
    class ModelsDialog *openModels();
    // The edit dialog of the selected upstream (open, not modal), for tests.
    class EditUpstreamDialog *openEdit();

Q_SIGNALS:
    void addRequested();

protected:
    void changeEvent(QEvent *event) override;

private:
    void retranslate();
    QString selectedId() const;
    QJsonObject selectedUpstream() const;
    void showKeysOfSelected();
    void showResult(const ConfigEditResult &result);

    RelayHost &m_host;
    QJsonObject m_config;
    QTableWidget *m_table;
    QPushButton *m_add;
    QPushButton *m_edit;
    QPushButton *m_remove;
    QPushButton *m_up;
    QPushButton *m_down;
    QPushButton *m_models;
    QLabel *m_message;
    KeysPanel *m_keys;
};

} // namespace relay
