#include "LogSink.h"

#include <QByteArray>
#include <QMutex>
#include <QString>
#include <QTimer>
#include <chrono>
#include <cstdio>
#include <ctime>

namespace relay {

namespace {
constexpr qsizetype kFlushBytes = 32 * 1024;

QMutex g_mutex;
QByteArray g_buffer;
QTimer *g_timer = nullptr; // single shot, armed by the first line of a batch
qint64 g_prefixSecond = -1;
char g_prefix[32];

void appendTimestamp(QByteArray &line)
{
    using namespace std::chrono;
    const auto now = system_clock::now();
    const qint64 ms = duration_cast<milliseconds>(now.time_since_epoch()).count();
    const qint64 second = ms / 1000;
    if (second != g_prefixSecond) {
        const std::time_t t = static_cast<std::time_t>(second);
        std::tm local {};
#ifdef Q_OS_WIN
        localtime_s(&local, &t);
#else
        localtime_r(&t, &local);
#endif
        std::strftime(g_prefix, sizeof g_prefix, "%Y-%m-%dT%H:%M:%S", &local);
        g_prefixSecond = second;
    }
    char millis[8];
    std::snprintf(millis, sizeof millis, ".%03d ", static_cast<int>(ms % 1000));
    line += g_prefix;
    line += millis;
}

void writeLocked()
{
    if (g_buffer.isEmpty())
        return;
    std::fwrite(g_buffer.constData(), 1, static_cast<size_t>(g_buffer.size()), stderr);
    std::fflush(stderr);
    g_buffer.clear();
}

void handler(QtMsgType type, const QMessageLogContext &context, const QString &message)
{
    QMutexLocker lock(&g_mutex);
    const bool firstOfBatch = g_buffer.isEmpty();
    appendTimestamp(g_buffer);
    switch (type) {
    case QtWarningMsg:
        g_buffer += "warning ";
        break;
    case QtCriticalMsg:
    case QtFatalMsg:
        g_buffer += "error ";
        break;
    default:
        break;
    }
    if (context.category && qstrcmp(context.category, "default") != 0) {
        g_buffer += context.category;
        g_buffer += ": ";
    }
    g_buffer += message.toUtf8();
    g_buffer += '\n';
    if ((type != QtDebugMsg && type != QtInfoMsg) || g_buffer.size() >= kFlushBytes) {
        writeLocked();
        return;
    }
    // Queued to the timer's thread from wherever the line came: an idle relay never wakes up
    // for an empty buffer.
    if (g_timer && firstOfBatch)
        QMetaObject::invokeMethod(g_timer, [] { g_timer->start(); });
}
} // namespace

void LogSink::install(int flushMs)
{
    // Never deleted: lines may still be logged while the application object goes away.
    g_timer = new QTimer;
    g_timer->setSingleShot(true);
    g_timer->setInterval(flushMs);
    QObject::connect(g_timer, &QTimer::timeout, g_timer, &LogSink::flush);
    qInstallMessageHandler(handler);
}

void LogSink::flush()
{
    QMutexLocker lock(&g_mutex);
    writeLocked();
}

} // namespace relay
