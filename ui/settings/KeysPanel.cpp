#include "KeysPanel.h"

#include "AddUpstreamDialog.h"
#include "StateText.h"
#include "service/RelayHost.h"

#include <QCheckBox>
#include <QEvent>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QJsonArray>
#include <QLabel>
#include <QLineEdit>
#include <QMessageBox>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSet>
#include <QSpinBox>
#include <QTableWidget>
#include <QVBoxLayout>
#include <memory>

namespace relay {

namespace {
QSpinBox *limitBox(int value, int max, QWidget *parent)
{
    auto *box = new QSpinBox(parent);
    box->setRange(0, max);
    box->setValue(value);
    box->setSpecialValueText(QStringLiteral("∞")); // 0: no limit
    box->setKeyboardTracking(false); // saved once the number is complete, not per digit
    return box;
}
} // namespace

KeysPanel::KeysPanel(RelayHost &host, QWidget *parent)
    : QWidget(parent)
    , m_host(host)
    , m_title(new QLabel(this))
    , m_table(new QTableWidget(0, Count, this))
    , m_paste(new QPlainTextEdit(this))
    , m_add(new QPushButton(this))
    , m_testAll(new QPushButton(this))
    , m_remove(new QPushButton(this))
    , m_message(new QLabel(this))
{
    QFont bold = m_title->font();
    bold.setBold(true);
    m_title->setFont(bold);
    m_table->verticalHeader()->hide();
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setSelectionMode(QAbstractItemView::SingleSelection);
    m_table->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    m_table->horizontalHeader()->setStretchLastSection(true);
    m_paste->setMaximumHeight(m_paste->fontMetrics().lineSpacing() * 4);
    m_message->setWordWrap(true);
    m_message->setStyleSheet(QStringLiteral("color: #d83b3b"));
    auto *buttons = new QHBoxLayout;
    buttons->addWidget(m_add);
    buttons->addWidget(m_testAll);
    buttons->addWidget(m_remove);
    buttons->addStretch();
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_title);
    layout->addWidget(m_table, 1);
    layout->addWidget(m_paste);
    layout->addLayout(buttons);
    layout->addWidget(m_message);

    connect(m_add, &QPushButton::clicked, this, &KeysPanel::addPasted);
    connect(m_testAll, &QPushButton::clicked, this, &KeysPanel::testAll);
    connect(m_paste, &QPlainTextEdit::textChanged, this, [this] {
        m_add->setEnabled(!m_upstream.isEmpty()
                          && !AddUpstreamDialog::parseKeys(m_paste->toPlainText()).isEmpty());
    });
    connect(m_remove, &QPushButton::clicked, this, [this] {
        const int row = m_table->currentRow();
        if (row < 0
            || QMessageBox::question(this, tr("Remove key"),
                                     tr("Remove this key and delete it from the keychain?"))
                != QMessageBox::Yes)
            return;
        ConfigEdit edit;
        edit.op = ConfigEdit::Op::RemoveKey;
        edit.upstreamId = m_upstream.value(u"id").toString();
        edit.keyId = keyIdAt(row);
        m_host.edit(edit, [this](const ConfigEditResult &r) { showResult(r); });
    });
    retranslate();
    setUpstream({});
}

QString KeysPanel::keyIdAt(int row) const
{
    return m_upstream.value(u"keys").toArray().at(row).toObject().value(u"id").toString();
}

void KeysPanel::setUpstream(const QJsonObject &upstream)
{
    m_upstream = upstream;
    m_filling = true;
    const QJsonArray keys = upstream.value(u"keys").toArray();
    m_table->setRowCount(int(keys.size()));
    for (int row = 0; row < keys.size(); ++row) {
        const QJsonObject k = keys.at(row).toObject();
        const QJsonObject limits = k.value(u"limits").toObject();
        auto *enabled = new QCheckBox(m_table);
        enabled->setChecked(k.value(u"enabled").toBool(true));
        connect(enabled, &QCheckBox::toggled, this, [this, row](bool on) {
            patchKey(row, { { QStringLiteral("enabled"), on } });
        });
        m_table->setCellWidget(row, Enabled, enabled);
        const QString hint = k.value(u"hint").toString();
        auto *key = new QTableWidgetItem(hint.isEmpty() ? tr("(no key stored)")
                                                        : QStringLiteral("…") + hint);
        key->setFlags(key->flags() & ~Qt::ItemIsEditable);
        m_table->setItem(row, Key, key);
        auto *label = new QLineEdit(k.value(u"label").toString(), m_table);
        connect(label, &QLineEdit::editingFinished, this, [this, row, label] {
            patchKey(row, { { QStringLiteral("label"), label->text().trimmed() } });
        });
        m_table->setCellWidget(row, Label, label);
        auto *weight = new QSpinBox(m_table);
        weight->setRange(1, 1000);
        weight->setValue(k.value(u"weight").toInt(1));
        weight->setKeyboardTracking(false);
        connect(weight, &QSpinBox::valueChanged, this, [this, row](int v) {
            patchKey(row, { { QStringLiteral("weight"), v } });
        });
        m_table->setCellWidget(row, Weight, weight);
        const struct
        {
            Column column;
            const char *name;
            int max;
        } limitColumns[]
            = { { Rpm, "rpm", 1000000 }, { Rpd, "rpd", 100000000 }, { Tpm, "tpm", 1000000000 } };
        for (const auto &c : limitColumns) {
            QSpinBox *box = limitBox(limits.value(QLatin1String(c.name)).toInt(), c.max, m_table);
            connect(box, &QSpinBox::valueChanged, this, [this, row, name = c.name](int v) {
                patchKey(
                    row,
                    { { QStringLiteral("limits"), QJsonObject { { QLatin1String(name), v } } } });
            });
            m_table->setCellWidget(row, c.column, box);
        }
        m_table->setItem(row, Test, new QTableWidgetItem());
    }
    m_filling = false;
    m_title->setText(upstream.isEmpty() ? tr("Select an upstream to see its keys.")
                                        : tr("Keys of %1").arg(upstream.value(u"name").toString()));
    m_testAll->setEnabled(!keys.isEmpty());
    m_remove->setEnabled(!keys.isEmpty());
    m_add->setEnabled(!upstream.isEmpty()
                      && !AddUpstreamDialog::parseKeys(m_paste->toPlainText()).isEmpty());
}

