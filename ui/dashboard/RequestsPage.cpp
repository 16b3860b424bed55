#include "RequestsPage.h"

#include "RequestTableModel.h"

#include <QComboBox>
#include <QDateTime>
#include <QEvent>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QSortFilterProxyModel>
#include <QSplitter>
#include <QTableView>
#include <QTextBrowser>
#include <QVBoxLayout>

namespace relay {

namespace {
// Rows matching every filter the user set.
class RequestFilter final : public QSortFilterProxyModel
{
public:
    using QSortFilterProxyModel::QSortFilterProxyModel;
    int status = 0; // 0 all, 1 succeeded, 2 failed
    QString model;
    QString upstream;
    QString format;

    void refresh() { invalidateFilter(); }

protected:
    bool filterAcceptsRow(int row, const QModelIndex &) const override
    {
        const auto *source = static_cast<const RequestTableModel *>(sourceModel());
        const RequestRecord &r = source->record(row);
        if (status == 1 && !r.succeeded())
            return false;
        if (status == 2 && r.succeeded())
            return false;
        return r.model.contains(model, Qt::CaseInsensitive)
            && r.upstream.contains(upstream, Qt::CaseInsensitive)
            && (format.isEmpty() || r.clientFormat == format);
    }
};
} // namespace

RequestsPage::RequestsPage(QWidget *parent)
    : QWidget(parent)
    , m_model(new RequestTableModel(this))
    , m_proxy(new RequestFilter(this))
    , m_status(new QComboBox(this))
    , m_modelFilter(new QLineEdit(this))
    , m_upstreamFilter(new QLineEdit(this))
    , m_format(new QComboBox(this))
    , m_filterLabel(new QLabel(this))
    , m_table(new QTableView(this))
    , m_details(new QTextBrowser(this))
{
    m_proxy->setSourceModel(m_model);
    m_table->setModel(m_proxy);
    m_table->verticalHeader()->hide();
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setSelectionMode(QAbstractItemView::SingleSelection);
    m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_table->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    m_table->horizontalHeader()->setStretchLastSection(true);
    m_format->addItems({ QString(), QStringLiteral("openai"), QStringLiteral("anthropic"),
                         QStringLiteral("gemini") });

    auto *filters = new QHBoxLayout;
    filters->addWidget(m_filterLabel);
    filters->addWidget(m_status);
    filters->addWidget(m_modelFilter);
    filters->addWidget(m_upstreamFilter);
    filters->addWidget(m_format);
    auto *splitter = new QSplitter(Qt::Vertical, this);
    splitter->addWidget(m_table);
    splitter->addWidget(m_details);
    splitter->setStretchFactor(0, 3);
    splitter->setStretchFactor(1, 1);
    auto *layout = new QVBoxLayout(this);
    layout->addLayout(filters);
    layout->addWidget(splitter);

    connect(m_status, &QComboBox::currentIndexChanged, this, &RequestsPage::applyFilter);
    connect(m_format, &QComboBox::currentIndexChanged, this, &RequestsPage::applyFilter);
    connect(m_modelFilter, &QLineEdit::textChanged, this, &RequestsPage::applyFilter);
    connect(m_upstreamFilter, &QLineEdit::textChanged, this, &RequestsPage::applyFilter);
    connect(m_table->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
            &RequestsPage::showDetails);
    retranslate();
}

void RequestsPage::add(const QList<RequestRecord> &records)
{
    m_model->prepend(records);
}

int RequestsPage::visibleRows() const
{
    return m_proxy->rowCount();
}

void RequestsPage::applyFilter()
{
    auto *filter = static_cast<RequestFilter *>(m_proxy);
    filter->status = m_status->currentIndex();
    filter->model = m_modelFilter->text().trimmed();
    filter->upstream = m_upstreamFilter->text().trimmed();
    filter->format = m_format->currentText();
    filter->refresh();
}

void RequestsPage::showDetails()
{
    const QModelIndex index = m_proxy->mapToSource(m_table->currentIndex());
    if (!index.isValid()) {
        m_details->clear();
        return;
    }
    const RequestRecord &r = m_model->record(index.row());
    QString html = QStringLiteral("<p><b>%1 %2</b> · %3</p>")
                       .arg(QString::fromLatin1(r.method).toHtmlEscaped(), r.path.toHtmlEscaped(),
                            QDateTime::fromMSecsSinceEpoch(r.startedMs).toString(Qt::ISODate));
    html += QStringLiteral("<p>")
        + tr("Model %1, answered by %2 with key %3: status %4 after %5 attempt(s), %6 ms "
             "(first byte after %7 ms).")
              .arg(r.model.toHtmlEscaped(), r.upstream.toHtmlEscaped(), r.keyLabel.toHtmlEscaped())
              .arg(r.status)
              .arg(r.attempts)
              .arg(r.latencyMs)
              .arg(r.firstByteMs)
        + QStringLiteral("</p>");
    if (!r.attemptRefs.isEmpty()) {
        html += QStringLiteral("<p>") + tr("Keys tried, in order:") + QStringLiteral("</p><ol>");
        for (const QString &ref : r.attemptRefs)
            html += QStringLiteral("<li>") + ref.toHtmlEscaped() + QStringLiteral("</li>");
        html += QStringLiteral("</ol>");
    }
    if (!r.error.isEmpty())
        html += QStringLiteral("<p>") + tr("Error: %1").arg(r.error.toHtmlEscaped())
            + QStringLiteral("</p>");
    if (!r.requestBody.isEmpty() || !r.responseBody.isEmpty())
        html += QStringLiteral("<p>") + tr("Request body:") + QStringLiteral("</p><pre>")
            + QString::fromUtf8(r.requestBody).toHtmlEscaped() + QStringLiteral("</pre><p>")
            + tr("Answer body:") + QStringLiteral("</p><pre>")
            + QString::fromUtf8(r.responseBody).toHtmlEscaped() + QStringLiteral("</pre>");
    else
        html += QStringLiteral("<p><i>")
            + tr("Bodies are kept only when store.captureBodies is true in the config file.")
            + QStringLiteral("</i></p>");
    m_details->setHtml(html);
}

void RequestsPage::retranslate()
{
    m_filterLabel->setText(tr("Show:"));
    const int status = std::max(0, m_status->currentIndex());
    m_status->clear();
    m_status->addItems({ tr("all requests"), tr("succeeded"), tr("failed") });
    m_status->setCurrentIndex(status);
    m_modelFilter->setPlaceholderText(tr("model"));
    m_upstreamFilter->setPlaceholderText(tr("upstream"));
    m_format->setItemText(0, tr("any client format"));
    Q_EMIT m_model->headerDataChanged(Qt::Horizontal, 0, RequestTableModel::Count - 1);
    showDetails();
}

void RequestsPage::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::LanguageChange)
        retranslate();
    QWidget::changeEvent(event);
}

} // namespace relay
