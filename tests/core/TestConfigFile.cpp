#include "config/ConfigFile.h"
#include "secrets/KeyStore.h"

#include <QtTest>

#ifdef Q_OS_WIN
#include <qt_windows.h>
// After windows.h:
#include <aclapi.h>
#include <sddl.h>
#endif

using namespace relay;

namespace {
// Who may use a folder. Windows: "protected" if the DACL inherits nothing, then each entry as
// "<user|system|SID> flags=<hex> mask=<hex>". Elsewhere: its mode.
#ifdef Q_OS_WIN
using Access = QString;
QString sidText(PSID sid)
{
    LPWSTR text = nullptr;
    if (!ConvertSidToStringSidW(sid, &text))
        return QStringLiteral("(sid?)");
    const QString result = QString::fromWCharArray(text);
    LocalFree(text);
    return result;
}

Access folderAccess(const QString &path)
{
    HANDLE token = nullptr;
    QByteArray user;
    if (OpenProcessToken(GetCurrentProcess(), TOKEN_QUERY, &token)) {
        DWORD size = 0;
        GetTokenInformation(token, TokenUser, nullptr, 0, &size);
        user.resize(static_cast<int>(size));
        if (!GetTokenInformation(token, TokenUser, user.data(), size, &size))
            user.clear();
        CloseHandle(token);
    }
    PSID userSid = user.isEmpty() ? nullptr : reinterpret_cast<TOKEN_USER *>(user.data())->User.Sid;

    std::wstring native = QDir::toNativeSeparators(path).toStdWString();
    PSECURITY_DESCRIPTOR descriptor = nullptr;
    PACL dacl = nullptr;
    if (GetNamedSecurityInfoW(native.data(), SE_FILE_OBJECT, DACL_SECURITY_INFORMATION, nullptr,
                              nullptr, &dacl, nullptr, &descriptor)
        != ERROR_SUCCESS)
        return QStringLiteral("(unreadable)");
    QStringList parts;
    SECURITY_DESCRIPTOR_CONTROL control = 0;
    DWORD revision = 0;
    if (GetSecurityDescriptorControl(descriptor, &control, &revision)
        && (control & SE_DACL_PROTECTED))
        parts.append(QStringLiteral("protected"));
    for (DWORD i = 0; dacl && i < dacl->AceCount; ++i) {
        void *ace = nullptr;
        if (!GetAce(dacl, i, &ace))
            continue;
        const auto *header = static_cast<const ACE_HEADER *>(ace);
        if (header->AceType != ACCESS_ALLOWED_ACE_TYPE) {
            parts.append(QStringLiteral("type=%1").arg(header->AceType));
            continue;
        }
        auto *allowed = static_cast<ACCESS_ALLOWED_ACE *>(ace);
        PSID sid = &allowed->SidStart;
        const QString who = userSid && EqualSid(sid, userSid) ? QStringLiteral("user")
            : IsWellKnownSid(sid, WinLocalSystemSid)          ? QStringLiteral("system")
                                                              : sidText(sid);
        parts.append(QStringLiteral("%1 flags=%2 mask=%3")
                         .arg(who)
                         .arg(header->AceFlags, 0, 16)
                         .arg(allowed->Mask, 0, 16));
    }
    LocalFree(descriptor);
    return parts.join(u'|');
}
#else
using Access = QFileDevice::Permissions;
Access folderAccess(const QString &path)
{
    return QFile::permissions(path);
}
#endif
} // namespace

class TestConfigFile : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void init();
    void testLoad_missing_reportsMissing();
    void testSave_writesOwnerOnlyAndKeepsBackup();
    void testSave_newFolderPrivateToTheUser_existingOneUntouched();
    void testSave_unwritable_failsAndKeepsOriginal();
    void testSave_fileHeldOpenByAnother_windowsSaysWhatToDo();
    void testLoad_corruptWithBackup_setAsideAndRecovered();
    void testLoad_corruptWithoutBackup_errorsAndFileUntouched();
    void testWatch_validChange_emitsChanged();
    void testWatch_invalidChange_keepsRunningConfig();

private:
    static void write(const QString &path, const QByteArray &data);
    static QByteArray read(const QString &path);
    static RelayConfig sample(int port);

    std::unique_ptr<QTemporaryDir> m_dir;
    QString m_path;
};

