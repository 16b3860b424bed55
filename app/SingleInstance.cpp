#include "SingleInstance.h"

#include "config/PrivateFolder.h"

#include <QCryptographicHash>
#include <QDeadlineTimer>
#include <QDir>
#include <QFileInfo>
#include <QLocalServer>
#include <QLocalSocket>
#include <QLockFile>
#include <QThread>
#include <QTimer>

namespace relay {

SingleInstance::SingleInstance(const QString &configPath, QObject *parent)
    : QObject(parent)
    , m_configPath(configPath)
{ }

SingleInstance::~SingleInstance()
{
    // The socket goes first: a launch that takes the lock the moment it is free must not have
    // its new socket file removed by this one's closing server.
    delete m_server;
    m_server = nullptr;
}

QString SingleInstance::serverName(const QString &configPath)
{
    // One file, however its name is spelled (a symbolic link, "..", another case on Windows).
    const QFileInfo config(configPath);
    QString path = config.canonicalFilePath(); // empty until the file exists
    if (path.isEmpty()) {
        QString folder = QFileInfo(config.absolutePath()).canonicalFilePath();
        if (folder.isEmpty())
            folder = QDir::cleanPath(config.absolutePath());
        path = folder + u'/' + config.fileName();
    }
#ifdef Q_OS_WIN
    path = path.toCaseFolded();
#endif
    const QString name
        = QStringLiteral("llm-relay-")
        + QString::fromLatin1(
              QCryptographicHash::hash(path.toUtf8(), QCryptographicHash::Sha1).toHex().left(12));
#ifdef Q_OS_UNIX
    // Qt would put the socket in /tmp, whose cleaners delete files older than 10 days: the
    // session's runtime folder lasts exactly as long as the login.
    const QString runtime = qEnvironmentVariable("XDG_RUNTIME_DIR");
    if (!runtime.isEmpty() && QFileInfo(runtime).isDir())
        return runtime + u'/' + name;
#endif
    return name;
}

QString SingleInstance::lockPath(const QString &configPath)
{
    // Beside the config it guards, not in the temp folder, whose cleaners (systemd-tmpfiles
    // after 10 days) delete a lock file however long its owner has held it.
    return QFileInfo(configPath).absoluteFilePath() + QStringLiteral(".lock");
}

SingleInstance::Claim SingleInstance::claim()
{
    // The lock decides, not the socket: two launches at once (a double double-click) would
    // both find no socket, and the second's removeServer() would take the first's away.
    // A first start: the folder is not made yet. Made here, it is made private; why it cannot
    // be made is told when the config is written there.
    QString notYet;
    PrivateFolder::ensure(QFileInfo(m_configPath).absolutePath(), &notYet);
    m_lock = std::make_unique<QLockFile>(lockPath(m_configPath));
    m_lock->setStaleLockTime(0); // held for the whole run: stale only when its owner is gone
    const QString name = serverName(m_configPath);
    if (!m_lock->tryLock(0) && m_lock->error() == QLockFile::LockFailedError) {
        // The owner may be starting (not listening yet) or ending (lock not yet released).
        const QDeadlineTimer deadline(5000);
        while (!tellRunning(name, "show\n")) {
            if (m_lock->tryLock(0))
                break; // it has ended meanwhile: this launch is the one
            if (deadline.hasExpired()) {
                m_lock.reset();
                return Claim::OtherSilent;
            }
            QThread::msleep(50);
        }
        if (!m_lock->isLocked()) {
            m_lock.reset();
            return Claim::OtherCameForward;
        }
    }
    // Ours (or the lock cannot be made at all, folder not writable: this run cannot guard but
    // is still the one to run). A socket file still there was left by a run that crashed.
    QLocalServer::removeServer(name);
    m_server = new QLocalServer(this);
    m_server->setSocketOptions(QLocalServer::UserAccessOption);
    if (!m_server->listen(name))
        return Claim::Owner; // cannot guard, but this process is still the one to run
    connect(m_server, &QLocalServer::newConnection, this, [this] {
        while (QLocalSocket *s = m_server->nextPendingConnection()) {
            // The other launch may be gone already: its words can be waiting in the buffer.
            const auto read = [this, s] {
                if (s->property("answered").toBool() || !s->canReadLine())
                    return;
                s->setProperty("answered", true);
                const QByteArray request = s->readLine();
                s->write("ok\n");
                s->flush(); // now: what the request starts (a window, the quit) may take long
                // The other launch hangs up once it has read the answer: closing a Windows
                // pipe from this end would throw the unread answer away.
                if (request.startsWith("show"))
                    Q_EMIT activationRequested();
                else if (request.startsWith("quit"))
                    Q_EMIT quitRequested();
            };
            connect(s, &QLocalSocket::readyRead, this, read);
            connect(s, &QLocalSocket::disconnected, this, read);
            connect(s, &QLocalSocket::disconnected, s, &QObject::deleteLater);
            QTimer::singleShot(10000, s, [s] { s->abort(); }); // one that never hangs up
            read();
        }
    });
    return Claim::Owner;
}

SingleInstance::QuitResult SingleInstance::askRunningToQuit(const QString &configPath,
                                                            int timeoutMs)
{
    QLockFile lock(lockPath(configPath));
    lock.setStaleLockTime(0);
    if (lock.tryLock(0) || lock.error() != QLockFile::LockFailedError)
        return QuitResult::NoneRunning;
    const QDeadlineTimer deadline(timeoutMs);
    while (!tellRunning(serverName(configPath), "quit\n")) {
        if (lock.tryLock(0))
            return QuitResult::NoneRunning; // it ended by itself meanwhile
        if (deadline.hasExpired())
            return QuitResult::StillRunning;
        QThread::msleep(50);
    }
    // The instance lets go of the lock as its last act, after the store is flushed.
    return lock.tryLock(int(qMax<qint64>(0, deadline.remainingTime()))) ? QuitResult::Quit
                                                                        : QuitResult::StillRunning;
}

bool SingleInstance::tellRunning(const QString &name, const QByteArray &request)
{
    QLocalSocket other;
    other.connectToServer(name);
    if (!other.waitForConnected(250))
        return false;
    // Stay until the running one has answered: a pipe closed before its data was read may
    // drop it (seen with Windows named pipes under Wine).
    other.write(request);
    other.waitForBytesWritten(500);
    return (other.canReadLine() || other.waitForReadyRead(2000)) && other.readLine() == "ok\n";
}

} // namespace relay
