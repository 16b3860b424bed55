#pragma once

#include <QDialog>
#include <QJsonObject>

class QCheckBox;
class QDialogButtonBox;
class QLabel;
class QListWidget;
class QPushButton;
class QTableWidget;

namespace relay {

class RelayHost;

// The models of one upstream: fetch the provider's list with a saved key, choose which the
// upstream serves (or every model), and map client model names to the upstream's. Saved as one
// change of the upstream's "models" and "modelMap".
class ModelsDialog final : public QDialog
{
    Q_OBJECT
public:
    ModelsDialog(RelayHost &host, const QJsonObject &upstream, QWidget *parent = nullptr);

    QListWidget *modelList() const { return m_models; }
    QCheckBox *everyModelBox() const { return m_every; }
    QPushButton *fetchButton() const { return m_fetch; }
    QTableWidget *mapTable() const { return m_map; }
    QLabel *messageLabel() const { return m_message; }
    // What would be saved: {"models": [...], "modelMap": {...}}.
    QJsonObject change() const;

Q_SIGNALS:
    void saved();

protected:
    void accept() override;
    void changeEvent(QEvent *event) override;

private:
    void retranslate();
    void addModels(const QStringList &names, const QStringList &checked);
    void fetch();

    RelayHost &m_host;
    QJsonObject m_upstream;
    QLabel *m_intro;
    QCheckBox *m_every;
    QListWidget *m_models;
    QPushButton *m_fetch;
    QLabel *m_mapLabel;
    QTableWidget *m_map;
    QPushButton *m_addMapping;
    QPushButton *m_removeMapping;
    QLabel *m_message;
    QDialogButtonBox *m_buttons;
};

} // namespace relay