void TestConfigFile::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    m_path = m_dir->filePath(QStringLiteral("config.json"));
}

void TestConfigFile::write(const QString &path, const QByteArray &data)
{
    QFile f(path);
    QVERIFY(f.open(QIODevice::WriteOnly | QIODevice::Truncate));
    f.write(data);
}

QByteArray TestConfigFile::read(const QString &path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

RelayConfig TestConfigFile::sample(int port)
{
    RelayConfig c;
    c.port = static_cast<quint16>(port);
    return c;
}

// First start: no file is not an error, the caller creates one.
void TestConfigFile::testLoad_missing_reportsMissing()
{
    ConfigFile file(m_path);
    const auto result = file.load();
    QVERIFY(result.missing);
    QVERIFY(result.parsed.ok());
}

// Saves are whole files readable by the owner only; the previous good file becomes the backup.
void TestConfigFile::testSave_writesOwnerOnlyAndKeepsBackup()
{
    ConfigFile file(m_path);
    QString error;
    QVERIFY(file.save(sample(18001), &error));
    QVERIFY(file.save(sample(18002), &error));
#ifndef Q_OS_WIN // Windows has ACLs, not modes: the profile folder's ACL protects the file
    QCOMPARE(QFile::permissions(m_path) & (QFileDevice::ReadGroup | QFileDevice::ReadOther),
             QFileDevice::Permissions());
#endif
    QCOMPARE(ConfigParser::parse(read(m_path)).config.port, quint16(18002));
    QCOMPARE(ConfigParser::parse(read(file.backupPath())).config.port, quint16(18001));
    // No temporary files are left behind.
    QCOMPARE(QDir(m_dir->path()).entryList(QDir::Files).size(), 2);
}

// The folder a first save creates is the user's alone (with everything later put in it); a
// folder that exists already is left as it was.
void TestConfigFile::testSave_newFolderPrivateToTheUser_existingOneUntouched()
{
    const QString folder = m_dir->filePath(QStringLiteral("new/llm-relay"));
    ConfigFile file(folder + QStringLiteral("/config.json"));
    QString error;
    QVERIFY2(file.save(sample(18006), &error), qPrintable(error));
    const Access made = folderAccess(folder);
    QVERIFY2(file.save(sample(18007), &error), qPrintable(error));
    QCOMPARE(folderAccess(folder), made);

    // A folder of the user's own, readable by others: saved into, not changed.
    const QString mine = m_dir->filePath(QStringLiteral("mine"));
    QVERIFY(QDir().mkpath(mine));
    QVERIFY(QFile::setPermissions(
        mine, QFile::permissions(mine) | QFileDevice::ReadOther | QFileDevice::ExeOther));
    const Access before = folderAccess(mine);
    QVERIFY2(ConfigFile(mine + QStringLiteral("/config.json")).save(sample(18008), &error),
             qPrintable(error));
    QCOMPARE(folderAccess(mine), before);
#ifdef Q_OS_WIN
    if (GetProcAddress(GetModuleHandleW(L"ntdll.dll"), "wine_get_version"))
        QSKIP("Wine answers SetNamedSecurityInfoW on a folder with success but keeps the DACL it "
              "had (seen with Wine 10: read back unchanged); on Windows the ACL is checked");
    // Nothing inherited from the parent; full control for this user and SYSTEM, inherited by
    // files and folders inside; nobody else.
    QCOMPARE(made, QStringLiteral("protected|user flags=3 mask=1f01ff|system flags=3 mask=1f01ff"));
    QVERIFY(before != made);
#else
    QCOMPARE(made,
             Access(QFileDevice::ReadOwner | QFileDevice::WriteOwner | QFileDevice::ExeOwner
                    | QFileDevice::ReadUser | QFileDevice::WriteUser | QFileDevice::ExeUser));
    QVERIFY(before & QFileDevice::ReadOther);
#endif
}

// A failed save reports why and leaves nothing half-written.
void TestConfigFile::testSave_unwritable_failsAndKeepsOriginal()
{
    const QString blocker = m_dir->filePath(QStringLiteral("file-not-dir"));
    write(blocker, "x");
    ConfigFile file(blocker + QStringLiteral("/config.json"));
    QString error;
    QVERIFY(!file.save(sample(18003), &error));
    QVERIFY2(error.contains(QStringLiteral("cannot write")), qPrintable(error));
    QCOMPARE(read(blocker), QByteArray("x"));
}

// Another program holding the file open: POSIX renames over it; Windows refuses the rename, and
// after its retries the save says what to do and the file keeps its last saved content.
void TestConfigFile::testSave_fileHeldOpenByAnother_windowsSaysWhatToDo()
{
    ConfigFile file(m_path);
    QString error;
    QVERIFY(file.save(sample(18004), &error));
    QFile reader(m_path);
    QVERIFY(reader.open(QIODevice::ReadOnly));
    const bool saved = file.save(sample(18005), &error);
#ifdef Q_OS_WIN
    QVERIFY(!saved);
    QVERIFY2(error.contains(QStringLiteral("close that program")), qPrintable(error));
    QCOMPARE(ConfigParser::parse(read(m_path)).config.port, quint16(18004));
    reader.close();
    QVERIFY2(file.save(sample(18005), &error), qPrintable(error));
#else
    QVERIFY2(saved, qPrintable(error));
#endif
    QCOMPARE(ConfigParser::parse(read(m_path)).config.port, quint16(18005));
}

// A corrupt file at start is set aside, the last good one restored, and the user told why.
void TestConfigFile::testLoad_corruptWithBackup_setAsideAndRecovered()
{
    write(m_path, R"({"listen":{"port":18010}})");
    QVERIFY(ConfigFile(m_path).load().parsed.ok()); // a good load refreshes the backup
    write(m_path, R"({"listen":{"port":18011}, oops)");

    ConfigFile file(m_path);
    const auto result = file.load();
    QVERIFY(result.recovered);
    QCOMPARE(result.parsed.config.port, quint16(18010));
    QVERIFY(result.originalErrors.join(u' ').contains(QStringLiteral("not valid JSON")));
    QCOMPARE(read(result.setAsidePath), QByteArray(R"({"listen":{"port":18011}, oops)"));
    QCOMPARE(ConfigParser::parse(read(m_path)).config.port, quint16(18010));
}

// With no good backup the errors come back and the user's file stays where it is.
void TestConfigFile::testLoad_corruptWithoutBackup_errorsAndFileUntouched()
{
    write(m_path, R"({"upstreams":[{"id":"a","baseUrl":"not a url"}]})");
    ConfigFile file(m_path);
    const auto result = file.load();
    QVERIFY(!result.recovered);
    QVERIFY(!result.parsed.ok());
    QVERIFY(result.parsed.errors().join(u' ').contains(QStringLiteral("upstreams[0].baseUrl")));
    QCOMPARE(read(m_path), QByteArray(R"({"upstreams":[{"id":"a","baseUrl":"not a url"}]})"));
}

// Edits to the file are picked up without a restart.
void TestConfigFile::testWatch_validChange_emitsChanged()
{
    write(m_path, R"({"listen":{"port":18020}})");
    ConfigFile file(m_path);
    QVERIFY(file.load().parsed.ok());
    file.startWatching();
    QSignalSpy changed(&file, &ConfigFile::changed);
    write(m_path, R"({"listen":{"port":18021}})");
    QVERIFY(changed.wait(5000));
    QCOMPARE(changed.constLast().at(0).value<ParsedConfig>().config.port, quint16(18021));
}

// A broken edit is reported and not applied.
void TestConfigFile::testWatch_invalidChange_keepsRunningConfig()
{
    write(m_path, R"({"listen":{"port":18030}})");
    ConfigFile file(m_path);
    QVERIFY(file.load().parsed.ok());
    file.startWatching();
    QSignalSpy changed(&file, &ConfigFile::changed);
    QSignalSpy failed(&file, &ConfigFile::reloadFailed);
    write(m_path, R"({"listen":{"port":"eighty"}})");
    QVERIFY(failed.wait(5000));
    const auto problems = failed.constFirst().at(0).value<ConfigProblems>();
    QCOMPARE(problems.size(), 1);
    QCOMPARE(problems.constFirst().path, QStringLiteral("listen.port"));
    QCOMPARE(problems.constFirst().code, QStringLiteral("not_integer"));
    QCOMPARE(changed.size(), 0);
}

QTEST_GUILESS_MAIN(TestConfigFile)
#include "TestConfigFile.moc"
