#include "RelayHost.h"

#include "RelayController.h"

#include <QPointer>

namespace relay {

RelayHost::RelayHost(RelayService::Options options, QObject *parent)
    : QObject(parent)
    , m_options(std::move(options))
    , m_anchor(new QObject)
{
    m_thread.setObjectName(QStringLiteral("relay"));
    m_anchor->moveToThread(&m_thread);
    connect(this, &RelayHost::snapshotReady, this,
            [this](const RelaySnapshot &s) { m_snapshot = s; });
    connect(this, &RelayHost::configChanged, this, [this](const QJsonObject &c) { m_config = c; });
}

RelayHost::~RelayHost()
{
    stopNow();
    delete m_anchor; // its thread has ended: nothing can reach it any more
}

void RelayHost::stopNow()
{
    // Objects of the relay's thread are deleted there; the store flushes as it goes. Not a
    // blocking call: a graceful end may be ending the thread right now, and a thread that has
    // left its event loop never runs it (the caller would wait for ever). Either this call
    // runs, or the graceful end has deleted everything before it quit the thread.
    if (m_thread.isRunning()) {
        QMetaObject::invokeMethod(m_anchor, [this] { destroyAndQuit(); });
    }
    m_thread.wait();
}

void RelayHost::start()
{
    if (m_started)
        return; // one run per host
    m_started = true;
    m_thread.start();
    QMetaObject::invokeMethod(m_anchor, [this] { create(); });
}

void RelayHost::create()
{
    // In the relay's thread: the controller, its timers and sockets all belong to it.
    m_controller = new RelayController(m_options);
    RelayController *c = m_controller;
    connect(c, &RelayController::started, this, &RelayHost::started);
    connect(c, &RelayController::startFailed, this, &RelayHost::startFailed);
    connect(c, &RelayController::notice, this, &RelayHost::notice);
    connect(c, &RelayController::snapshotReady, this, &RelayHost::snapshotReady);
    connect(c, &RelayController::stateChanged, this, &RelayHost::stateChanged);
    connect(c, &RelayController::requestsFinished, this, &RelayHost::requestsFinished);
    connect(c, &RelayController::configChanged, this, &RelayHost::configChanged);
    connect(c, &RelayController::keyInvalid, this, &RelayHost::keyInvalid);
    connect(c, &RelayController::keysExhausted, this, &RelayHost::keysExhausted);
    connect(c, &RelayController::portUnavailable, this, &RelayHost::portUnavailable);
    // Once stopped, the relay's objects go in their own thread, then the thread ends and the
    // caller hears of it.
    connect(
        c, &RelayController::stopped, m_anchor, [this] { destroyAndQuit(); },
        Qt::QueuedConnection); // not from within the controller's own signal
    connect(&m_thread, &QThread::finished, this, &RelayHost::stopped, Qt::UniqueConnection);
    c->start();
}

void RelayHost::destroyAndQuit()
{
    delete m_controller;
    m_controller = nullptr;
    m_thread.quit();
}

void RelayHost::call(std::function<void(RelayController &)> work)
{
    if (!m_thread.isRunning())
        return; // stopped: there is no relay to ask
    QMetaObject::invokeMethod(m_anchor, [this, work = std::move(work)] {
        if (m_controller)
            work(*m_controller);
    });
}

template<typename... Args>
std::function<void(const Args &...)> RelayHost::back(std::function<void(const Args &...)> done)
{
    QPointer<RelayHost> self(this);
    return [self, done = std::move(done)](const Args &...args) {
        // Runs in the relay's thread: copy the answer and hand it over.
        QMetaObject::invokeMethod(self.data(), [self, done, args...] {
            if (self)
                done(args...);
        });
    };
}

void RelayHost::shutdown()
{
    call([](RelayController &c) { c.shutdown(); });
}

void RelayHost::pause()
{
    call([](RelayController &c) { c.pause(); });
}

void RelayHost::resume()
{
    call([](RelayController &c) { c.resume(); });
}

void RelayHost::moveToFreePort(std::function<void(const ConfigEditResult &)> done)
{
    call([done = back(std::move(done))](RelayController &c) { c.moveToFreePort(done); });
}

void RelayHost::edit(const ConfigEdit &edit, std::function<void(const ConfigEditResult &)> done)
{
    call([edit, done = back(std::move(done))](RelayController &c) { c.edit(edit, done); });
}

void RelayHost::reload(std::function<void(const ConfigProblems &)> done)
{
    call([done = back(std::move(done))](RelayController &c) { c.reload(done); });
}

void RelayHost::probeDraft(const QJsonObject &upstream, const QString &secret,
                           std::function<void(const KeyProbeResult &)> done)
{
    call([upstream, secret, done = back(std::move(done))](RelayController &c) {
        c.probeDraft(upstream, secret, done);
    });
}

void RelayHost::probeSaved(const QString &upstreamId, const QString &keyId,
                           std::function<void(const KeyProbeResult &)> done)
{
    call([upstreamId, keyId, done = back(std::move(done))](RelayController &c) {
        if (!c.probeSaved(upstreamId, keyId, done)) {
            KeyProbeResult none;
            none.error = QStringLiteral("no such key with a secret");
            done(none);
        }
    });
}

void RelayHost::readLog(const StoreWriter::LogQuery &query,
                        std::function<void(const QJsonObject &)> done)
{
    call([query, done = back(std::move(done))](RelayController &c) { c.readLog(query, done); });
}

void RelayHost::readUsage(int days, std::function<void(const QJsonObject &)> done)
{
    call([days, done = back(std::move(done))](RelayController &c) { c.readUsage(days, done); });
}

void RelayHost::fetchAccessKey(std::function<void(const QString &)> done)
{
    call([done = back(std::move(done))](RelayController &c) { done(c.accessKey()); });
}

void RelayHost::rotateKey(const QString &ref,
                          std::function<void(const QString &, const QString &)> done)
{
    call([ref, done = back(std::move(done))](RelayController &c) { c.rotateKey(ref, done); });
}

void RelayHost::removeAdminKey(std::function<void(const QString &)> done)
{
    call([done = back(std::move(done))](RelayController &c) { c.removeAdminKey(done); });
}

} // namespace relay
