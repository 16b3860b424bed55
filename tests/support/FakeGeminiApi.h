#pragma once

#include "FakeProvider.h"

namespace relay::test {

// The fake provider's Gemini API (generateContent, streamGenerateContent?alt=sse). It rejects
// what Gemini rejects where translations go wrong: unknown fields, schema keywords outside its
// subset, a model turn whose first function call lacks its thoughtSignature (the documented
// skip sentinel is accepted only for models without "think" in their name, so that a lost
// signature shows), and function responses that answer no call.
class FakeGeminiApi
{
public:
    static FakeAnswer answer(const QJsonObject &body, const QString &model, bool stream);
};

} // namespace relay::test
