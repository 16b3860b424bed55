// libFuzzer target, built once per stream translator (RELAY_FUZZ_STREAM selects it): any
// upstream bytes, split anywhere, must give the client well-formed events only (JSON data or
// [DONE]), and nothing once the translator is done.
#include "protocol/AnthropicToOpenAiStream.h"
#include "protocol/ChainedStream.h"
#include "protocol/ChatToResponsesStream.h"
#include "protocol/GeminiToOpenAiStream.h"
#include "protocol/OpenAiToAnthropicStream.h"
#include "protocol/OpenAiToGeminiStream.h"
#include "protocol/SseParser.h"

#include <QJsonDocument>
#include <cstdint>
#include <cstdlib>
#include <memory>

using namespace relay;

namespace {
std::unique_ptr<StreamTranslator> make()
{
    const QString model = QStringLiteral("m");
#if RELAY_FUZZ_STREAM == 1
    return std::make_unique<OpenAiToAnthropicStream>(model);
#elif RELAY_FUZZ_STREAM == 2
    return std::make_unique<AnthropicToOpenAiStream>(model, true);
#elif RELAY_FUZZ_STREAM == 3
    return std::make_unique<GeminiToOpenAiStream>(model, true);
#elif RELAY_FUZZ_STREAM == 4
    return std::make_unique<ChainedStream>(std::make_unique<GeminiToOpenAiStream>(model, true),
                                           std::make_unique<OpenAiToAnthropicStream>(model));
#elif RELAY_FUZZ_STREAM == 6
    const QJsonObject request = QJsonDocument::fromJson(R"({"generationConfig":
        {"thinkingConfig":{"includeThoughts":true}}})")
                                    .object();
    return std::make_unique<OpenAiToGeminiStream>(model, request);
#else
    const QJsonObject request { { QStringLiteral("tools"),
                                  QJsonDocument::fromJson(R"([{"type":"namespace","name":"ns__",
                                      "tools":[{"type":"function","name":"f"}]}])")
                                      .array() } };
    return std::make_unique<ChatToResponsesStream>(model, request);
#endif
}

void checkWellFormed(const QByteArray &out)
{
    SseParser parser;
    for (const SseEvent &e : parser.feed(out)) {
        if (e.data != "[DONE]" && !QJsonDocument::fromJson(e.data).isObject())
            std::abort();
    }
    if (parser.hasPartialEvent())
        std::abort();
}
} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size == 0)
        return 0;
    const qsizetype piece = 1 + data[0] % 64;
    const QByteArray input(reinterpret_cast<const char *>(data + 1),
                           static_cast<qsizetype>(size - 1));
    const std::unique_ptr<StreamTranslator> stream = make();
    QByteArray out;
    for (qsizetype i = 0; i < input.size(); i += piece) {
        const bool doneBefore = stream->isDone();
        const QByteArray more = stream->feed(input.mid(i, piece));
        if (doneBefore && !more.isEmpty())
            std::abort();
        out += more;
    }
    out += stream->finish();
    if (!stream->isDone() || !stream->fail(QStringLiteral("late")).isEmpty())
        std::abort();
    checkWellFormed(out);
    return 0;
}
