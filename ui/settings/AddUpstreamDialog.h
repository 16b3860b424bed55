#pragma once

#include "ProblemLabel.h"
#include "service/ConfigEdit.h"
#include "types/KeyProbeResult.h"

#include <QDialog>
#include <QJsonObject>

class QComboBox;
class QDialogButtonBox;
class QLabel;
class QLineEdit;
class QPlainTextEdit;
class QPushButton;
class QTableWidget;

namespace relay {

class RelayHost;
class LanguageManager;
struct ProviderPreset;

// Adds an upstream: choose a preset (it fills the base URL, type and models), paste one key
// per line, test them, save. As the first-run wizard it greets the user first. The keys go to
// the relay (and from there to the keychain) and are cleared from the dialog once saved.
class AddUpstreamDialog final : public QDialog
{
    Q_OBJECT
public:
    AddUpstreamDialog(RelayHost &host, const LanguageManager &languages, bool firstRun,
                      QWidget *parent = nullptr);

    // One secret per line; blanks and repeats dropped.
    static QStringList parseKeys(const QString &text);
    // The upstream as the config writes it, with "key" fields for the secrets.
    QJsonObject upstreamJson(bool withSecrets) const;

    // For tests: the widgets a user types into.
    QComboBox *presetBox() const { return m_preset; }
    QLineEdit *baseUrlEdit() const { return m_baseUrl; }
    QPlainTextEdit *keysEdit() const { return m_keys; }
    QPushButton *testButton() const { return m_test; }
    QTableWidget *resultsTable() const { return m_results; }
    QLabel *baseUrlProblem() const { return m_baseUrlProblem; }
    QLabel *messageLabel() const { return m_message; }

Q_SIGNALS:
    void saved(const QString &upstreamId);

protected:
    void changeEvent(QEvent *event) override;
    void accept() override;

private:
    void retranslate();
    void presetChosen();
    const ProviderPreset *currentPreset() const;
    void showKeyLink();
    void validate();
    void testKeys();
    QString uniqueId() const;
    void onProbed(int row, const KeyProbeResult &result);
    void onSaved(const QString &upstreamId, const ConfigEditResult &result);

    RelayHost &m_host;
    const LanguageManager &m_languages;
    bool m_firstRun;
    QLabel *m_welcome;
    QLabel *m_presetLabel;
    QComboBox *m_preset;
    QLabel *m_nameLabel;
    QLineEdit *m_name;
    QLabel *m_baseUrlLabel;
    QLineEdit *m_baseUrl;
    ProblemLabel *m_baseUrlProblem;
    QLabel *m_typeLabel;
    QComboBox *m_type;
    QLabel *m_keysLabel;
    QPlainTextEdit *m_keys;
    QLabel *m_keyLink;
    QPushButton *m_test;
    QTableWidget *m_results;
    ProblemLabel *m_message;
    QDialogButtonBox *m_buttons;
    int m_pendingProbes = 0;
};

} // namespace relay
