#include "GoldenFiles.h"

#include <QDir>
#include <QFile>
#include <QtTest>

namespace relay::test {

QByteArray readFile(const QString &path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

void addGoldenRows(const QString &folder, const QString &inputSuffix, int minimum)
{
    QTest::addColumn<QString>("base");
    const QDir dir(QStringLiteral(RELAY_TEST_DATA_DIR "/") + folder);
    const QStringList inputs = dir.entryList({ u'*' + inputSuffix }, QDir::Files, QDir::Name);
    QVERIFY2(inputs.size() >= minimum, qPrintable(dir.path()));
    for (const QString &input : inputs) {
        const QString name = input.chopped(inputSuffix.size());
        QTest::newRow(qPrintable(name)) << dir.filePath(name);
    }
}

} // namespace relay::test
