#include "PrivateFolder.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>

#ifdef Q_OS_WIN
#include <qt_windows.h>
// After windows.h:
#include <aclapi.h>
#include <sddl.h>
#endif

namespace relay {

#ifdef Q_OS_WIN
namespace {
QString systemError(DWORD code)
{
    return QStringLiteral("Windows error %1").arg(code);
}

// The SID of the user this process runs as, in string form; empty with *error set if unknown.
QString currentUserSid(DWORD *error)
{
    HANDLE token = nullptr;
    if (!OpenProcessToken(GetCurrentProcess(), TOKEN_QUERY, &token)) {
        *error = GetLastError();
        return {};
    }
    DWORD size = 0;
    GetTokenInformation(token, TokenUser, nullptr, 0, &size);
    QByteArray buffer(static_cast<int>(size), Qt::Uninitialized);
    QString sid;
    LPWSTR text = nullptr;
    if (GetTokenInformation(token, TokenUser, buffer.data(), size, &size)
        && ConvertSidToStringSidW(reinterpret_cast<TOKEN_USER *>(buffer.data())->User.Sid, &text)) {
        sid = QString::fromWCharArray(text);
        LocalFree(text);
    } else {
        *error = GetLastError();
    }
    CloseHandle(token);
    return sid;
}

bool protect(const QString &path, QString *error)
{
    DWORD code = ERROR_SUCCESS;
    const QString sid = currentUserSid(&code);
    if (sid.isEmpty()) {
        *error = systemError(code);
        return false;
    }
    // P: not inherited from the parent; OICI: inherited by files and folders inside; FA: full.
    const QString sddl = QStringLiteral("D:P(A;OICI;FA;;;%1)(A;OICI;FA;;;SY)").arg(sid);
    PSECURITY_DESCRIPTOR descriptor = nullptr;
    if (!ConvertStringSecurityDescriptorToSecurityDescriptorW(
            reinterpret_cast<LPCWSTR>(sddl.utf16()), SDDL_REVISION_1, &descriptor, nullptr)) {
        *error = systemError(GetLastError());
        return false;
    }
    BOOL present = FALSE;
    BOOL defaulted = FALSE;
    PACL dacl = nullptr;
    DWORD result = ERROR_INVALID_SECURITY_DESCR;
    if (GetSecurityDescriptorDacl(descriptor, &present, &dacl, &defaulted) && present) {
        std::wstring native = QDir::toNativeSeparators(path).toStdWString();
        result
            = SetNamedSecurityInfoW(native.data(), SE_FILE_OBJECT,
                                    DACL_SECURITY_INFORMATION | PROTECTED_DACL_SECURITY_INFORMATION,
                                    nullptr, nullptr, dacl, nullptr);
    }
    LocalFree(descriptor);
    if (result != ERROR_SUCCESS) {
        *error = systemError(result);
        return false;
    }
    return true;
}
} // namespace
#endif

bool PrivateFolder::ensure(const QString &path, QString *error)
{
    if (QFileInfo(path).isDir())
        return true;
    if (!QDir().mkpath(path)) {
        *error = QStringLiteral("cannot create the folder %1").arg(path);
        return false;
    }
    QString reason;
#ifdef Q_OS_WIN
    const bool made = protect(path, &reason);
#else
    const bool made = QFile::setPermissions(
        path, QFileDevice::ReadOwner | QFileDevice::WriteOwner | QFileDevice::ExeOwner);
    reason = QStringLiteral("cannot change its permissions");
#endif
    if (!made) {
        // Left in place, it would pass for a private folder at the next start.
        QDir().rmdir(path);
        *error = QStringLiteral("cannot make the folder %1 private to you: %2").arg(path, reason);
        return false;
    }
    return true;
}

} // namespace relay
