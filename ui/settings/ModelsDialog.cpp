#include "ModelsDialog.h"

#include "StateText.h"
#include "service/RelayHost.h"

#include <QCheckBox>
#include <QDialogButtonBox>
#include <QEvent>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QJsonArray>
#include <QLabel>
#include <QListWidget>
#include <QPointer>
#include <QPushButton>
#include <QSet>
#include <QTableWidget>
#include <QVBoxLayout>

namespace relay {

ModelsDialog::ModelsDialog(RelayHost &host, const QJsonObject &upstream, QWidget *parent)
    : QDialog(parent)
    , m_host(host)
    , m_upstream(upstream)
    , m_intro(new QLabel(this))
    , m_every(new QCheckBox(this))
    , m_models(new QListWidget(this))
    , m_fetch(new QPushButton(this))
    , m_mapLabel(new QLabel(this))
    , m_map(new QTableWidget(0, 2, this))
    , m_addMapping(new QPushButton(this))
    , m_removeMapping(new QPushButton(this))
    , m_message(new QLabel(this))
    , m_buttons(new QDialogButtonBox(QDialogButtonBox::Save | QDialogButtonBox::Cancel, this))
{
    m_intro->setWordWrap(true);
    m_message->setWordWrap(true);
    m_message->setStyleSheet(QStringLiteral("color: #d83b3b"));
    m_map->verticalHeader()->hide();
    m_map->horizontalHeader()->setSectionResizeMode(QHeaderView::Stretch);

    QStringList listed;
    QStringList patterns;
    bool every = false;
    for (const QJsonValue &m : upstream.value(u"models").toArray()) {
        const QString name = m.toString();
        if (name == u"*")
            every = true;
        else if (name.contains(u'*'))
            patterns.append(name);
        else
            listed.append(name);
    }
    every = every || upstream.value(u"models").toArray().isEmpty();
    m_every->setChecked(every);
    addModels(listed + patterns, listed + patterns);
    const QJsonObject map = upstream.value(u"modelMap").toObject();
    for (auto it = map.begin(); it != map.end(); ++it) {
        const int row = m_map->rowCount();
        m_map->insertRow(row);
        m_map->setItem(row, 0, new QTableWidgetItem(it.key()));
        m_map->setItem(row, 1, new QTableWidgetItem(it.value().toString()));
    }

    auto *mapButtons = new QHBoxLayout;
    mapButtons->addWidget(m_addMapping);
    mapButtons->addWidget(m_removeMapping);
    mapButtons->addStretch();
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_intro);
    layout->addWidget(m_every);
    layout->addWidget(m_models, 2);
    layout->addWidget(m_fetch, 0, Qt::AlignLeft);
    layout->addWidget(m_mapLabel);
    layout->addWidget(m_map, 1);
    layout->addLayout(mapButtons);
    layout->addWidget(m_message);
    layout->addWidget(m_buttons);

    connect(m_fetch, &QPushButton::clicked, this, &ModelsDialog::fetch);
    connect(m_addMapping, &QPushButton::clicked, this, [this] {
        const int row = m_map->rowCount();
        m_map->insertRow(row);
        m_map->setItem(row, 0, new QTableWidgetItem);
        m_map->setItem(row, 1, new QTableWidgetItem);
        m_map->editItem(m_map->item(row, 0));
    });
    connect(m_removeMapping, &QPushButton::clicked, this, [this] {
        if (m_map->currentRow() >= 0)
            m_map->removeRow(m_map->currentRow());
    });
    connect(m_buttons, &QDialogButtonBox::accepted, this, &ModelsDialog::accept);
    connect(m_buttons, &QDialogButtonBox::rejected, this, &ModelsDialog::reject);
    retranslate();
    resize(520, 560);
}

void ModelsDialog::addModels(const QStringList &names, const QStringList &checked)
{
    QSet<QString> present;
    for (int i = 0; i < m_models->count(); ++i)
        present.insert(m_models->item(i)->text());
    for (const QString &name : names) {
        if (present.contains(name))
            continue;
        present.insert(name);
        auto *item = new QListWidgetItem(name, m_models);
        item->setFlags(item->flags() | Qt::ItemIsUserCheckable);
        item->setCheckState(checked.contains(name) ? Qt::Checked : Qt::Unchecked);
    }
}

