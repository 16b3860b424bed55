#include "UpstreamsPage.h"

#include "EditUpstreamDialog.h"
#include "KeysPanel.h"
#include "ModelsDialog.h"
#include "StateText.h"
#include "service/RelayHost.h"

#include <QEvent>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QJsonArray>
#include <QLabel>
#include <QMessageBox>
#include <QPushButton>
#include <QTableWidget>
#include <QVBoxLayout>

namespace relay {

UpstreamsPage::UpstreamsPage(RelayHost &host, QWidget *parent)
    : QWidget(parent)
    , m_host(host)
    , m_table(new QTableWidget(0, 5, this))
    , m_add(new QPushButton(this))
    , m_edit(new QPushButton(this))
    , m_remove(new QPushButton(this))
    , m_up(new QPushButton(this))
    , m_down(new QPushButton(this))
    , m_models(new QPushButton(this))
    , m_message(new QLabel(this))
    , m_keys(new KeysPanel(host, this))
{
    m_table->verticalHeader()->hide();
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setSelectionMode(QAbstractItemView::SingleSelection);
    m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_table->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    m_table->horizontalHeader()->setStretchLastSection(true);
    m_message->setWordWrap(true);
    m_message->setStyleSheet(QStringLiteral("color: #d83b3b"));
    auto *buttons = new QHBoxLayout;
    for (QPushButton *b : { m_add, m_edit, m_models, m_remove, m_up, m_down })
        buttons->addWidget(b);
    buttons->addStretch();
    auto *layout = new QVBoxLayout(this);
    layout->addLayout(buttons);
    layout->addWidget(m_table, 2);
    layout->addWidget(m_message);
    layout->addWidget(m_keys, 3);
    connect(m_table, &QTableWidget::itemSelectionChanged, this, &UpstreamsPage::showKeysOfSelected);

    connect(m_add, &QPushButton::clicked, this, &UpstreamsPage::addRequested);
    connect(m_edit, &QPushButton::clicked, this, &UpstreamsPage::openEdit);
    connect(m_table, &QTableWidget::cellDoubleClicked, this, &UpstreamsPage::openEdit);
    connect(m_models, &QPushButton::clicked, this, &UpstreamsPage::openModels);
    connect(m_remove, &QPushButton::clicked, this, [this] {
        const QString id = selectedId();
        if (id.isEmpty()
            || QMessageBox::question(
                   this, tr("Remove upstream"),
                   tr("Remove \"%1\" and delete its keys from the keychain?").arg(id))
                != QMessageBox::Yes)
            return;
        ConfigEdit edit;
        edit.op = ConfigEdit::Op::RemoveUpstream;
        edit.upstreamId = id;
        m_host.edit(edit, [this](const ConfigEditResult &r) { showResult(r); });
    });
    for (QPushButton *b : { m_up, m_down }) {
        connect(b, &QPushButton::clicked, this, [this, down = b == m_down] {
            const int row = m_table->currentRow();
            if (row < 0)
                return;
            ConfigEdit edit;
            edit.op = ConfigEdit::Op::MoveUpstream;
            edit.upstreamId = selectedId();
            edit.index = down ? row + 1 : std::max(0, row - 1);
            m_host.edit(edit, [this, target = edit.index](const ConfigEditResult &r) {
                showResult(r);
                m_table->selectRow(target);
            });
        });
    }
    connect(m_table, &QTableWidget::itemChanged, this, [this](QTableWidgetItem *item) {
        if (item->column() != 0 || !item->flags().testFlag(Qt::ItemIsUserCheckable))
            return;
        ConfigEdit edit;
        edit.op = ConfigEdit::Op::PatchUpstream;
        edit.upstreamId = item->data(Qt::UserRole).toString();
        edit.value = { { QStringLiteral("enabled"), item->checkState() == Qt::Checked } };
        m_host.edit(edit, [this](const ConfigEditResult &r) { showResult(r); });
    });
    retranslate();
}

void UpstreamsPage::showResult(const ConfigEditResult &r)
{
    m_message->setText(StateText::editResult(r));
}

QString UpstreamsPage::selectedId() const
{
    const int row = m_table->currentRow();
    return row < 0 || !m_table->item(row, 0) ? QString()
                                             : m_table->item(row, 0)->data(Qt::UserRole).toString();
}

void UpstreamsPage::setConfig(const QJsonObject &config)
{
    m_config = config;
    const int current = m_table->currentRow();
    const QSignalBlocker block(m_table);
    const QJsonArray upstreams = config.value(u"upstreams").toArray();
    m_table->setRowCount(int(upstreams.size()));
    for (int row = 0; row < upstreams.size(); ++row) {
        const QJsonObject u = upstreams.at(row).toObject();
        auto *name = new QTableWidgetItem(u.value(u"name").toString());
        name->setData(Qt::UserRole, u.value(u"id").toString());
        name->setFlags(name->flags() | Qt::ItemIsUserCheckable);
        name->setCheckState(u.value(u"enabled").toBool(true) ? Qt::Checked : Qt::Unchecked);
        m_table->setItem(row, 0, name);
        m_table->setItem(row, 1, new QTableWidgetItem(u.value(u"type").toString()));
        m_table->setItem(row, 2, new QTableWidgetItem(u.value(u"baseUrl").toString()));
        m_table->setItem(row, 3,
                         new QTableWidgetItem(QString::number(u.value(u"keys").toArray().size())));
        m_table->setItem(row, 4,
                         new QTableWidgetItem(QString::number(u.value(u"priority").toInt())));
    }
    if (current >= 0 && current < m_table->rowCount())
        m_table->selectRow(current);
    else if (m_table->rowCount() > 0)
        m_table->selectRow(0);
    showKeysOfSelected();
}

QJsonObject UpstreamsPage::selectedUpstream() const
{
    const QString id = selectedId();
    for (const QJsonValue &u : m_config.value(u"upstreams").toArray()) {
        if (u.toObject().value(u"id").toString() == id)
            return u.toObject();
    }
    return {};
}

namespace {
template<typename Dialog>
Dialog *openFor(RelayHost &host, const QJsonObject &upstream, QWidget *parent)
{
    if (upstream.isEmpty())
        return nullptr;
    auto *dialog = new Dialog(host, upstream, parent);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->open();
    return dialog;
}
} // namespace

ModelsDialog *UpstreamsPage::openModels()
{
    return openFor<ModelsDialog>(m_host, selectedUpstream(), this);
}

EditUpstreamDialog *UpstreamsPage::openEdit()
{
    return openFor<EditUpstreamDialog>(m_host, selectedUpstream(), this);
}

void UpstreamsPage::showKeysOfSelected()
{
    m_keys->setUpstream(selectedUpstream());
}

void UpstreamsPage::retranslate()
{
    m_add->setText(tr("Add…"));
    m_edit->setText(tr("Edit…"));
    m_models->setText(tr("Models…"));
    m_remove->setText(tr("Remove"));
    m_up->setText(tr("Move up"));
    m_down->setText(tr("Move down"));
    m_table->setHorizontalHeaderLabels(
        { tr("Enabled, name"), tr("API format"), tr("Base URL"), tr("Keys"), tr("Priority tier") });
}

void UpstreamsPage::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::LanguageChange)
        retranslate();
    QWidget::changeEvent(event);
}

} // namespace relay
