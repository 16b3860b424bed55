// A stand-alone fake upstream for the benchmark: SSE streams with timestamped chunks.
#include "FakeUpstream.h"

#include <QCoreApplication>
#include <cstdio>

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    const QStringList args = app.arguments();
    auto value = [&](const QString &name, int fallback) {
        const int at = static_cast<int>(args.indexOf(name));
        return at >= 0 && at + 1 < args.size() ? args.at(at + 1).toInt() : fallback;
    };
    relay::test::FakeUpstream upstream(QStringLiteral("bench"));
    upstream.setStreamShape(value("--chunks", 20), value("--interval-ms", 50));
    upstream.setStampChunks(true);
    if (!upstream.start(static_cast<quint16>(value("--port", 0)))) {
        std::fprintf(stderr, "cannot listen\n");
        return 1;
    }
    std::printf("%d\n", upstream.port());
    std::fflush(stdout);
    return app.exec();
}
