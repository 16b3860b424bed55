#include "AddUpstreamDialog.h"

#include "LanguageManager.h"
#include "ProblemLabel.h"
#include "ProviderPresets.h"
#include "StateText.h"
#include "config/UpstreamConfig.h"
#include "secrets/SecretRedactor.h"
#include "service/RelayHost.h"

#include <QComboBox>
#include <QDialogButtonBox>
#include <QEvent>
#include <QFormLayout>
#include <QHeaderView>
#include <QJsonArray>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPointer>
#include <QPushButton>
#include <QSet>
#include <QTableWidget>
#include <QVBoxLayout>

namespace relay {

AddUpstreamDialog::AddUpstreamDialog(RelayHost &host, const LanguageManager &languages,
                                     bool firstRun, QWidget *parent)
    : QDialog(parent)
    , m_host(host)
    , m_languages(languages)
    , m_firstRun(firstRun)
    , m_welcome(new QLabel(this))
    , m_presetLabel(new QLabel(this))
    , m_preset(new QComboBox(this))
    , m_nameLabel(new QLabel(this))
    , m_name(new QLineEdit(this))
    , m_baseUrlLabel(new QLabel(this))
    , m_baseUrl(new QLineEdit(this))
    , m_baseUrlProblem(new ProblemLabel(this))
    , m_typeLabel(new QLabel(this))
    , m_type(new QComboBox(this))
    , m_keysLabel(new QLabel(this))
    , m_keys(new QPlainTextEdit(this))
    , m_keyLink(new QLabel(this))
    , m_test(new QPushButton(this))
    , m_results(new QTableWidget(0, 4, this))
    , m_message(new ProblemLabel(this))
    , m_buttons(new QDialogButtonBox(QDialogButtonBox::Save | QDialogButtonBox::Cancel, this))
{
    setObjectName(QStringLiteral("AddUpstreamDialog"));
    m_welcome->setWordWrap(true);
    m_welcome->setVisible(firstRun);
    for (const ProviderPreset &p : ProviderPresets::all())
        m_preset->addItem(QString(), p.id); // named by retranslate()
    m_type->addItems(
        { QStringLiteral("openai"), QStringLiteral("anthropic"), QStringLiteral("gemini") });
    m_keys->setTabChangesFocus(true);
    m_keyLink->setOpenExternalLinks(true);
    m_results->verticalHeader()->hide();
    m_results->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_results->horizontalHeader()->setStretchLastSection(true);
    m_results->setMinimumHeight(110);

    auto *form = new QFormLayout;
    form->addRow(m_presetLabel, m_preset);
    form->addRow(m_nameLabel, m_name);
    auto *base = new QVBoxLayout;
    base->addWidget(m_baseUrl);
    base->addWidget(m_baseUrlProblem);
    form->addRow(m_baseUrlLabel, base);
    form->addRow(m_typeLabel, m_type);
    auto *keys = new QVBoxLayout;
    keys->addWidget(m_keys);
    keys->addWidget(m_keyLink);
    form->addRow(m_keysLabel, keys);
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_welcome);
    layout->addLayout(form);
    layout->addWidget(m_test, 0, Qt::AlignLeft);
    layout->addWidget(m_results);
    layout->addWidget(m_message);
    layout->addWidget(m_buttons);

    connect(m_preset, &QComboBox::currentIndexChanged, this, &AddUpstreamDialog::presetChosen);
    connect(m_baseUrl, &QLineEdit::textChanged, this, &AddUpstreamDialog::validate);
    connect(m_keys, &QPlainTextEdit::textChanged, this, &AddUpstreamDialog::validate);
    connect(m_test, &QPushButton::clicked, this, &AddUpstreamDialog::testKeys);
    connect(m_buttons, &QDialogButtonBox::accepted, this, &AddUpstreamDialog::accept);
    connect(m_buttons, &QDialogButtonBox::rejected, this, &AddUpstreamDialog::reject);
    retranslate();
    presetChosen();
    resize(620, 560);
}

QStringList AddUpstreamDialog::parseKeys(const QString &text)
{
    QStringList keys;
    QSet<QString> seen;
    for (const QString &line : text.split(u'\n')) {
        const QString key = line.trimmed();
        if (key.isEmpty() || seen.contains(key))
            continue;
        seen.insert(key);
        keys.append(key);
    }
    return keys;
}

