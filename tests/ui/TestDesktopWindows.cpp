#include "LanguageManager.h"
#include "RelayTestCase.h"
#include "dashboard/ConnectPage.h"
#include "dashboard/MainWindow.h"
#include "dashboard/RequestsPage.h"
#include "dashboard/StatusPage.h"
#include "service/RelayHost.h"
#include "settings/AddUpstreamDialog.h"
#include "settings/EditUpstreamDialog.h"
#include "settings/KeysPanel.h"
#include "settings/ModelsDialog.h"
#include "settings/ProblemLabel.h"
#include "settings/SettingsPage.h"
#include "settings/UpstreamsPage.h"

#include <QAbstractButton>
#include <QApplication>
#include <QCheckBox>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QDir>
#include <QInputDialog>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QMessageBox>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QRegularExpression>
#include <QSpinBox>
#include <QTabWidget>
#include <QTableWidget>
#include <QTcpServer>
#include <QTimer>
#include <QtTest>

using namespace relay;
using namespace relay::test;

// The real windows (offscreen) on a real relay in its own thread, against the fake upstream:
// the first-run wizard, pause and resume, validation next to the field, the live status page,
// switching language, and screenshots of every page in both languages.
class TestDesktopWindows : public RelayTestCase
{
    Q_OBJECT
private Q_SLOTS:
    void init();
    void cleanup();
    void testWizard_addsUpstreamWithKeysInTheKeyStore();
    void testPauseResume_fromTheStatusPage();
    void testInvalidBaseUrl_explainedNextToTheFieldNothingSaved();
    void testStatusAndRequestsPages_reflectRequests();
    void testLanguageSwitch_retranslatesEveryVisibleText();
    void testKeysPanel_pasteToggleLimitsAndTestAll();
    void testSettings_appliedSavedAndProblemsUnderTheField();
    void testModels_fetchChooseMapAndRouted();
    void testEditUpstream_checkedAsTypedSavedAndSent();
    void testAdminKey_turnedOnShownOnceAndOff();
    void testAdminKey_fromTheEnvironmentNotChangedHere();

private:
    bool startHost(const QJsonArray &upstreams);
    QStringList visibleTexts(QWidget *root) const;
    // The first of `english` still shown in `chinese` (names and URLs aside), or nothing.
    static QString untranslated(const QStringList &english, const QStringList &chinese);
    void screenshot(QWidget *widget, const QString &name) const;
    QByteArray readConfig() const;
    // A chat request through the relay (on `port`, or where it listens now): its status.
    int chat(const QString &model, quint16 port = 0) const;
    // The upstreams page with its only upstream selected.
    bool showOnlyUpstream();

    std::unique_ptr<LanguageManager> m_languages;
    std::unique_ptr<RelayHost> m_host;
    std::unique_ptr<MainWindow> m_window;
};

void TestDesktopWindows::init()
{
    RelayTestCase::init();
    m_languages = std::make_unique<LanguageManager>();
    m_languages->apply(QStringLiteral("en"), false);
}

void TestDesktopWindows::cleanup()
{
    m_window.reset();
    m_host.reset();
    m_languages.reset();
    RelayTestCase::cleanup();
}

bool TestDesktopWindows::startHost(const QJsonArray &upstreams)
{
    if (!m_relay->writeConfig(RelayFixture::config(upstreams)))
        return false;
    RelayService::Options options = m_relay->options();
    options.configPath = m_relay->configPath();
    options.portOverride = 0;
    m_host = std::make_unique<RelayHost>(options);
    QSignalSpy started(m_host.get(), &RelayHost::started);
    m_host->start();
    if (!started.wait(10000))
        return false;
    m_window = std::make_unique<MainWindow>(*m_host, *m_languages);
    m_window->show();
    return QTest::qWaitFor([this] { return m_host->snapshot().port != 0; }, 10000)
        && QTest::qWaitForWindowExposed(m_window.get());
}

