// Opens N concurrent SSE streams and reports time to first byte and per-chunk delay
// (arrival time minus the upstream's send stamp, both on the steady clock) as JSON.
#include "TestHttpClient.h"

#include <QCoreApplication>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>
#include <algorithm>
#include <chrono>
#include <cstdio>

using relay::test::TestResponse;

static double percentile(QList<double> v, double p)
{
    if (v.isEmpty())
        return 0;
    std::sort(v.begin(), v.end());
    const auto index = static_cast<qsizetype>(p * static_cast<double>(v.size() - 1) + 0.5);
    return v.at(std::min<qsizetype>(index, v.size() - 1));
}

static qint64 nowUs()
{
    return std::chrono::duration_cast<std::chrono::microseconds>(
               std::chrono::steady_clock::now().time_since_epoch())
        .count();
}

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    const QStringList args = app.arguments();
    auto value = [&](const QString &name, const QString &fallback) {
        const int at = static_cast<int>(args.indexOf(name));
        return at >= 0 && at + 1 < args.size() ? args.at(at + 1) : fallback;
    };
    const auto port = static_cast<quint16>(value("--port", "0").toInt());
    // --anthropic: stream as an Anthropic client (POST /v1/messages), which the relay
    // translates to and from the OpenAI upstream.
    const bool anthropic = args.contains(QStringLiteral("--anthropic"));
    const QByteArray path
        = anthropic ? QByteArray("/v1/messages") : QByteArray("/v1/chat/completions");
    const QByteArray key = value("--key", "none").toUtf8();
    const int streams = value("--streams", "100").toInt();
    const QByteArray body = R"({"model":")" + value("--model", "bench").toUtf8()
        + R"(","stream":true,"max_tokens":256,"messages":[{"role":"user","content":"hi"}]})";
    const QByteArray endMarker = anthropic ? QByteArray("message_stop") : QByteArray("[DONE]");

    QList<TestResponse *> responses;
    QList<qint64> started;
    int done = 0;
    for (int i = 0; i < streams; ++i) {
        auto *r = new TestResponse(&app);
        QObject::connect(r, &TestResponse::done, &app, [&] {
            if (++done == streams)
                QCoreApplication::quit();
        });
        started.append(nowUs());
        r->send(port, "POST", path,
                { { "Authorization", "Bearer " + key },
                  { "Content-Type", "application/json" },
                  { "anthropic-version", "2023-06-01" } },
                body);
        responses.append(r);
    }
    app.exec();

    static const QRegularExpression stamp(QStringLiteral("@(\\d+)"));
    QList<double> ttfbMs;
    QList<double> chunkDelayMs;
    int failed = 0;
    for (qsizetype i = 0; i < responses.size(); ++i) {
        TestResponse *r = responses.at(i);
        if (r->status != 200 || !r->body.contains(endMarker)) {
            ++failed;
            continue;
        }
        ttfbMs.append((r->chunkArrivalUs.value(0) - started.at(i)) / 1000.0);
        for (qsizetype c = 0; c < r->chunks.size(); ++c) {
            auto it = stamp.globalMatch(QString::fromUtf8(r->chunks.at(c)));
            while (it.hasNext()) {
                const qint64 sent = it.next().captured(1).toLongLong();
                chunkDelayMs.append((r->chunkArrivalUs.at(c) - sent) / 1000.0);
            }
        }
    }
    const QJsonObject result { { "streams", streams },
                               { "failed", failed },
                               { "chunks", chunkDelayMs.size() },
                               { "ttfb_p50_ms", percentile(ttfbMs, 0.5) },
                               { "ttfb_p99_ms", percentile(ttfbMs, 0.99) },
                               { "chunk_delay_p50_ms", percentile(chunkDelayMs, 0.5) },
                               { "chunk_delay_p99_ms", percentile(chunkDelayMs, 0.99) } };
    std::printf("%s\n", QJsonDocument(result).toJson(QJsonDocument::Compact).constData());
    return failed == 0 ? 0 : 1;
}
