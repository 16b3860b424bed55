#pragma once

#include "types/RequestRecord.h"

#include <QWidget>

class QComboBox;
class QLabel;
class QLineEdit;
class QSortFilterProxyModel;
class QTableView;
class QTextBrowser;

namespace relay {

class RequestTableModel;

// The newest requests as they finish, with filters and the details of the one selected.
class RequestsPage final : public QWidget
{
    Q_OBJECT
public:
    explicit RequestsPage(QWidget *parent = nullptr);

    void add(const QList<RequestRecord> &records);
    int visibleRows() const;

protected:
    void changeEvent(QEvent *event) override;

private:
    void retranslate();
    void applyFilter();
    void showDetails();

    RequestTableModel *m_model;
    QSortFilterProxyModel *m_proxy;
    QComboBox *m_status;
    QLineEdit *m_modelFilter;
    QLineEdit *m_upstreamFilter;
    QComboBox *m_format;
    QLabel *m_filterLabel;
    QTableView *m_table;
    QTextBrowser *m_details;
};

} // namespace relay
