// libFuzzer target: every request translator takes any JSON (or not JSON) without crashing;
// what it cannot translate it reports as errors.
#include "protocol/AnthropicToOpenAiRequest.h"
#include "protocol/GeminiSchema.h"
#include "protocol/GeminiToOpenAiRequest.h"
#include "protocol/OpenAiToAnthropicRequest.h"
#include "protocol/OpenAiToGeminiRequest.h"
#include "protocol/ResponsesToChatRequest.h"

#include <QJsonDocument>
#include <cstdint>

using namespace relay;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QByteArray input(reinterpret_cast<const char *>(data), static_cast<qsizetype>(size));
    const TranslatedRequest pivot = AnthropicToOpenAiRequest::translate(input, true);
    const QJsonObject object = QJsonDocument::fromJson(input).object();
    OpenAiToAnthropicRequest::translate(object);
    OpenAiToGeminiRequest::translate(object);
    OpenAiToGeminiRequest::translate(pivot.body);
    OpenAiToGeminiRequest::translate(ResponsesToChatRequest::translate(object, true).body);
    GeminiToOpenAiRequest::translate(object, false);
    OpenAiToAnthropicRequest::translate(GeminiToOpenAiRequest::translate(object, true, true).body);
    GeminiSchema::clean(object);
    return 0;
}
