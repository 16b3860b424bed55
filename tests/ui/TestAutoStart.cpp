#include "tray/AutoStart.h"

#include <QFile>
#include <QTemporaryDir>
#include <QtTest>

// Start at login, as the app owns it: on Linux an XDG autostart entry that starts this very
// program; what isEnabled() says is what is on disk.
class TestAutoStart : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void testEnableDisable_entryWrittenAndRemoved();
};

void TestAutoStart::testEnableDisable_entryWrittenAndRemoved()
{
#ifdef Q_OS_WIN
    QSKIP("the Windows Run key is exercised by the Windows build's tests");
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
