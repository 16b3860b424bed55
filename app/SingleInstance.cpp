#include "SingleInstance.h"

#include <QCryptographicHash>
#include <QDir>
#include <QLocalServer>
#include <QLocalSocket>

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

bool SingleInstance::claim()
{
    const QString name = serverName();
    {
        QLocalSocket other;
        other.connectToServer(name);
        if (other.waitForConnected(500)) {
            // Stay until the first one has read the request: a pipe closed before its data was
            // read may drop it (seen with Windows named pipes under Wine).
            other.write("show\n");
            other.waitForBytesWritten(500);
            other.waitForReadyRead(2000);
            return false;
        }
    }
    // Nobody answered: a socket file left by a crash is stale.
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

} // namespace relay