void KeysPanel::patchKey(int row, const QJsonObject &patch)
{
    if (m_filling)
        return;
    ConfigEdit edit;
    edit.op = ConfigEdit::Op::PatchKey;
    edit.upstreamId = m_upstream.value(u"id").toString();
    edit.keyId = keyIdAt(row);
    edit.value = patch;
    m_host.edit(edit, [this](const ConfigEditResult &r) { showResult(r); });
}

void KeysPanel::addPasted()
{
    // One AddKey per key, with the next free ids: the relay runs them in order, each on what the
    // one before saved. A key pasted twice is added once.
    const QStringList secrets = AddUpstreamDialog::parseKeys(m_paste->toPlainText());
    QSet<QString> ids;
    for (const QJsonValue &k : m_upstream.value(u"keys").toArray())
        ids.insert(k.toObject().value(u"id").toString());
    auto pending = std::make_shared<int>(int(secrets.size()));
    int n = 1;
    m_add->setEnabled(false);
    for (const QString &secret : secrets) {
        while (ids.contains(QStringLiteral("k%1").arg(n)))
            ++n;
        const QString id = QStringLiteral("k%1").arg(n);
        ids.insert(id);
        ConfigEdit edit;
        edit.op = ConfigEdit::Op::AddKey;
        edit.upstreamId = m_upstream.value(u"id").toString();
        edit.value = { { QStringLiteral("id"), id },
                       { QStringLiteral("label"), QStringLiteral("key%1").arg(n) },
                       { QStringLiteral("key"), secret } };
        m_host.edit(edit, [this, pending](const ConfigEditResult &r) {
            showResult(r);
            if (--*pending == 0 && r.ok())
                m_paste->clear(); // the keychain has them now
        });
    }
}

void KeysPanel::testAll()
{
    const QString upstreamId = m_upstream.value(u"id").toString();
    for (int row = 0; row < m_table->rowCount(); ++row) {
        m_table->item(row, Test)->setText(tr("testing…"));
        const QString keyId = keyIdAt(row);
        m_host.probeSaved(upstreamId, keyId, [this, upstreamId, keyId](const KeyProbeResult &r) {
            // Matched by key, not by row: the table may have changed meanwhile.
            if (m_upstream.value(u"id").toString() != upstreamId)
                return;
            for (int row = 0; row < m_table->rowCount(); ++row) {
                if (keyIdAt(row) != keyId)
                    continue;
                QTableWidgetItem *item = m_table->item(row, Test);
                item->setText(r.valid ? tr("valid, %1 ms").arg(r.latencyMs)
                                      : tr("failed: %1").arg(r.error));
                item->setForeground(r.valid ? QColor(0x2e, 0x9d, 0x4f) : QColor(0xd8, 0x3b, 0x3b));
            }
        });
    }
}

void KeysPanel::showResult(const ConfigEditResult &r)
{
    m_message->setText(StateText::editResult(r));
}

void KeysPanel::retranslate()
{
    m_table->setHorizontalHeaderLabels({ tr("On"), tr("Key"), tr("Label"), tr("Weight"),
                                         tr("Requests/min"), tr("Requests/day"), tr("Tokens/min"),
                                         tr("Test") });
    m_paste->setPlaceholderText(tr("Paste more keys here, one per line"));
    m_add->setText(tr("Add keys"));
    m_testAll->setText(tr("Test all"));
    m_remove->setText(tr("Remove key"));
    setUpstream(m_upstream);
}

void KeysPanel::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::LanguageChange)
        retranslate();
    QWidget::changeEvent(event);
}

} // namespace relay
