#include "EditUpstreamDialog.h"

#include "ProblemLabel.h"
#include "StateText.h"
#include "config/DailyReset.h"
#include "config/UpstreamConfig.h"
#include "service/RelayHost.h"

#include <QComboBox>
#include <QDialogButtonBox>
#include <QEvent>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QPointer>
#include <QPushButton>
#include <QSet>
#include <QSpinBox>
#include <QTableWidget>
#include <QVBoxLayout>

namespace relay {

namespace {
QSpinBox *msBox(int max, QWidget *parent)
{
    auto *box = new QSpinBox(parent);
    box->setRange(100, max); // the parser's ranges
    box->setSingleStep(1000);
    box->setSuffix(QStringLiteral(" ms"));
    return box;
}

QWidget *inRow(QLayout *layout, QWidget *parent)
{
    auto *w = new QWidget(parent);
    layout->setContentsMargins(0, 0, 0, 0);
    w->setLayout(layout);
    return w;
}
} // namespace

EditUpstreamDialog::EditUpstreamDialog(RelayHost &host, const QJsonObject &upstream,
                                       QWidget *parent)
    : QDialog(parent)
    , m_host(host)
    , m_upstream(upstream)
    , m_form(new QFormLayout)
    , m_name(new QLineEdit(this))
    , m_type(new QComboBox(this))
    , m_baseUrl(new QLineEdit(this))
    , m_priority(new QSpinBox(this))
    , m_weight(new QSpinBox(this))
    , m_proxy(new QComboBox(this))
    , m_proxyUrl(new QLineEdit(this))
    , m_connect(msBox(600000, this))
    , m_firstByte(msBox(3600000, this))
    , m_idle(msBox(3600000, this))
    , m_dailyReset(new QLineEdit(this))
    , m_headers(new QTableWidget(0, 2, this))
    , m_addHeader(new QPushButton(this))
    , m_removeHeader(new QPushButton(this))
    , m_message(new ProblemLabel(this))
    , m_buttons(new QDialogButtonBox(QDialogButtonBox::Save | QDialogButtonBox::Cancel, this))
{
    setObjectName(QStringLiteral("EditUpstreamDialog"));
    m_type->addItems(
        { QStringLiteral("openai"), QStringLiteral("anthropic"), QStringLiteral("gemini") });
    m_priority->setRange(-1000, 1000);
    m_weight->setRange(1, 1000);
    for (const char *p : { "system", "none", "custom" })
        m_proxy->addItem(QString(), QString::fromLatin1(p));
    m_headers->verticalHeader()->hide();
    m_headers->horizontalHeader()->setSectionResizeMode(QHeaderView::Stretch);
    m_headers->setMinimumHeight(90);

    auto *proxy = new QHBoxLayout;
    proxy->addWidget(m_proxy);
    proxy->addWidget(m_proxyUrl, 1);
    auto *headerButtons = new QHBoxLayout;
    headerButtons->addWidget(m_addHeader);
    headerButtons->addWidget(m_removeHeader);
    headerButtons->addStretch();
    auto *headers = new QVBoxLayout;
    headers->addWidget(m_headers);
    headers->addLayout(headerButtons);

    addRow(QStringLiteral("name"), m_name);
    addRow(QStringLiteral("type"), m_type);
    addRow(QStringLiteral("baseUrl"), m_baseUrl);
    addRow(QStringLiteral("priority"), m_priority);
    addRow(QStringLiteral("weight"), m_weight);
    addRow(QStringLiteral("proxy"), inRow(proxy, this));
    addRow(QStringLiteral("timeouts.connectMs"), m_connect);
    addRow(QStringLiteral("timeouts.firstByteMs"), m_firstByte);
    addRow(QStringLiteral("timeouts.idleMs"), m_idle);
    addRow(QStringLiteral("dailyReset"), m_dailyReset);
    addRow(QStringLiteral("headers"), inRow(headers, this));
    auto *layout = new QVBoxLayout(this);
    layout->addLayout(m_form);
    layout->addWidget(m_message);
    layout->addWidget(m_buttons);

    m_name->setText(upstream.value(u"name").toString());
    m_type->setCurrentText(upstream.value(u"type").toString());
    m_baseUrl->setText(upstream.value(u"baseUrl").toString());
    m_priority->setValue(upstream.value(u"priority").toInt());
    m_weight->setValue(upstream.value(u"weight").toInt(1));
    const QString proxyValue = upstream.value(u"proxy").toString(QStringLiteral("system"));
    const int proxyIndex = m_proxy->findData(proxyValue);
    m_proxy->setCurrentIndex(proxyIndex >= 0 ? proxyIndex
                                             : m_proxy->findData(QStringLiteral("custom")));
    m_proxyUrl->setText(proxyIndex >= 0 ? QString() : proxyValue);
    const QJsonObject timeouts = upstream.value(u"timeouts").toObject();
    m_connect->setValue(timeouts.value(u"connectMs").toInt(10000));
    m_firstByte->setValue(timeouts.value(u"firstByteMs").toInt(120000));
    m_idle->setValue(timeouts.value(u"idleMs").toInt(120000));
    m_dailyReset->setText(upstream.value(u"dailyReset").toString(QStringLiteral("00:00 UTC")));
    const QJsonObject headerValues = upstream.value(u"headers").toObject();
    for (auto it = headerValues.begin(); it != headerValues.end(); ++it)
        addHeader(it.key(), it.value().toString());

    for (QLineEdit *edit : { m_baseUrl, m_proxyUrl, m_dailyReset })
        connect(edit, &QLineEdit::textChanged, this, &EditUpstreamDialog::validate);
    connect(m_proxy, &QComboBox::currentIndexChanged, this, &EditUpstreamDialog::validate);
    connect(m_headers, &QTableWidget::itemChanged, this, &EditUpstreamDialog::validate);
    connect(m_headers->model(), &QAbstractItemModel::rowsRemoved, this,
            &EditUpstreamDialog::validate);
    connect(m_addHeader, &QPushButton::clicked, this, [this] {
        addHeader({}, {});
        m_headers->editItem(m_headers->item(m_headers->rowCount() - 1, 0));
    });
    connect(m_removeHeader, &QPushButton::clicked, this, [this] {
        if (m_headers->currentRow() >= 0)
            m_headers->removeRow(m_headers->currentRow());
    });
    connect(m_buttons, &QDialogButtonBox::accepted, this, &EditUpstreamDialog::accept);
    connect(m_buttons, &QDialogButtonBox::rejected, this, &EditUpstreamDialog::reject);
    retranslate();
    resize(620, 640);
}

void EditUpstreamDialog::addRow(const QString &field, QWidget *widget)
{
    auto *problem = new ProblemLabel(this);
    auto *box = new QVBoxLayout;
    box->addWidget(widget);
    box->addWidget(problem);
    auto *label = new QLabel(this);
    m_form->addRow(label, box);
    m_problems.insert(field, problem);
    m_rowLabels.insert(field, label);
}

void EditUpstreamDialog::addHeader(const QString &name, const QString &value)
{
    const int row = m_headers->rowCount();
    m_headers->insertRow(row);
    m_headers->setItem(row, 0, new QTableWidgetItem(name));
    m_headers->setItem(row, 1, new QTableWidgetItem(value));
}

QPushButton *EditUpstreamDialog::saveButton() const
{
    return m_buttons->button(QDialogButtonBox::Save);
}

QJsonObject EditUpstreamDialog::patch() const
{
    QJsonObject after = m_upstream;
    after.insert(QStringLiteral("name"), m_name->text().trimmed());
    after.insert(QStringLiteral("type"), m_type->currentText());
    after.insert(QStringLiteral("baseUrl"), m_baseUrl->text().trimmed());
    after.insert(QStringLiteral("priority"), m_priority->value());
    after.insert(QStringLiteral("weight"), m_weight->value());
    const QString proxy = m_proxy->currentData().toString();
    after.insert(QStringLiteral("proxy"),
                 proxy == u"custom" ? m_proxyUrl->text().trimmed() : proxy);
    QJsonObject timeouts = m_upstream.value(u"timeouts").toObject();
    timeouts.insert(QStringLiteral("connectMs"), m_connect->value());
    timeouts.insert(QStringLiteral("firstByteMs"), m_firstByte->value());
    timeouts.insert(QStringLiteral("idleMs"), m_idle->value());
    after.insert(QStringLiteral("timeouts"), timeouts);
    after.insert(QStringLiteral("dailyReset"), m_dailyReset->text().trimmed());
    QJsonObject headers;
    for (int row = 0; row < m_headers->rowCount(); ++row) {
        const QString name
            = m_headers->item(row, 0) ? m_headers->item(row, 0)->text().trimmed() : QString();
        const QString value = m_headers->item(row, 1) ? m_headers->item(row, 1)->text() : QString();
        if (!name.isEmpty() || !value.isEmpty())
            headers.insert(name, value); // a nameless value is the relay's to explain
    }
    after.insert(QStringLiteral("headers"), headers);
    return ConfigEdit::mergeDiff(m_upstream, after);
}

void EditUpstreamDialog::validate()
{
    // What the window can tell as it is typed; the relay checks everything again on save.
    // In the words of the relay's own problems, so the window says the same either way.
    const auto show = [this](const char *field, bool ok, const char *code, QStringList args = {}) {
        m_problems.value(QString::fromLatin1(field))
            ->setProblem(ok ? QString()
                            : StateText::problem({ {}, QString::fromLatin1(code), args }));
        return ok;
    };
    const QString base = m_baseUrl->text().trimmed();
    bool ok = show("baseUrl", isValidBaseUrl(base), base.isEmpty() ? "required" : "invalid_url");
    const bool custom = m_proxy->currentData().toString() == u"custom";
    m_proxyUrl->setEnabled(custom);
    const QString proxy = m_proxyUrl->text().trimmed();
    ok = show("proxy", !custom || (proxy.contains(u':') && isValidProxy(proxy)), "invalid_proxy")
        && ok;
    DailyReset reset;
    ok = show("dailyReset", DailyReset::parse(m_dailyReset->text().trimmed(), &reset),
              "invalid_daily_reset")
        && ok;
    // Two rows of one name (HTTP names ignore case) would send one of them, silently.
    QSet<QString> names;
    QString repeated;
    for (int row = 0; row < m_headers->rowCount() && repeated.isEmpty(); ++row) {
        const QString name = m_headers->item(row, 0)
            ? m_headers->item(row, 0)->text().trimmed().toLower()
            : QString();
        if (!name.isEmpty() && names.contains(name))
            repeated = m_headers->item(row, 0)->text().trimmed();
        names.insert(name);
    }
    ok = show("headers", repeated.isEmpty(), "duplicate_header", { repeated }) && ok;
    saveButton()->setEnabled(ok);
    if (m_refused.refusal != ConfigEdit::Refusal::None || !m_refused.problems.isEmpty())
        showRelayProblems(); // on fields the window does not check itself
}

void EditUpstreamDialog::accept()
{
    const QJsonObject change = patch();
    if (change.isEmpty()) {
        QDialog::accept(); // nothing changed, nothing to save
        return;
    }
    m_refused = {};
    m_message->setProblem({});
    for (ProblemLabel *label : std::as_const(m_problems))
        label->setProblem({});
    validate();
    ConfigEdit edit;
    edit.op = ConfigEdit::Op::PatchUpstream;
    edit.upstreamId = m_upstream.value(u"id").toString();
    edit.value = change;
    m_buttons->setEnabled(false);
    m_saving = true;
    m_host.edit(edit, [self = QPointer(this)](const ConfigEditResult &r) {
        if (self)
            self->onSaved(r);
    });
}

void EditUpstreamDialog::reject()
{
    // Once sent, a change is the relay's: closing now would pretend it was dropped.
    if (!m_saving)
        QDialog::reject();
}

void EditUpstreamDialog::onSaved(const ConfigEditResult &r)
{
    m_buttons->setEnabled(true);
    m_saving = false;
    if (r.ok()) {
        Q_EMIT saved();
        QDialog::accept();
        return;
    }
    m_refused = r;
    showRelayProblems();
}

void EditUpstreamDialog::showRelayProblems()
{
    ConfigEditResult general = m_refused;
    general.problems.clear();
    for (const ConfigProblem &p : m_refused.problems) {
        // "upstreams[2].timeouts.idleMs" -> "timeouts.idleMs"; "headers.X-A" -> "headers"
        const qsizetype dot = p.path.indexOf(QStringLiteral("]."));
        QString field = dot < 0 ? QString() : p.path.mid(dot + 2);
        while (!field.isEmpty() && !m_problems.contains(field))
            field = field.left(std::max<qsizetype>(0, field.lastIndexOf(u'.')));
        ProblemLabel *label = m_problems.value(field);
        if (!label)
            general.problems.append(p);
        else if (label->text().isEmpty()) // the window's own check of the field is newer
            label->setProblem(StateText::problem(p));
    }
    m_message->setProblem(StateText::editResult(general));
}

void EditUpstreamDialog::retranslate()
{
    setWindowTitle(tr("Edit %1").arg(m_upstream.value(u"name").toString()));
    const QList<std::pair<const char *, QString>> labels {
        { "name", tr("Name") },
        { "type", tr("API format") },
        { "baseUrl", tr("Base URL") },
        { "priority", tr("Priority tier (lower is tried first)") },
        { "weight", tr("Weight") },
        { "proxy", tr("Proxy") },
        { "timeouts.connectMs", tr("Connect timeout") },
        { "timeouts.firstByteMs", tr("First byte timeout") },
        { "timeouts.idleMs", tr("Idle timeout in a stream") },
        { "dailyReset", tr("Daily limits reset at") },
        { "headers", tr("Extra headers") },
    };
    for (const auto &[field, text] : labels)
        m_rowLabels.value(QString::fromLatin1(field))->setText(text);
    m_proxy->setItemText(0, tr("System proxy"));
    m_proxy->setItemText(1, tr("No proxy"));
    m_proxy->setItemText(2, tr("Custom:"));
    m_proxyUrl->setPlaceholderText(QStringLiteral("http://127.0.0.1:7890"));
    m_dailyReset->setPlaceholderText(QStringLiteral("00:00 UTC"));
    m_headers->setHorizontalHeaderLabels({ tr("Header"), tr("Value") });
    m_addHeader->setText(tr("Add header"));
    m_removeHeader->setText(tr("Remove header"));
    saveButton()->setText(tr("Save"));
    m_buttons->button(QDialogButtonBox::Cancel)->setText(tr("Cancel"));
    validate(); // and what the relay said, in the new language
}

void EditUpstreamDialog::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::LanguageChange)
        retranslate();
    QDialog::changeEvent(event);
}

} // namespace relay
