// libFuzzer target: SseParser must take any bytes, split anywhere, without crashing, and give the
// same events whether fed whole or in pieces.
#include "protocol/SseParser.h"

#include <cstdint>
#include <cstdlib>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size == 0)
        return 0;
    const qsizetype piece = 1 + data[0] % 64;
    const QByteArray input(reinterpret_cast<const char *>(data + 1),
                           static_cast<qsizetype>(size - 1));
    relay::SseParser whole;
    const QList<relay::SseEvent> expected = whole.feed(input);
    relay::SseParser split;
    QList<relay::SseEvent> events;
    for (qsizetype i = 0; i < input.size(); i += piece)
        events += split.feed(input.mid(i, piece));
    if (events != expected || whole.hasPartialEvent() != split.hasPartialEvent())
        std::abort();
    return 0;
}
