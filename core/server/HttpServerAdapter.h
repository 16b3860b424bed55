#pragma once

#include "ConnectionLimits.h"
#include "types/HttpResponder.h"
#include "types/IncomingRequest.h"

#include <QAbstractHttpServer>
#include <QSet>
#include <QtHttpServer/qthttpserverversion.h>
#include <memory>

namespace relay {

class ClientListener;
class QtHttpResponder;

// The one place that knows how QAbstractHttpServer differs between Qt 6.4 and 6.8: it turns
// each request into an IncomingRequest plus an HttpResponder that may outlive the handler.
class HttpServerAdapter : public QAbstractHttpServer
{
    Q_OBJECT
public:
    explicit HttpServerAdapter(QObject *parent = nullptr);
    ~HttpServerAdapter() override;
    Q_DISABLE_COPY_MOVE(HttpServerAdapter)

    // Listens, or moves to another address or port; on failure the previous address stays
    // (if there was one), *error says why in words a user can act on and *kind what happened.
    bool listenOn(const QHostAddress &address, quint16 port, QString *error,
                  QAbstractSocket::SocketError *kind = nullptr);
    quint16 listeningPort() const;
    bool isListening() const;
    // Closes the port; connections with a response in flight keep it, idle ones are closed.
    void stopListening();
    void setLimits(const ConnectionLimits &limits);
    // After the last response: flush and close client connections, then connectionsClosed().
    void closeConnections();

Q_SIGNALS:
    void connectionsClosed();

protected:
    virtual void handle(const IncomingRequest &request, std::unique_ptr<HttpResponder> responder)
        = 0;

#if QTHTTPSERVER_VERSION >= QT_VERSION_CHECK(6, 8, 0)
    bool handleRequest(const QHttpServerRequest &request, QHttpServerResponder &responder) override;
    void missingHandler(const QHttpServerRequest &request,
                        QHttpServerResponder &responder) override;
#else
    bool handleRequest(const QHttpServerRequest &request, QTcpSocket *socket) override;
    void missingHandler(const QHttpServerRequest &request, QTcpSocket *socket) override;
#endif

private:
    ClientListener *m_listener = nullptr;
    ConnectionLimits m_limits;
    QSet<QtHttpResponder *> m_liveResponders;
};

} // namespace relay