void ModelsDialog::fetch()
{
    const QJsonArray keys = m_upstream.value(u"keys").toArray();
    if (keys.isEmpty()) {
        m_message->setText(tr("Add a key first: the list is fetched with one."));
        return;
    }
    m_fetch->setEnabled(false);
    m_message->clear();
    m_host.probeSaved(
        m_upstream.value(u"id").toString(), keys.at(0).toObject().value(u"id").toString(),
        [self = QPointer(this)](const KeyProbeResult &r) {
            if (!self)
                return;
            self->m_fetch->setEnabled(true);
            if (!r.valid) {
                self->m_message->setStyleSheet(QStringLiteral("color: #d83b3b"));
                self->m_message->setText(tr("Could not fetch the list: %1").arg(r.error));
                return;
            }
            self->addModels(r.models, {});
            self->m_message->setText(
                tr("%n model(s) listed by the provider; tick the ones to offer.", nullptr,
                   int(r.models.size())));
            self->m_message->setStyleSheet(QString());
        });
}

QJsonObject ModelsDialog::change() const
{
    QJsonArray models;
    for (int i = 0; i < m_models->count(); ++i) {
        if (m_models->item(i)->checkState() == Qt::Checked)
            models.append(m_models->item(i)->text());
    }
    // Ticked names are listed in /v1/models; "*" serves any other name as well.
    if (m_every->isChecked() && !models.isEmpty())
        models.append(QStringLiteral("*"));
    QJsonObject map;
    for (int row = 0; row < m_map->rowCount(); ++row) {
        const QString from
            = m_map->item(row, 0) ? m_map->item(row, 0)->text().trimmed() : QString();
        const QString to = m_map->item(row, 1) ? m_map->item(row, 1)->text().trimmed() : QString();
        if (!from.isEmpty() || !to.isEmpty())
            map.insert(from, to); // an empty side is the relay's to explain
    }
    return { { QStringLiteral("models"), models },
             { QStringLiteral("modelMap"),
               ConfigEdit::mergeDiff(m_upstream.value(u"modelMap").toObject(), map) } };
}

void ModelsDialog::accept()
{
    const QJsonObject patch = change();
    if (patch.value(u"models").toArray().isEmpty() && !m_every->isChecked()) {
        // An empty list would mean every model: the opposite of what the user asked.
        m_message->setText(tr("Tick at least one model, or allow any model name."));
        return;
    }
    ConfigEdit edit;
    edit.op = ConfigEdit::Op::PatchUpstream;
    edit.upstreamId = m_upstream.value(u"id").toString();
    edit.value = patch;
    m_buttons->setEnabled(false);
    m_host.edit(edit, [self = QPointer(this)](const ConfigEditResult &r) {
        if (!self)
            return;
        self->m_buttons->setEnabled(true);
        if (r.ok()) {
            Q_EMIT self->saved();
            self->QDialog::accept();
            return;
        }
        self->m_message->setStyleSheet(QStringLiteral("color: #d83b3b"));
        self->m_message->setText(StateText::editResult(r));
    });
}

void ModelsDialog::retranslate()
{
    setWindowTitle(tr("Models of %1").arg(m_upstream.value(u"name").toString()));
    m_intro->setText(tr("Ticked models are offered to clients (model pickers read them from "
                        "/v1/models). Fetch the provider's own list with a saved key."));
    m_every->setText(tr("Also pass any other model name to this upstream"));
    m_fetch->setText(tr("Fetch from the provider"));
    m_mapLabel->setText(tr("Model map: a client's model name (or a pattern with *, like "
                           "claude-*haiku*) → the name this upstream uses"));
    m_map->setHorizontalHeaderLabels({ tr("Client asks for"), tr("Upstream gets") });
    m_addMapping->setText(tr("Add mapping"));
    m_removeMapping->setText(tr("Remove mapping"));
    m_buttons->button(QDialogButtonBox::Save)->setText(tr("Save"));
    m_buttons->button(QDialogButtonBox::Cancel)->setText(tr("Cancel"));
}

void ModelsDialog::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::LanguageChange)
        retranslate();
    QDialog::changeEvent(event);
}

} // namespace relay
