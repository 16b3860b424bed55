#pragma once

#include "types/RelaySnapshot.h"

#include <QTimer>
#include <QWidget>

class QLabel;
class QPushButton;
class QTableView;

namespace relay {

class ActivityChart;
class KeyTableModel;
class RelayHost;

// What the relay is doing: state, endpoint and access key, today's figures, every key's
// health and the last hour's chart, all from the snapshots RelayHost delivers.
class StatusPage final : public QWidget
{
    Q_OBJECT
public:
    explicit StatusPage(RelayHost &host, QWidget *parent = nullptr);

    void setSnapshot(const RelaySnapshot &snapshot);
    QString endpoint() const;

Q_SIGNALS:
    void copied(const QString &what);

protected:
    void changeEvent(QEvent *event) override;
    void showEvent(QShowEvent *event) override;
    void hideEvent(QHideEvent *event) override;

private:
    void retranslate();
    void copyAccessKey();

    RelayHost &m_host;
    RelaySnapshot m_snapshot;
    QLabel *m_stateTitle;
    QLabel *m_state;
    QLabel *m_reason;
    QLabel *m_endpointTitle;
    QLabel *m_endpoint;
    QLabel *m_keyTitle;
    QLabel *m_key;
    QPushButton *m_copyEndpoint;
    QPushButton *m_copyKey;
    QPushButton *m_pause;
    QPushButton *m_freePort;
    QLabel *m_todayTitle;
    QLabel *m_requests;
    QLabel *m_success;
    QLabel *m_tokens;
    QLabel *m_inflight;
    QLabel *m_keysTitle;
    QLabel *m_chartTitle;
    KeyTableModel *m_keys;
    QTableView *m_table;
    ActivityChart *m_chart;
    QTimer m_countdown; // only while a cooldown is shown
};

} // namespace relay
