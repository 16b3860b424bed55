#include <QDir>
#include <QFile>
#include <QRegularExpression>
#include <QXmlStreamReader>
#include <QtTest>

// Every visible text ships in both languages: the Chinese .ts has no unfinished, empty or
// vanished entries, and each translation keeps its source's placeholders (%1, %n).
class TestTranslationFiles : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void testChinese_completeWithPlaceholdersKept();
};

static QStringList placeholders(const QString &text)
{
    static const QRegularExpression kPlaceholder(QStringLiteral("%(\\d|n)"));
    QStringList found;
    for (auto it = kPlaceholder.globalMatch(text); it.hasNext();)
        found.append(it.next().captured(0));
    found.sort();
    found.removeDuplicates();
    return found;
}

void TestTranslationFiles::testChinese_completeWithPlaceholdersKept()
{
    QFile file(QStringLiteral(RELAY_TS_DIR "/llm-relay_zh_CN.ts"));
    QVERIFY2(file.open(QIODevice::ReadOnly), qPrintable(file.fileName()));
    QXmlStreamReader xml(&file);
    int messages = 0;
    QString context;
    QString source;
    QStringList problems;
    while (!xml.atEnd()) {
        xml.readNext();
        if (!xml.isStartElement())
            continue;
        if (xml.name() == u"name") {
            context = xml.readElementText();
        } else if (xml.name() == u"source") {
            source = xml.readElementText();
        } else if (xml.name() == u"translation") {
            ++messages;
            const QString type = xml.attributes().value(QLatin1String("type")).toString();
            // Plural forms nest; readElementText gathers them all.
            const QString text
                = xml.readElementText(QXmlStreamReader::IncludeChildElements).trimmed();
            const QString where = context + QStringLiteral(": \"") + source + u'"';
            if (type == u"unfinished" || type == u"vanished" || type == u"obsolete")
                problems.append(where + QStringLiteral(" is ") + type);
            else if (text.isEmpty())
                problems.append(where + QStringLiteral(" has no translation"));
            else if (placeholders(text) != placeholders(source))
                problems.append(where + QStringLiteral(" changes its placeholders"));
        }
    }
    QVERIFY2(!xml.hasError(), qPrintable(xml.errorString()));
    QVERIFY(messages > 100);
    QVERIFY2(problems.isEmpty(), qPrintable(problems.join(u'\n')));
}

QTEST_GUILESS_MAIN(TestTranslationFiles)
#include "TestTranslationFiles.moc"
