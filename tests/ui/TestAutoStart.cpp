#include "tray/AutoStart.h"

#include <QFile>
#include <QSettings>
#include <QTemporaryDir>
#include <QtTest>

// Start at login, as the app owns it: on Linux an XDG autostart entry, on Windows a value in
// the user's Run key, that starts this very program; what isEnabled() says is what is there.
class TestAutoStart : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void testEnableDisable_entryWrittenAndRemoved();
};

void TestAutoStart::testEnableDisable_entryWrittenAndRemoved()
{
#ifdef Q_OS_WIN
    // The user's own Run key (under Wine, the test prefix's); left as it was found.
    const QString runKey
        = QStringLiteral("HKEY_CURRENT_USER\\Software\\Microsoft\\Windows\\CurrentVersion\\Run");
    QCOMPARE(relay::AutoStart::location(), runKey + QStringLiteral("\\LLM Relay"));
    if (relay::AutoStart::isEnabled())
        QSKIP("LLM Relay already starts at login for this user; the test would change that");
    QString error;
    QVERIFY2(relay::AutoStart::setEnabled(true, &error), qPrintable(error));
    QVERIFY(relay::AutoStart::isEnabled());
    const QString command
        = QSettings(runKey, QSettings::NativeFormat).value("LLM Relay").toString();
    QCOMPARE(command,
             u'"' + QDir::toNativeSeparators(QCoreApplication::applicationFilePath()) + u'"');
    // The truth is read back, not remembered: a value removed by hand is seen as off.
    QSettings(runKey, QSettings::NativeFormat).remove("LLM Relay");
    QVERIFY(!relay::AutoStart::isEnabled());
    QVERIFY(relay::AutoStart::setEnabled(true, &error));
    QVERIFY(relay::AutoStart::setEnabled(false, &error));
    QVERIFY(!QSettings(runKey, QSettings::NativeFormat).contains("LLM Relay"));
    QVERIFY(relay::AutoStart::setEnabled(false, &error)); // off twice is still off
#else
    QTemporaryDir home;
    qputenv("XDG_CONFIG_HOME", home.path().toUtf8());
    const QString entry = home.filePath(QStringLiteral("autostart/llm-relay.desktop"));
    QCOMPARE(relay::AutoStart::location(), entry);
    QVERIFY(!relay::AutoStart::isEnabled());
    QString error;
    QVERIFY2(relay::AutoStart::setEnabled(true, &error), qPrintable(error));
    QVERIFY(relay::AutoStart::isEnabled());
    QFile file(entry);
    QVERIFY(file.open(QIODevice::ReadOnly));
    const QByteArray text = file.readAll();
    QVERIFY(text.startsWith("[Desktop Entry]\n"));
    QVERIFY2(text.contains("Exec=\"" + QCoreApplication::applicationFilePath().toUtf8() + "\"\n"),
             text.constData());
    file.close();
    // The truth is read back, not remembered: an entry removed by hand is seen as off.
    QVERIFY(QFile::remove(entry));
    QVERIFY(!relay::AutoStart::isEnabled());
    QVERIFY(relay::AutoStart::setEnabled(true, &error));
    QVERIFY(relay::AutoStart::setEnabled(false, &error));
    QVERIFY(!QFile::exists(entry));
    QVERIFY(relay::AutoStart::setEnabled(false, &error)); // off twice is still off
#endif
}

QTEST_GUILESS_MAIN(TestAutoStart)
#include "TestAutoStart.moc"
