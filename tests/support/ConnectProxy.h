#pragma once

#include <QByteArrayList>
#include <QTcpServer>

namespace relay::test {

// A minimal HTTP CONNECT proxy on 127.0.0.1: enough to prove upstream traffic goes through it.
class ConnectProxy final : public QObject
{
    Q_OBJECT
public:
    explicit ConnectProxy(QObject *parent = nullptr);
    bool start();
    quint16 port() const { return m_server.serverPort(); }
    const QByteArrayList &targets() const { return m_targets; } // "host:port" per tunnel

private:
    void onNewConnection();
    QTcpServer m_server;
    QByteArrayList m_targets;
};

} // namespace relay::test
