#include "SingleInstance.h"

#include <QCryptographicHash>
#include <QDeadlineTimer>
#include <QDir>
#include <QLocalServer>
#include <QLocalSocket>
#include <QLockFile>
#include <QThread>

namespace relay {

SingleInstance::SingleInstance(QObject *parent)
    : QObject(parent)
{ }

SingleInstance::~SingleInstance() = default;

QString SingleInstance::serverName()
{
    // Per user (and per config folder for tests that set their own HOME).
    const QByteArray home = QDir::homePath().toUtf8();
    return QStringLiteral("llm-relay-")
        + QString::fromLatin1(
               QCryptographicHash::hash(home, QCryptographicHash::Sha1).toHex().left(12));
}

QString SingleInstance::lockPath()
{
    return QDir::temp().filePath(serverName() + QStringLiteral(".lock"));
}

bool SingleInstance::claim()
{
    // The lock decides, not the socket: two launches at once (a double double-click) would
    // both find no socket, and the second's removeServer() would take the first's away.
    m_lock = std::make_unique<QLockFile>(lockPath());
    m_lock->setStaleLockTime(0); // held for the whole run: stale only when its owner is gone
    const QString name = serverName();
    if (!m_lock->tryLock(0) && m_lock->error() == QLockFile::LockFailedError) {
        m_lock.reset();
        askRunningToShow(name);
        return false;
    }
    // Ours (or the lock cannot be made at all, temp folder not writable: this run cannot guard
    // but is still the one to run). A socket file still there was left by a run that crashed.
    QLocalServer::removeServer(name);
    m_server = new QLocalServer(this);
    m_server->setSocketOptions(QLocalServer::UserAccessOption);
    if (!m_server->listen(name))
        return true; // cannot guard, but this process is still the one to run
    connect(m_server, &QLocalServer::newConnection, this, [this] {
        while (QLocalSocket *s = m_server->nextPendingConnection()) {
            // The other launch may be gone already: its words can be waiting in the buffer.
            const auto read = [this, s] {
                if (s->property("answered").toBool() || !s->canReadLine())
                    return;
                s->setProperty("answered", true);
                if (s->readLine().startsWith("show"))
                    Q_EMIT activationRequested();
                s->write("ok\n");
                s->disconnectFromServer(); // after what was written has gone
            };
            connect(s, &QLocalSocket::readyRead, this, read);
            connect(s, &QLocalSocket::disconnected, this, read);
            connect(s, &QLocalSocket::disconnected, s, &QObject::deleteLater);
            read();
        }
    });
    return true;
}

void SingleInstance::askRunningToShow(const QString &name)
{
    // The lock's owner may still be starting: knock until it listens, for a few seconds.
    const QDeadlineTimer deadline(5000);
    while (!deadline.hasExpired()) {
        QLocalSocket other;
        other.connectToServer(name);
        if (other.waitForConnected(250)) {
            // Stay until the first one has read the request: a pipe closed before its data was
            // read may drop it (seen with Windows named pipes under Wine).
            other.write("show\n");
            other.waitForBytesWritten(500);
            other.waitForReadyRead(2000);
            return;
        }
        QThread::msleep(50);
    }
}

} // namespace relay