QString AddUpstreamDialog::uniqueId() const
{
    QSet<QString> taken;
    for (const QJsonValue &u : m_host.config().value(u"upstreams").toArray())
        taken.insert(u.toObject().value(u"id").toString());
    const QString base = m_preset->currentData().toString().isEmpty()
        ? QStringLiteral("upstream")
        : m_preset->currentData().toString();
    QString id = base;
    for (int n = 2; taken.contains(id); ++n)
        id = base + u'-' + QString::number(n);
    return id;
}

QJsonObject AddUpstreamDialog::upstreamJson(bool withSecrets) const
{
    QJsonArray models;
    const QString presetId = m_preset->currentData().toString();
    QStringList names;
    for (const ProviderPreset &p : ProviderPresets::all()) {
        if (p.id == presetId)
            names = p.models;
    }
    // What the provider itself listed, once tested, beats what we knew of it.
    for (int row = 0; row < m_results->rowCount(); ++row) {
        const QStringList listed = m_results->item(row, 3)
            ? m_results->item(row, 3)->data(Qt::UserRole).toStringList()
            : QStringList();
        if (!listed.isEmpty()) {
            names = listed.mid(0, 200);
            break;
        }
    }
    for (const QString &m : std::as_const(names))
        models.append(m);
    if (!models.isEmpty())
        models.append(QStringLiteral("*")); // listed for model pickers; any other name passes too
    QJsonArray keys;
    const QStringList secrets = parseKeys(m_keys->toPlainText());
    for (qsizetype i = 0; i < secrets.size(); ++i) {
        QJsonObject key { { QStringLiteral("id"), QStringLiteral("k%1").arg(i + 1) },
                          { QStringLiteral("label"), QStringLiteral("key%1").arg(i + 1) } };
        if (withSecrets)
            key.insert(QStringLiteral("key"), secrets.at(i));
        keys.append(key);
    }
    QJsonObject upstream { { QStringLiteral("id"), uniqueId() },
                           { QStringLiteral("name"), m_name->text().trimmed() },
                           { QStringLiteral("type"), m_type->currentText() },
                           { QStringLiteral("baseUrl"), m_baseUrl->text().trimmed() },
                           { QStringLiteral("keys"), keys } };
    if (!models.isEmpty())
        upstream.insert(QStringLiteral("models"), models);
    return upstream;
}

const ProviderPreset *AddUpstreamDialog::currentPreset() const
{
    const QString id = m_preset->currentData().toString();
    for (const ProviderPreset &p : ProviderPresets::all()) {
        if (p.id == id)
            return &p;
    }
    return nullptr;
}

void AddUpstreamDialog::presetChosen()
{
    if (const ProviderPreset *p = currentPreset()) {
        m_name->setText(p->id == u"custom" ? QString() : p->displayName(m_languages.current()));
        m_baseUrl->setText(p->baseUrl);
        m_type->setCurrentText(p->type);
    }
    showKeyLink();
    m_results->setRowCount(0);
    validate();
}

void AddUpstreamDialog::showKeyLink()
{
    const ProviderPreset *p = currentPreset();
    m_keyLink->setText(!p || p->keyUrl.isEmpty()
                           ? QString()
                           : tr("Get a key: <a href=\"%1\">%1</a>").arg(p->keyUrl));
}

void AddUpstreamDialog::validate()
{
    // Explained next to the field as it is typed; the relay checks it all again on save.
    const QString text = m_baseUrl->text().trimmed();
    const bool urlOk = isValidBaseUrl(text);
    m_baseUrlProblem->setProblem(
        urlOk ? QString()
              : StateText::problem(
                  { {},
                    text.isEmpty() ? QStringLiteral("required") : QStringLiteral("invalid_url"),
                    {} }));
    const bool keysOk = !parseKeys(m_keys->toPlainText()).isEmpty();
    m_test->setEnabled(urlOk && keysOk && m_pendingProbes == 0);
    m_buttons->button(QDialogButtonBox::Save)->setEnabled(urlOk && m_pendingProbes == 0);
}

