#include "LanguageManager.h"
#include "RelayTestCase.h"
#include "service/RelayHost.h"
#include "tray/TrayIcon.h"

#include <QApplication>
#include <QDir>
#include <QMenu>
#include <QScreen>
#include <QtTest>

using namespace relay;
using namespace relay::test;

// Under Xvfb with a real tray host (scripts/with-tray.sh starts trayer): the icon appears in
// the tray, its menu opens, and the pause toggle closes and reopens the relay's port.
class TestTrayIcon : public RelayTestCase
{
    Q_OBJECT
private Q_SLOTS:
    void testTray_iconMenuAndPauseToggle();

private:
    void screenshot(const QString &name) const;
};

void TestTrayIcon::screenshot(const QString &name) const
{
    const QString dir = qEnvironmentVariable("RELAY_SCREENSHOT_DIR");
    if (dir.isEmpty())
        return;
    QDir().mkpath(dir);
    const QPixmap shot = QGuiApplication::primaryScreen()->grabWindow(0);
    QVERIFY(!shot.isNull());
    QVERIFY(shot.save(dir + u'/' + name + QStringLiteral(".png")));
}

void TestTrayIcon::testTray_iconMenuAndPauseToggle()
{
#ifdef Q_OS_WIN
    QSKIP("The test finds, clicks and captures the icon with X11 tools (xwininfo, xdotool, xwd) "
          "in an XEmbed tray; under Wine the icon is drawn by Wine's explorer.exe instead");
#endif
    if (QGuiApplication::platformName() != u"xcb")
        QSKIP("needs an X display with a tray host: run under scripts/with-tray.sh");
    QVERIFY2(QSystemTrayIcon::isSystemTrayAvailable(), "no tray host on this display");
    QVERIFY(m_relay->writeConfig(RelayFixture::config({ RelayFixture::upstream("a", *m_a, 1) })));
    RelayService::Options options = m_relay->options();
    options.configPath = m_relay->configPath();
    options.portOverride = 0;
    RelayHost host(options);
    QSignalSpy started(&host, &RelayHost::started);
    host.start();
    QVERIFY(started.wait(10000));
    LanguageManager languages;
    languages.apply(QStringLiteral("en"), false);
    TrayIcon tray(host, languages);
    tray.icon().show();
    QTRY_COMPARE_WITH_TIMEOUT(host.snapshot().state, RelayState::Healthy, 10000);
    // Embedded in the tray: it has a place on the screen.
    QTRY_VERIFY_WITH_TIMEOUT(tray.icon().geometry().isValid(), 10000);
    QVERIFY(tray.icon().toolTip().contains(u"http://127.0.0.1:"));
    const quint16 port = host.snapshot().port;

    for (const QString &language : { QStringLiteral("en"), QStringLiteral("zh_CN") }) {
        languages.apply(language, false);
        tray.menu()->popup(tray.icon().geometry().bottomLeft());
        QTRY_VERIFY(tray.menu()->isVisible());
        QTest::qWait(200); // let the X server draw it before the screenshot
        screenshot(QStringLiteral("tray-menu-") + language);
        tray.menu()->hide();
    }
    languages.apply(QStringLiteral("en"), false);

    QCOMPARE(tray.pauseAction()->text(), QStringLiteral("Pause relay"));
    tray.pauseAction()->trigger();
    QTRY_COMPARE_WITH_TIMEOUT(host.snapshot().state, RelayState::Paused, 10000);
    QVERIFY(RelayFixture::portRefused(port));
    QTRY_COMPARE(tray.pauseAction()->text(), QStringLiteral("Resume relay"));
    screenshot(QStringLiteral("tray-paused"));
    tray.pauseAction()->trigger();
    QTRY_COMPARE_WITH_TIMEOUT(host.snapshot().state, RelayState::Healthy, 10000);
    QVERIFY(!RelayFixture::portRefused(port));
}

QTEST_MAIN(TestTrayIcon)
#include "TestTrayIcon.moc"
