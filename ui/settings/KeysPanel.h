#pragma once

#include <QJsonObject>
#include <QWidget>

class QLabel;
class QPlainTextEdit;
class QPushButton;
class QTableWidget;

namespace relay {

class RelayHost;
struct ConfigEditResult;

// The keys of one upstream: enable or disable, label, weight and limits edited in place (each
// change saved at once), many keys pasted at once, every key tested, a key removed. Only the
// last 4 characters of a key are ever shown; pasted keys are cleared once the relay has them.
class KeysPanel final : public QWidget
{
    Q_OBJECT
public:
    enum Column { Enabled, Key, Label, Weight, Rpm, Rpd, Tpm, Test, Count };

    explicit KeysPanel(RelayHost &host, QWidget *parent = nullptr);

    void setUpstream(const QJsonObject &upstream);
    QTableWidget *table() const { return m_table; }
    QPlainTextEdit *pasteBox() const { return m_paste; }
    QPushButton *addButton() const { return m_add; }
    QPushButton *testAllButton() const { return m_testAll; }
    QLabel *messageLabel() const { return m_message; }

protected:
    void changeEvent(QEvent *event) override;

private:
    void retranslate();
    void patchKey(int row, const QJsonObject &patch);
    void addPasted();
    void testAll();
    void showResult(const ConfigEditResult &result);
    QString keyIdAt(int row) const;

    RelayHost &m_host;
    QJsonObject m_upstream;
    QLabel *m_title;
    QTableWidget *m_table;
    QPlainTextEdit *m_paste;
    QPushButton *m_add;
    QPushButton *m_testAll;
    QPushButton *m_remove;
    QLabel *m_message;
    bool m_filling = false;
};

} // namespace relay