void AddUpstreamDialog::testKeys()
{
    const QStringList secrets = parseKeys(m_keys->toPlainText());
    const QJsonObject draft = upstreamJson(false);
    m_results->setRowCount(int(secrets.size()));
    m_pendingProbes = int(secrets.size());
    validate();
    for (int row = 0; row < secrets.size(); ++row) {
        m_results->setItem(row, 0, new QTableWidgetItem(redactSecret(secrets.at(row))));
        m_results->setItem(row, 1, new QTableWidgetItem(tr("testing…")));
        m_results->setItem(row, 2, new QTableWidgetItem());
        m_results->setItem(row, 3, new QTableWidgetItem());
        // The dialog may be closed before a slow provider answers.
        m_host.probeDraft(draft, secrets.at(row),
                          [self = QPointer(this), row](const KeyProbeResult &r) {
                              if (self)
                                  self->onProbed(row, r);
                          });
    }
}

void AddUpstreamDialog::onProbed(int row, const KeyProbeResult &r)
{
    --m_pendingProbes;
    if (row < m_results->rowCount()) {
        m_results->item(row, 1)->setText(r.valid ? tr("valid") : tr("failed: %1").arg(r.error));
        m_results->item(row, 1)->setForeground(r.valid ? QColor(0x2e, 0x9d, 0x4f)
                                                       : QColor(0xd8, 0x3b, 0x3b));
        m_results->item(row, 2)->setText(tr("%1 ms").arg(r.latencyMs));
        m_results->item(row, 3)->setText(tr("%n model(s)", nullptr, int(r.models.size())));
        m_results->item(row, 3)->setData(Qt::UserRole, r.models);
    }
    validate();
}

void AddUpstreamDialog::accept()
{
    m_message->hide();
    ConfigEdit edit;
    edit.op = ConfigEdit::Op::AddUpstream;
    edit.value = upstreamJson(true);
    m_buttons->setEnabled(false);
    m_host.edit(edit,
                [self = QPointer(this),
                 id = edit.value.value(u"id").toString()](const ConfigEditResult &r) {
                    if (self)
                        self->onSaved(id, r);
                });
}

void AddUpstreamDialog::onSaved(const QString &id, const ConfigEditResult &r)
{
    m_buttons->setEnabled(true);
    if (r.ok()) {
        m_keys->clear(); // the relay holds the keys now; the window does not
        Q_EMIT saved(id);
        QDialog::accept();
        return;
    }
    QStringList general;
    for (const ConfigProblem &p : r.problems) {
        if (p.path.endsWith(u".baseUrl")) {
            m_baseUrlProblem->setProblem(StateText::problem(p));
        } else {
            general.append(StateText::problem(p));
        }
    }
    if (r.refusal != ConfigEdit::Refusal::None)
        general.append(StateText::refusal(r));
    m_message->setProblem(general.join(u'\n'));
}

void AddUpstreamDialog::retranslate()
{
    setWindowTitle(m_firstRun ? tr("Welcome to LLM Relay") : tr("Add an upstream"));
    m_welcome->setText(tr("Choose your provider, paste your API key(s) and press Test. Once "
                          "saved, the relay is ready and the next page shows how to connect "
                          "your chat client."));
    m_presetLabel->setText(tr("Provider"));
    m_nameLabel->setText(tr("Name"));
    m_baseUrlLabel->setText(tr("Base URL"));
    m_typeLabel->setText(tr("API format"));
    m_keysLabel->setText(tr("API keys"));
    m_keys->setPlaceholderText(tr("One key per line; blank lines and repeats are ignored."));
    m_test->setText(tr("Test keys"));
    m_results->setHorizontalHeaderLabels({ tr("Key"), tr("Result"), tr("Latency"), tr("Models") });
    m_buttons->button(QDialogButtonBox::Save)->setText(tr("Save"));
    m_buttons->button(QDialogButtonBox::Cancel)->setText(tr("Cancel"));
    const QList<ProviderPreset> &presets = ProviderPresets::all();
    for (int i = 0; i < m_preset->count() && i < presets.size(); ++i)
        m_preset->setItemText(i, presets.at(i).displayName(m_languages.current()));
    showKeyLink();
    validate();
}

void AddUpstreamDialog::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::LanguageChange)
        retranslate();
    QDialog::changeEvent(event);
}

} // namespace relay
