#pragma once

#include "service/ConfigEdit.h"

#include <QDialog>
#include <QHash>
#include <QJsonObject>

class QComboBox;
class QDialogButtonBox;
class QFormLayout;
class QLabel;
class QLineEdit;
class QPushButton;
class QSpinBox;
class QTableWidget;

namespace relay {

class ProblemLabel;
class RelayHost;

// Every field of an upstream that is not a key or a model: name, API format, base URL,
// priority tier, weight, proxy, timeouts, daily reset and extra headers. Checked as typed where
// the window can tell, saved as one merge patch of what changed (a hand edit of the file
// meanwhile is kept), and what the relay refuses is shown next to its field.
class EditUpstreamDialog final : public QDialog
{
    Q_OBJECT
public:
    EditUpstreamDialog(RelayHost &host, const QJsonObject &upstream, QWidget *parent = nullptr);

    // What would be sent: the merge patch from the upstream as opened to the fields' values.
    QJsonObject patch() const;

    // For tests: the fields a user changes, and where their problems show.
    QLineEdit *nameEdit() const { return m_name; }
    QLineEdit *baseUrlEdit() const { return m_baseUrl; }
    QSpinBox *priorityBox() const { return m_priority; }
    QComboBox *proxyBox() const { return m_proxy; }
    QLineEdit *proxyUrlEdit() const { return m_proxyUrl; }
    QSpinBox *connectBox() const { return m_connect; }
    QLineEdit *dailyResetEdit() const { return m_dailyReset; }
    QTableWidget *headersTable() const { return m_headers; }
    QPushButton *saveButton() const;
    // The problem label of a field by its path in the upstream ("baseUrl", "timeouts.idleMs").
    ProblemLabel *problemFor(const QString &field) const { return m_problems.value(field); }
    ProblemLabel *messageLabel() const { return m_message; }

Q_SIGNALS:
    void saved();

protected:
    void accept() override;
    void reject() override;
    void changeEvent(QEvent *event) override;

private:
    void retranslate();
    void validate();
    void addRow(const QString &field, QWidget *widget);
    void addHeader(const QString &name, const QString &value);
    void onSaved(const ConfigEditResult &result);
    void showRelayProblems();

    RelayHost &m_host;
    QJsonObject m_upstream;
    QFormLayout *m_form;
    QLineEdit *m_name;
    QComboBox *m_type;
    QLineEdit *m_baseUrl;
    QSpinBox *m_priority;
    QSpinBox *m_weight;
    QComboBox *m_proxy;
    QLineEdit *m_proxyUrl;
    QSpinBox *m_connect;
    QSpinBox *m_firstByte;
    QSpinBox *m_idle;
    QLineEdit *m_dailyReset;
    QTableWidget *m_headers;
    QPushButton *m_addHeader;
    QPushButton *m_removeHeader;
    ProblemLabel *m_message;
    QDialogButtonBox *m_buttons;
    bool m_saving = false;
    ConfigEditResult m_refused; // what the relay said of the last save, shown until the next
    QHash<QString, ProblemLabel *> m_problems; // field path in the upstream -> its label
    QHash<QString, QLabel *> m_rowLabels; // field path -> the label before it
};

} // namespace relay
