#include "SettingsPage.h"

#include "ProblemLabel.h"
#include "StateText.h"
#include "secrets/KeyStore.h"
#include "service/RelayHost.h"

#include <QApplication>
#include <QCheckBox>
#include <QClipboard>
#include <QComboBox>
#include <QDesktopServices>
#include <QEvent>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QInputDialog>
#include <QLabel>
#include <QMessageBox>
#include <QPointer>
#include <QPushButton>
#include <QSpinBox>
#include <QUrl>
#include <QVBoxLayout>

namespace relay {

namespace {
QSpinBox *numberBox(int min, int max, QWidget *parent)
{
    auto *box = new QSpinBox(parent);
    box->setRange(min, max);
    box->setKeyboardTracking(false); // one change when the number is complete, not per digit
    return box;
}

// Where a field sits in the file, and the patch that sets it.
QJsonObject at(const QString &section, const QString &field, const QJsonValue &value)
{
    if (section.isEmpty())
        return { { field, value } };
    return { { section, QJsonObject { { field, value } } } };
}
} // namespace

SettingsPage::SettingsPage(RelayHost &host, QWidget *parent)
    : QWidget(parent)
    , m_host(host)
    , m_routingGroup(new QGroupBox(this))
    , m_networkGroup(new QGroupBox(this))
    , m_securityGroup(new QGroupBox(this))
    , m_dataGroup(new QGroupBox(this))
    , m_routing(new QFormLayout(m_routingGroup))
    , m_network(new QFormLayout(m_networkGroup))
    , m_security(new QFormLayout(m_securityGroup))
    , m_data(new QFormLayout(m_dataGroup))
    , m_strategy(new QComboBox(this))
    , m_attempts(numberBox(1, 20, this))
    , m_grace(numberBox(0, 3600, this))
    , m_port(numberBox(1, 65535, this))
    , m_lan(new QCheckBox(this))
    , m_lanWarning(new QLabel(this))
    , m_accessKey(new QLabel(this))
    , m_copyKey(new QPushButton(this))
    , m_regenerate(new QPushButton(this))
    , m_adminKey(new QLabel(this))
    , m_adminNew(new QPushButton(this))
    , m_adminOff(new QPushButton(this))
    , m_logLimit(numberBox(100, 10000000, this))
    , m_capture(new QCheckBox(this))
    , m_openFolder(new QPushButton(this))
{
    setObjectName(QStringLiteral("SettingsPage"));
    for (const char *s : { "round-robin", "random", "weighted", "priority", "least-inflight" })
        m_strategy->addItem(QString(), QString::fromLatin1(s));
    m_logLimit->setSingleStep(1000);
    m_lanWarning->setWordWrap(true);
    m_lanWarning->setStyleSheet(QStringLiteral("color: #b37d00"));

    const auto row = [this](QFormLayout *form, QWidget *field, const QString &path) {
        auto *box = new QVBoxLayout;
        box->addWidget(field);
        box->addWidget(problemLabel(path));
        auto *label = new QLabel(this);
        m_rowLabels.append(label);
        form->addRow(label, box);
    };
    row(m_routing, m_strategy, QStringLiteral("strategy"));
    row(m_routing, m_attempts, QStringLiteral("retry.maxAttempts"));
    row(m_routing, m_grace, QStringLiteral("shutdownGraceSeconds"));
    row(m_network, m_port, QStringLiteral("listen.port"));
    row(m_network, m_lan, QStringLiteral("listen.address"));
    m_network->addRow(m_lanWarning);
    auto *key = new QHBoxLayout;
    key->addWidget(m_accessKey, 1);
    key->addWidget(m_copyKey);
    key->addWidget(m_regenerate);
    auto *keyLabel = new QLabel(this);
    m_rowLabels.append(keyLabel);
    m_security->addRow(keyLabel, key);
    auto *admin = new QHBoxLayout;
    admin->addWidget(m_adminKey, 1);
    admin->addWidget(m_adminNew);
    admin->addWidget(m_adminOff);
    auto *adminLabel = new QLabel(this);
    m_rowLabels.append(adminLabel);
    m_security->addRow(adminLabel, admin);
    row(m_data, m_logLimit, QStringLiteral("store.requestLogLimit"));
    row(m_data, m_capture, QStringLiteral("store.captureBodies"));
    m_data->addRow(m_openFolder);

    auto *layout = new QVBoxLayout(this);
    for (QGroupBox *g : { m_routingGroup, m_networkGroup, m_securityGroup, m_dataGroup })
        layout->addWidget(g);
    layout->addStretch();

    connect(m_strategy, &QComboBox::activated, this, [this] {
        change(QStringLiteral("strategy"),
               at({}, QStringLiteral("strategy"), m_strategy->currentData().toString()));
    });
    connect(m_attempts, &QSpinBox::valueChanged, this, [this](int v) {
        change(QStringLiteral("retry.maxAttempts"),
               at(QStringLiteral("retry"), QStringLiteral("maxAttempts"), v));
    });
    connect(m_grace, &QSpinBox::valueChanged, this, [this](int v) {
        change(QStringLiteral("shutdownGraceSeconds"),
               at({}, QStringLiteral("shutdownGraceSeconds"), v));
    });
    connect(m_port, &QSpinBox::valueChanged, this, [this](int v) {
        change(QStringLiteral("listen.port"),
               at(QStringLiteral("listen"), QStringLiteral("port"), v));
    });
    connect(m_lan, &QCheckBox::clicked, this, [this](bool on) {
        change(QStringLiteral("listen.address"),
               at(QStringLiteral("listen"), QStringLiteral("address"),
                  on ? QStringLiteral("0.0.0.0") : QStringLiteral("127.0.0.1")));
    });
    connect(m_logLimit, &QSpinBox::valueChanged, this, [this](int v) {
        change(QStringLiteral("store.requestLogLimit"),
               at(QStringLiteral("store"), QStringLiteral("requestLogLimit"), v));
    });
    connect(m_capture, &QCheckBox::clicked, this, [this](bool on) {
        change(QStringLiteral("store.captureBodies"),
               at(QStringLiteral("store"), QStringLiteral("captureBodies"), on));
    });
    connect(m_copyKey, &QPushButton::clicked, this, [this] {
        m_host.fetchAccessKey([this](const QString &k) {
            QApplication::clipboard()->setText(k);
            Q_EMIT copied(tr("Access key copied"));
        });
    });
    connect(m_regenerate, &QPushButton::clicked, this, &SettingsPage::regenerateAccessKey);
    connect(m_adminNew, &QPushButton::clicked, this, &SettingsPage::newAdminKey);
    connect(m_adminOff, &QPushButton::clicked, this, &SettingsPage::removeAdminKey);
    connect(m_openFolder, &QPushButton::clicked, this, [this] {
        QDesktopServices::openUrl(QUrl::fromLocalFile(m_host.snapshot().dataFolder));
    });
    connect(&m_host, &RelayHost::snapshotReady, this, [this](const RelaySnapshot &s) {
        m_accessKey->setText(s.accessKeyHint);
        showAdminKeyState();
        m_openFolder->setEnabled(!s.dataFolder.isEmpty());
    });
    retranslate();
    setConfig(host.config());
}

QLabel *SettingsPage::problemLabel(const QString &path)
{
    auto *label = new ProblemLabel(this);
    m_problems.insert(path, label);
    return label;
}

void SettingsPage::setConfig(const QJsonObject &config)
{
    m_config = config;
    const QSignalBlocker blockers[]
        = { QSignalBlocker(m_strategy), QSignalBlocker(m_attempts), QSignalBlocker(m_grace),
            QSignalBlocker(m_port),     QSignalBlocker(m_lan),      QSignalBlocker(m_logLimit),
            QSignalBlocker(m_capture) };
    const QJsonObject listen = config.value(u"listen").toObject();
    const QJsonObject retry = config.value(u"retry").toObject();
    const QJsonObject store = config.value(u"store").toObject();
    m_strategy->setCurrentIndex(std::max(
        0,
        m_strategy->findData(config.value(u"strategy").toString(QStringLiteral("round-robin")))));
    m_attempts->setValue(retry.value(u"maxAttempts").toInt(3));
    m_grace->setValue(config.value(u"shutdownGraceSeconds").toInt(10));
    m_port->setValue(listen.value(u"port").toInt(17635));
    const bool lan = listen.value(u"address").toString() == u"0.0.0.0";
    m_lan->setChecked(lan);
    m_lanWarning->setVisible(lan);
    m_logLimit->setValue(store.value(u"requestLogLimit").toInt(10000));
    m_capture->setChecked(store.value(u"captureBodies").toBool());
}

void SettingsPage::change(const QString &path, const QJsonObject &patch)
{
    ConfigEdit edit;
    edit.op = ConfigEdit::Op::MergeSettings;
    edit.value = patch;
    m_host.edit(edit, [this, path](const ConfigEditResult &r) {
        for (QLabel *label : std::as_const(m_problems))
            label->hide();
        QLabel *own = m_problems.value(path);
        for (const ConfigProblem &p : r.problems) {
            QLabel *label = m_problems.value(p.path, own);
            label->setText(StateText::problem(p));
            label->show();
        }
        if (!r.ok())
            setConfig(m_host.config()); // back to what is saved: nothing was changed
    });
}

void SettingsPage::regenerateAccessKey()
{
    if (QMessageBox::question(this, tr("New access key"),
                              tr("Make a new access key? The old one stops working at once: every "
                                 "client needs the new one."))
        != QMessageBox::Yes)
        return;
    m_regenerate->setEnabled(false); // one key at a time: a second would void the first
    m_host.rotateKey(KeyStore::accessKeyRef(),
                     [self = QPointer(this)](const QString &key, const QString &error) {
                         if (!self)
                             return;
                         self->m_regenerate->setEnabled(true);
                         self->showNewKey(tr("New access key"),
                                          tr("Your new access key, shown this once. Copy it "
                                             "into your clients:"),
                                          key, error);
                     });
}

void SettingsPage::newAdminKey()
{
    if (!m_host.snapshot().adminKeyHint.isEmpty()
        && QMessageBox::question(this, tr("New admin key"),
                                 tr("Make a new admin key? The old one stops working at once: "
                                    "scripts that use the management API need the new one."))
            != QMessageBox::Yes)
        return;
    m_adminPending = true;
    showAdminKeyState();
    m_host.rotateKey(KeyStore::adminKeyRef(),
                     [self = QPointer(this)](const QString &key, const QString &error) {
                         if (!self)
                             return;
                         self->m_adminPending = false;
                         self->showAdminKeyState();
                         self->showNewKey(tr("New admin key"),
                                          tr("The management API (/admin/) is on. Your admin "
                                             "key, shown this once; send it as "
                                             "\"Authorization: Bearer <key>\":"),
                                          key, error);
                     });
}

void SettingsPage::removeAdminKey()
{
    if (QMessageBox::question(this, tr("Turn off the management API"),
                              tr("Delete the admin key? /admin/ then answers 404 until a new key "
                                 "is made."))
        != QMessageBox::Yes)
        return;
    m_adminPending = true;
    showAdminKeyState();
    m_host.removeAdminKey([self = QPointer(this)](const QString &error) {
        if (!self)
            return;
        self->m_adminPending = false;
        self->showAdminKeyState();
        if (!error.isEmpty())
            QMessageBox::warning(self, tr("Turn off the management API"), error);
    });
}

void SettingsPage::showNewKey(const QString &title, const QString &text, const QString &key,
                              const QString &error)
{
    if (!error.isEmpty()) {
        QMessageBox::warning(this, title, error);
        return;
    }
    // Shown this once, to copy; the dialog (and the key in it) is deleted when it closes.
    auto *dialog = new QInputDialog(this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->setObjectName(QStringLiteral("ShowOnceDialog"));
    dialog->setWindowTitle(title);
    dialog->setLabelText(text);
    dialog->setTextValue(key);
    dialog->open();
}

void SettingsPage::showAdminKeyState()
{
    const RelaySnapshot &s = m_host.snapshot();
    const QString &hint = s.adminKeyHint;
    m_adminKey->setText(
        s.adminKeyFromEnvironment
            ? tr("On, admin key %1 from RELAY_ADMIN_KEY (change it there)").arg(hint)
            : hint.isEmpty() ? tr("Off (no admin key)")
                             : tr("On, admin key %1").arg(hint));
    m_adminNew->setText(hint.isEmpty() ? tr("Turn on…") : tr("New key…"));
    m_adminOff->setText(tr("Turn off…"));
    m_adminNew->setEnabled(!m_adminPending && !s.adminKeyFromEnvironment);
    m_adminOff->setEnabled(!m_adminPending && !s.adminKeyFromEnvironment && !hint.isEmpty());
}

void SettingsPage::retranslate()
{
    m_routingGroup->setTitle(tr("Routing"));
    m_networkGroup->setTitle(tr("Network"));
    m_securityGroup->setTitle(tr("Security"));
    m_dataGroup->setTitle(tr("Data"));
    const QStringList strategies { tr("Round robin"), tr("Random"), tr("Weighted"),
                                   tr("Priority (first healthy)"), tr("Fewest in flight") };
    for (int i = 0; i < strategies.size(); ++i)
        m_strategy->setItemText(i, strategies.at(i));
    // In the order the rows were made.
    const QStringList labels { tr("Strategy"),
                               tr("Attempts per request"),
                               tr("Grace at quit (s)"),
                               tr("Port"),
                               QString(),
                               tr("Access key"),
                               tr("Management API"),
                               tr("Requests kept in the log"),
                               QString() };
    for (qsizetype i = 0; i < m_rowLabels.size() && i < labels.size(); ++i)
        m_rowLabels.at(i)->setText(labels.at(i));
    m_lan->setText(tr("Allow other computers on the local network"));
    m_lanWarning->setText(tr("Anyone on your network who has the access key can use your "
                             "upstream keys. Turn this on only on a network you trust."));
    m_copyKey->setText(tr("Copy"));
    m_regenerate->setText(tr("Regenerate…"));
    m_capture->setText(tr("Keep request and answer bodies (for debugging; secrets redacted)"));
    m_openFolder->setText(tr("Open the data folder"));
    showAdminKeyState();
}

void SettingsPage::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::LanguageChange)
        retranslate();
    QWidget::changeEvent(event);
}

} // namespace relay