QByteArray TestDesktopWindows::readConfig() const
{
    QFile f(m_relay->configPath());
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

int TestDesktopWindows::chat(const QString &model, quint16 port) const
{
    TestResponse response;
    response.send(port ? port : m_host->snapshot().port, "POST", "/v1/chat/completions",
                  { { "Authorization", QByteArray("Bearer ") + RelayFixture::kAccessKey },
                    { "Content-Type", "application/json" } },
                  chatBody(model, false));
    return RelayFixture::wait(&response) ? response.status : -1;
}

bool TestDesktopWindows::showOnlyUpstream()
{
    m_window->showPage(MainWindow::Upstreams);
    if (!QTest::qWaitFor([this] { return m_window->upstreamsPage()->table()->rowCount() == 1; }))
        return false;
    m_window->upstreamsPage()->table()->selectRow(0);
    return true;
}

void TestDesktopWindows::screenshot(QWidget *widget, const QString &name) const
{
    const QString dir = qEnvironmentVariable("RELAY_SCREENSHOT_DIR");
    if (dir.isEmpty())
        return;
    QDir().mkpath(dir);
    const QString path = dir + u'/' + name + QStringLiteral(".png");
    QVERIFY2(widget->grab().save(path), qPrintable(path));
}

QStringList TestDesktopWindows::visibleTexts(QWidget *root) const
{
    QStringList texts;
    for (QWidget *w : root->findChildren<QWidget *>()) {
        if (!w->isVisibleTo(root))
            continue;
        if (auto *l = qobject_cast<QLabel *>(w))
            texts.append(l->text());
        else if (auto *b = qobject_cast<QAbstractButton *>(w))
            texts.append(b->text());
        else if (auto *list = qobject_cast<QListWidget *>(w))
            for (int i = 0; i < list->count(); ++i)
                texts.append(list->item(i)->text());
        else if (auto *tabs = qobject_cast<QTabWidget *>(w))
            for (int i = 0; i < tabs->count(); ++i)
                texts.append(tabs->tabText(i));
        else if (auto *edit = qobject_cast<QLineEdit *>(w))
            texts.append(edit->placeholderText());
    }
    texts.append(root->windowTitle());
    return texts;
}

void TestDesktopWindows::testWizard_addsUpstreamWithKeysInTheKeyStore()
{
    QVERIFY(startHost({}));
    m_a->setDefaultFault("sk-wizard-key-0001",
                         Fault::httpStatus(200, R"({"data":[{"id":"w-chat"},{"id":"w-fast"}]})"));
    m_a->setDefaultFault("sk-wizard-key-0002",
                         Fault::httpStatus(200, R"({"data":[{"id":"w-chat"}]})"));
    AddUpstreamDialog dialog(*m_host, *m_languages, true, m_window.get());
    QSignalSpy saved(&dialog, &AddUpstreamDialog::saved);
    dialog.show();
    QVERIFY(QTest::qWaitForWindowExposed(&dialog));
    dialog.presetBox()->setCurrentIndex(dialog.presetBox()->findData(QStringLiteral("custom")));
    dialog.baseUrlEdit()->setText(m_a->baseUrl().toString());
    // Pasted as users paste: blank lines and a repeat.
    dialog.keysEdit()->setPlainText(
        QStringLiteral("sk-wizard-key-0001\n\n  sk-wizard-key-0002 \nsk-wizard-key-0001\n"));
    screenshot(&dialog, QStringLiteral("wizard-en"));
    QVERIFY(dialog.testButton()->isEnabled());
    QTest::mouseClick(dialog.testButton(), Qt::LeftButton);
    QCOMPARE(dialog.resultsTable()->rowCount(), 2);
    QTRY_COMPARE_WITH_TIMEOUT(dialog.resultsTable()->item(1, 1)->text(), QStringLiteral("valid"),
                              10000);
    QTRY_COMPARE(dialog.resultsTable()->item(0, 1)->text(), QStringLiteral("valid"));
    QCOMPARE(dialog.resultsTable()->item(0, 0)->text(), QStringLiteral("…0001"));
    QCOMPARE(dialog.resultsTable()->item(0, 3)->text(), QStringLiteral("2 model(s)"));
    screenshot(&dialog, QStringLiteral("wizard-tested-en"));
    QMetaObject::invokeMethod(&dialog, &QDialog::accept);
    QVERIFY(saved.wait(10000));
    QVERIFY(dialog.keysEdit()->toPlainText().isEmpty()); // the window lets go of the keys

    const QByteArray config = readConfig();
    QVERIFY(!config.contains("sk-wizard-key")); // secrets went to the key store, not the file
    const QJsonArray upstreams = QJsonDocument::fromJson(config)["upstreams"].toArray();
    QCOMPARE(upstreams.size(), 1);
    const QJsonArray keys = upstreams.at(0)["keys"].toArray();
    QCOMPARE(keys.size(), 2);
    QCOMPARE(keys.at(0)["hint"].toString(), QStringLiteral("0001"));
    QCOMPARE(upstreams.at(0)["models"].toArray(), (QJsonArray { "w-chat", "w-fast", "*" }));
    // ...and the relay uses them, read back from the key store.
    m_a->setDefaultFault("sk-wizard-key-0001", Fault::ok());
    m_a->setDefaultFault("sk-wizard-key-0002", Fault::ok());
    QTRY_COMPARE_WITH_TIMEOUT(m_host->snapshot().state, RelayState::Healthy, 10000);
    QCOMPARE(chat(QStringLiteral("w-chat")), 200);
    QVERIFY(m_a->keysUsed().constLast().startsWith("sk-wizard-key-000"));
}

void TestDesktopWindows::testPauseResume_fromTheStatusPage()
{
    QVERIFY(startHost({ RelayFixture::upstream("a", *m_a, 1) }));
    const quint16 port = m_host->snapshot().port;
    QPushButton *button = nullptr;
    for (QPushButton *b : m_window->statusPage()->findChildren<QPushButton *>()) {
        if (b->text() == u"Pause")
            button = b;
    }
    QVERIFY(button);
    QTest::mouseClick(button, Qt::LeftButton);
    QTRY_COMPARE_WITH_TIMEOUT(m_host->snapshot().state, RelayState::Paused, 10000);
    QVERIFY(RelayFixture::portRefused(port));
    QTRY_COMPARE(button->text(), QStringLiteral("Resume"));
    screenshot(m_window.get(), QStringLiteral("status-paused-en"));
    QTest::mouseClick(button, Qt::LeftButton);
    QTRY_COMPARE_WITH_TIMEOUT(m_host->snapshot().state, RelayState::Healthy, 10000);
    QCOMPARE(chat(QStringLiteral("m"), port), 200);
}

void TestDesktopWindows::testInvalidBaseUrl_explainedNextToTheFieldNothingSaved()
{
    QVERIFY(startHost({ RelayFixture::upstream("a", *m_a, 1) }));
    const QByteArray before = readConfig();
    AddUpstreamDialog dialog(*m_host, *m_languages, false, m_window.get());
    dialog.show();
    QVERIFY(QTest::qWaitForWindowExposed(&dialog));
    dialog.baseUrlEdit()->clear();
    QTest::keyClicks(dialog.baseUrlEdit(), QStringLiteral("ftp:/nowhere"));
    QVERIFY(dialog.baseUrlProblem()->isVisible());
    QCOMPARE(dialog.baseUrlProblem()->text(),
             QStringLiteral("Not a URL; write it like https://api.openai.com/v1"));
    screenshot(&dialog, QStringLiteral("add-upstream-invalid-en"));
    auto *save = dialog.findChild<QDialogButtonBox *>()->button(QDialogButtonBox::Save);
    QVERIFY(!save->isEnabled()); // nothing to send while the field says what is wrong
    // Fixed as typed: the explanation goes away.
    dialog.baseUrlEdit()->setText(m_b->baseUrl().toString());
    QVERIFY(!dialog.baseUrlProblem()->isVisible());
    QVERIFY(save->isEnabled());
    QCOMPARE(readConfig(), before);
}

void TestDesktopWindows::testStatusAndRequestsPages_reflectRequests()
{
    QVERIFY(startHost({ RelayFixture::upstream("a", *m_a, 2) }));
    m_a->setDefaultFault("sk-secret-a-k2",
                         Fault::httpStatus(429, {}, { { "retry-after", "120" } }));
    for (int i = 0; i < 3; ++i) {
        QCOMPARE(chat(QStringLiteral("gpt-test")), 200);
    }
    QTRY_COMPARE_WITH_TIMEOUT(m_host->snapshot().today.requests, qint64(3), 10000);
    QStringList texts;
    QTRY_VERIFY_WITH_TIMEOUT((texts = visibleTexts(m_window->statusPage())).contains(u"3 requests"),
                             10000);
    QVERIFY(texts.contains(u"100.0% succeeded"));
    QVERIFY2(texts.join(u' ').contains(u"1 of 2 keys cannot be used now"),
             qPrintable(texts.join(u'|')));
    screenshot(m_window.get(), QStringLiteral("status-live-en"));
    m_window->showPage(MainWindow::Requests);
    QTRY_COMPARE(m_window->requestsPage()->visibleRows(), 3);
    screenshot(m_window.get(), QStringLiteral("requests-en"));
}

void TestDesktopWindows::testLanguageSwitch_retranslatesEveryVisibleText()
{
    QVERIFY(startHost({ RelayFixture::upstream("a", *m_a, 1) }));
    QTRY_COMPARE_WITH_TIMEOUT(m_host->snapshot().state, RelayState::Healthy, 10000);
    const QStringList names { "status", "requests", "upstreams", "connect", "settings" };
    for (const QString &language : { QStringLiteral("en"), QStringLiteral("zh_CN") }) {
        m_languages->apply(language, false);
        QCoreApplication::processEvents();
        for (int page = 0; page < MainWindow::PageCount; ++page) {
            m_window->showPage(MainWindow::Page(page));
            QCoreApplication::processEvents();
            screenshot(m_window.get(), names.at(page) + u'-' + language);
        }
    }
    m_languages->apply(QStringLiteral("en"), false);
    QCoreApplication::processEvents();
    QHash<int, QStringList> english;
    for (int page = 0; page < MainWindow::PageCount; ++page) {
        m_window->showPage(MainWindow::Page(page));
        english.insert(page, visibleTexts(m_window.get()));
    }
    m_languages->apply(QStringLiteral("zh_CN"), false);
    QCoreApplication::processEvents();
    for (int page = 0; page < MainWindow::PageCount; ++page) {
        m_window->showPage(MainWindow::Page(page));
        const QString left = untranslated(english.value(page), visibleTexts(m_window.get()));
        QVERIFY2(left.isEmpty(),
                 qPrintable(QStringLiteral("still in English on page %1 after switching: \"%2\"")
                                .arg(page)
                                .arg(left)));
    }

    // The dialogs too, open while the language changes.
    m_languages->apply(QStringLiteral("en"), false);
    QVERIFY(showOnlyUpstream());
    auto *add = new AddUpstreamDialog(*m_host, *m_languages, false, m_window.get());
    add->setAttribute(Qt::WA_DeleteOnClose);
    add->show();
    const QList<std::pair<QString, QDialog *>> dialogs {
        { QStringLiteral("add-upstream"), add },
        { QStringLiteral("edit-upstream"), m_window->upstreamsPage()->openEdit() },
        { QStringLiteral("models"), m_window->upstreamsPage()->openModels() },
    };
    QHash<QString, QStringList> dialogEnglish;
    for (const auto &[name, dialog] : dialogs) {
        QVERIFY2(dialog, qPrintable(name));
        dialogEnglish.insert(name, visibleTexts(dialog));
    }
    m_languages->apply(QStringLiteral("zh_CN"), false);
    QCoreApplication::processEvents();
    for (const auto &[name, dialog] : dialogs) {
        const QString left = untranslated(dialogEnglish.value(name), visibleTexts(dialog));
        QVERIFY2(
            left.isEmpty(),
            qPrintable(
                QStringLiteral("still in English in %1 after switching: \"%2\"").arg(name, left)));
        screenshot(dialog, name + QStringLiteral("-zh_CN"));
        dialog->close();
    }
    m_languages->apply(QStringLiteral("en"), false);
}

QString TestDesktopWindows::untranslated(const QStringList &english, const QStringList &chinese)
{
    static const QRegularExpression kWords(QStringLiteral("[A-Za-z]{3,}"));
    // Names and formats that stay as they are in every language.
    static const QStringList kKept { "ChatBox", "Cherry Studio", "OpenCat",    "Claude Code",
                                     "Codex",   "Gemini CLI",    "OpenAI SDK", "Anthropic SDK",
                                     "English", "LLM Relay",     "00:00 UTC" };
    for (const QString &text : english) {
        if (!kWords.match(text).hasMatch() || kKept.contains(text) || text.startsWith(u"http")
            || text.startsWith(u"…"))
            continue;
        if (chinese.contains(text))
            return text;
    }
    return {};
}

// Power users' keys: many pasted at once onto an upstream, one disabled, a limit set, all
// tested; each change saved by the relay (the file shows it) and no secret shown or kept.
void TestDesktopWindows::testKeysPanel_pasteToggleLimitsAndTestAll()
{
    QVERIFY(startHost({ RelayFixture::upstream("a", *m_a, 1) }));
    m_window->showPage(MainWindow::Upstreams);
    KeysPanel *panel = m_window->upstreamsPage()->keysPanel();
    QTRY_COMPARE(panel->table()->rowCount(), 1);
    panel->pasteBox()->setPlainText(
        QStringLiteral("sk-pasted-key-0001\nsk-pasted-key-0001\n\nsk-pasted-key-0002\n"));
    QVERIFY(panel->addButton()->isEnabled());
    QTest::mouseClick(panel->addButton(), Qt::LeftButton);
    QTRY_COMPARE_WITH_TIMEOUT(panel->table()->rowCount(), 3, 10000);
    QVERIFY(panel->pasteBox()->toPlainText().isEmpty());
    QCOMPARE(panel->table()->item(2, KeysPanel::Key)->text(), QStringLiteral("…0002"));
    QByteArray config = readConfig();
    QVERIFY(!config.contains("sk-pasted-key"));

    auto *enabled = qobject_cast<QCheckBox *>(panel->table()->cellWidget(0, KeysPanel::Enabled));
    QVERIFY(enabled);
    enabled->click();
    QTRY_VERIFY_WITH_TIMEOUT(
        !QJsonDocument::fromJson(readConfig())["upstreams"][0]["keys"][0]["enabled"].toBool(true),
        10000);
    auto *rpm = qobject_cast<QSpinBox *>(panel->table()->cellWidget(1, KeysPanel::Rpm));
    QVERIFY(rpm);
    rpm->setValue(30);
    QTRY_COMPARE_WITH_TIMEOUT(
        QJsonDocument::fromJson(readConfig())["upstreams"][0]["keys"][1]["limits"]["rpm"].toInt(),
        30, 10000);

    m_a->setDefaultFault("sk-pasted-key-0002", Fault::httpStatus(401, R"({"error":"revoked"})"));
    QTRY_VERIFY(panel->testAllButton()->isEnabled());
    QTest::mouseClick(panel->testAllButton(), Qt::LeftButton);
    QTRY_VERIFY_WITH_TIMEOUT(panel->table()->item(2, KeysPanel::Test)->text().startsWith(u"failed"),
                             10000);
    QTRY_VERIFY(panel->table()->item(1, KeysPanel::Test)->text().startsWith(u"valid"));
    QVERIFY(!panel->table()->item(2, KeysPanel::Test)->text().contains(u"sk-pasted"));
    screenshot(m_window.get(), QStringLiteral("keys-en"));
}

// Settings change as they are made: saved and live; a port the relay cannot open is explained
// under the field and nothing is saved.
void TestDesktopWindows::testSettings_appliedSavedAndProblemsUnderTheField()
{
    QVERIFY(startHost({ RelayFixture::upstream("a", *m_a, 1) }));
    m_window->showPage(MainWindow::Settings);
    SettingsPage *page = m_window->settingsPage();
    page->strategyBox()->setCurrentIndex(page->strategyBox()->findData(QStringLiteral("random")));
    Q_EMIT page->strategyBox()->activated(page->strategyBox()->currentIndex());
    QTRY_COMPARE_WITH_TIMEOUT(QJsonDocument::fromJson(readConfig())["strategy"].toString(),
                              QStringLiteral("random"), 10000);
    page->captureBox()->click();
    QTRY_VERIFY_WITH_TIMEOUT(
        QJsonDocument::fromJson(readConfig())["store"]["captureBodies"].toBool(), 10000);
    QTcpServer blocker;
    QVERIFY(blocker.listen(QHostAddress::LocalHost));
    const QByteArray before = readConfig();
    page->portBox()->setValue(blocker.serverPort());
    QLabel *problem = page->problemFor(QStringLiteral("listen.port"));
    QVERIFY(problem);
    QTRY_VERIFY_WITH_TIMEOUT(problem->isVisible(), 10000);
    QVERIFY2(problem->text().contains(QString::number(blocker.serverPort())),
             qPrintable(problem->text()));
    QCOMPARE(readConfig(), before);
    QTRY_VERIFY(page->portBox()->value() != blocker.serverPort()); // back to what is saved
    screenshot(m_window.get(), QStringLiteral("settings-problem-en"));
}

// The provider's model list fetched with a saved key, one model chosen, a client name mapped to
// it: saved on the upstream, and a request for the client name reaches the upstream as its own.
void TestDesktopWindows::testModels_fetchChooseMapAndRouted()
{
    QVERIFY(startHost({ RelayFixture::upstream("a", *m_a, 1) }));
    QVERIFY(showOnlyUpstream());
    ModelsDialog *dialog = m_window->upstreamsPage()->openModels();
    QVERIFY(dialog);
    QSignalSpy saved(dialog, &ModelsDialog::saved);
    m_a->script("sk-secret-a-k1",
                { Fault::httpStatus(200, R"({"data":[{"id":"m-two"},{"id":"m-one"}]})") });
    QTest::mouseClick(dialog->fetchButton(), Qt::LeftButton);
    QTRY_COMPARE_WITH_TIMEOUT(dialog->modelList()->count(), 2, 10000);
    QCOMPARE(dialog->modelList()->item(0)->text(), QStringLiteral("m-one"));
    dialog->modelList()->item(0)->setCheckState(Qt::Checked);
    dialog->everyModelBox()->setChecked(false);
    dialog->mapTable()->insertRow(0);
    dialog->mapTable()->setItem(0, 0, new QTableWidgetItem(QStringLiteral("gpt-4o")));
    dialog->mapTable()->setItem(0, 1, new QTableWidgetItem(QStringLiteral("m-one")));
    screenshot(dialog, QStringLiteral("models-en"));
    QMetaObject::invokeMethod(dialog, &QDialog::accept);
    QVERIFY(saved.wait(10000));
    const QJsonObject upstream = QJsonDocument::fromJson(readConfig())["upstreams"][0].toObject();
    QCOMPARE(upstream["models"].toArray(), QJsonArray { "m-one" });
    QCOMPARE(upstream["modelMap"].toObject(), (QJsonObject { { "gpt-4o", "m-one" } }));
    QCOMPARE(chat(QStringLiteral("gpt-4o")), 200);
    QCOMPARE(QJsonDocument::fromJson(m_a->requests().constLast().body)["model"].toString(),
             QStringLiteral("m-one"));
}

// Every field of an upstream edited in the window: what the window can check is explained as it
// is typed and keeps Save off; what only the relay checks comes back next to its field with
// nothing saved; once fixed, every field is in the file, the keys untouched, and the new header
// reaches the upstream.
void TestDesktopWindows::testEditUpstream_checkedAsTypedSavedAndSent()
{
    QVERIFY(startHost({ RelayFixture::upstream("a", *m_a, 1) }));
    QVERIFY(showOnlyUpstream());
    EditUpstreamDialog *dialog = m_window->upstreamsPage()->openEdit();
    QVERIFY(dialog);
    const QString baseUrl = dialog->baseUrlEdit()->text();
    QVERIFY(baseUrl.startsWith(u"http://127.0.0.1:"));
    QVERIFY(dialog->patch().isEmpty()); // opened, nothing changed

    dialog->baseUrlEdit()->setText(QStringLiteral("api.example.com/v1"));
    dialog->proxyBox()->setCurrentIndex(dialog->proxyBox()->findData(QStringLiteral("custom")));
    dialog->proxyUrlEdit()->setText(QStringLiteral("127.0.0.1"));
    dialog->dailyResetEdit()->setText(QStringLiteral("25:00 Mars/Olympus"));
    for (const char *field : { "baseUrl", "proxy", "dailyReset" })
        QVERIFY2(dialog->problemFor(QString::fromLatin1(field))->isVisibleTo(dialog), field);
    QVERIFY(!dialog->saveButton()->isEnabled());
    screenshot(dialog, QStringLiteral("edit-upstream-problems-en"));
    dialog->baseUrlEdit()->setText(baseUrl);
    dialog->proxyBox()->setCurrentIndex(dialog->proxyBox()->findData(QStringLiteral("none")));
    dialog->dailyResetEdit()->setText(QStringLiteral("00:00 America/Los_Angeles"));
    for (const char *field : { "baseUrl", "proxy", "dailyReset" })
        QVERIFY2(!dialog->problemFor(QString::fromLatin1(field))->isVisibleTo(dialog), field);
    QVERIFY(dialog->saveButton()->isEnabled());

    const QByteArray before = readConfig();
    QSignalSpy saved(dialog, &EditUpstreamDialog::saved);
    dialog->headersTable()->insertRow(0);
    dialog->headersTable()->setItem(0, 0, new QTableWidgetItem(QStringLiteral("X Team")));
    dialog->headersTable()->setItem(0, 1, new QTableWidgetItem(QStringLiteral("research")));
    QMetaObject::invokeMethod(dialog, &QDialog::accept);
    ProblemLabel *headerProblem = dialog->problemFor(QStringLiteral("headers"));
    QTRY_VERIFY_WITH_TIMEOUT(headerProblem->isVisibleTo(dialog), 10000);
    QVERIFY2(headerProblem->text().contains(u"X Team"), qPrintable(headerProblem->text()));
    QCOMPARE(readConfig(), before);
    QCOMPARE(saved.count(), 0);

    // Two rows of one name (in any case) keep Save off: one of them would be dropped.
    dialog->headersTable()->item(0, 0)->setText(QStringLiteral("X-Team"));
    dialog->headersTable()->insertRow(1);
    dialog->headersTable()->setItem(1, 0, new QTableWidgetItem(QStringLiteral("x-team")));
    QVERIFY(!dialog->saveButton()->isEnabled());
    QVERIFY(headerProblem->text().contains(u"twice"));
    dialog->headersTable()->removeRow(1);
    QVERIFY(dialog->saveButton()->isEnabled());
    dialog->nameEdit()->setText(QStringLiteral("Renamed"));
    dialog->priorityBox()->setValue(3);
    dialog->connectBox()->setValue(2500);
    QMetaObject::invokeMethod(dialog, &QDialog::accept);
    QVERIFY(saved.wait(10000));
    const QJsonObject u = QJsonDocument::fromJson(readConfig())["upstreams"][0].toObject();
    QCOMPARE(u["name"].toString(), QStringLiteral("Renamed"));
    QCOMPARE(u["baseUrl"].toString(), baseUrl);
    QCOMPARE(u["priority"].toInt(), 3);
    QCOMPARE(u["proxy"].toString(), QStringLiteral("none"));
    QCOMPARE(u["timeouts"]["connectMs"].toInt(), 2500);
    QCOMPARE(u["dailyReset"].toString(), QStringLiteral("00:00 America/Los_Angeles"));
    QCOMPARE(u["headers"].toObject(), (QJsonObject { { "X-Team", "research" } }));
    QCOMPARE(u["keys"].toArray().size(), 1);
    QVERIFY(!u["keys"][0]["hint"].toString().isEmpty());
    QCOMPARE(chat(QStringLiteral("gpt-4o")), 200);
    QCOMPARE(m_a->requests().constLast().headers.value("x-team"), QByteArray("research"));

    // Removed (by hand, say) while its dialog is open: saving says so, in the window's words.
    QTRY_COMPARE(m_window->upstreamsPage()->table()->item(0, 0)->text(), QStringLiteral("Renamed"));
    dialog = m_window->upstreamsPage()->openEdit();
    QVERIFY(dialog);
    ConfigEdit remove;
    remove.op = ConfigEdit::Op::RemoveUpstream;
    remove.upstreamId = QStringLiteral("a");
    bool removed = false;
    m_host->edit(remove, [&removed](const ConfigEditResult &r) { removed = r.ok(); });
    QTRY_VERIFY_WITH_TIMEOUT(removed, 10000);
    dialog->nameEdit()->setText(QStringLiteral("Again"));
    QMetaObject::invokeMethod(dialog, &QDialog::accept);
    QTRY_VERIFY_WITH_TIMEOUT(dialog->messageLabel()->text().contains(u"no longer"), 10000);
}

// The management API turned on from the settings: the admin key is shown once and opens
// /admin/; turned off, /admin/ answers 404 and the window says it is off.
void TestDesktopWindows::testAdminKey_turnedOnShownOnceAndOff()
{
    QVERIFY(startHost({ RelayFixture::upstream("a", *m_a, 1) }));
    m_window->showPage(MainWindow::Settings);
    SettingsPage *page = m_window->settingsPage();
    QTRY_COMPARE(page->adminKeyLabel()->text(), QStringLiteral("Off (no admin key)"));
    QVERIFY(!page->adminKeyOffButton()->isEnabled());
    const auto admin = [this](const QByteArray &key) {
        TestResponse response;
        response.send(m_host->snapshot().port, "GET", "/admin/upstreams",
                      { { "Authorization", QByteArray("Bearer ") + key } }, {});
        return RelayFixture::wait(&response) ? response.status : -1;
    };
    QCOMPARE(admin("sk-anything-at-all-000"), 404);

    // The key is shown in a modal dialog (and a question before turning off): answer them as a
    // user would, from the event loop that the modal dialog runs.
    QString shown;
    QString unexpected;
    QTimer answer;
    connect(&answer, &QTimer::timeout, this, [&shown, &unexpected] {
        QWidget *modal = QApplication::activeModalWidget();
        if (auto *once = qobject_cast<QInputDialog *>(modal)) {
            shown = once->textValue();
            once->accept();
        } else if (auto *box = qobject_cast<QMessageBox *>(modal)) {
            if (QAbstractButton *yes = box->button(QMessageBox::Yes)) {
                yes->click();
            } else { // a warning: the change failed
                unexpected = box->text();
                box->accept();
            }
        }
    });
    answer.start(20);
    page->adminKeyNewButton()->click();
    QTRY_VERIFY_WITH_TIMEOUT(!shown.isEmpty(), 10000);
    QVERIFY2(unexpected.isEmpty(), qPrintable(unexpected));
    QVERIFY(shown.startsWith(u"sk-relay-admin-"));
    QTRY_VERIFY(page->findChildren<QInputDialog *>().isEmpty()); // the key went with its dialog
    QVERIFY(!visibleTexts(m_window.get()).join(u' ').contains(shown));
    QTRY_VERIFY_WITH_TIMEOUT(page->adminKeyLabel()->text().contains(shown.right(4)), 10000);
    QVERIFY(page->adminKeyOffButton()->isEnabled());
    QVERIFY(!readConfig().contains(shown.toUtf8()));
    QCOMPARE(admin(shown.toUtf8()), 200);
    QCOMPARE(admin(RelayFixture::kAccessKey), 401);
    screenshot(m_window.get(), QStringLiteral("settings-admin-key-en"));

    page->adminKeyOffButton()->click();
    QTRY_COMPARE_WITH_TIMEOUT(page->adminKeyLabel()->text(), QStringLiteral("Off (no admin key)"),
                              10000);
    QVERIFY2(unexpected.isEmpty(), qPrintable(unexpected));
    QVERIFY(!page->adminKeyOffButton()->isEnabled());
    QCOMPARE(admin(shown.toUtf8()), 404);
}

// RELAY_ADMIN_KEY wins over the keychain at every load: the window says where the key comes
// from and changes nothing, and the relay refuses a change that the next load would undo.
void TestDesktopWindows::testAdminKey_fromTheEnvironmentNotChangedHere()
{
    static const QByteArray kKey = "sk-admin-from-the-environment-01";
    qputenv("RELAY_ADMIN_KEY", kKey);
    const auto unset = qScopeGuard([] { qunsetenv("RELAY_ADMIN_KEY"); });
    QVERIFY(startHost({ RelayFixture::upstream("a", *m_a, 1) }));
    m_window->showPage(MainWindow::Settings);
    SettingsPage *page = m_window->settingsPage();
    QTRY_VERIFY_WITH_TIMEOUT(page->adminKeyLabel()->text().contains(u"RELAY_ADMIN_KEY"), 10000);
    QVERIFY(page->adminKeyLabel()->text().contains(QString::fromLatin1(kKey.right(4))));
    QVERIFY(!page->adminKeyNewButton()->isEnabled());
    QVERIFY(!page->adminKeyOffButton()->isEnabled());
    QString error;
    m_host->removeAdminKey([&error](const QString &e) { error = e; });
    QTRY_VERIFY_WITH_TIMEOUT(!error.isEmpty(), 10000);
    QVERIFY2(error.contains(u"RELAY_ADMIN_KEY"), qPrintable(error));
    TestResponse response;
    response.send(m_host->snapshot().port, "GET", "/admin/upstreams",
                  { { "Authorization", QByteArray("Bearer ") + kKey } }, {});
    QVERIFY(RelayFixture::wait(&response));
    QCOMPARE(response.status, 200);
}

QTEST_MAIN(TestDesktopWindows)
#include "TestDesktopWindows.moc"
