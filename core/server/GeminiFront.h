#pragma once

#include "types/HttpResponder.h"
#include "types/IncomingRequest.h"

#include <memory>

namespace relay {

class RelayEngine;

// The Gemini API under /v1beta, for the Google SDKs and Gemini CLI: generateContent,
// streamGenerateContent (alt=sse), countTokens and the model list, with errors in Gemini's
// format. Requests reach it authenticated (HttpFront).
class GeminiFront
{
public:
    explicit GeminiFront(RelayEngine &engine)
        : m_engine(engine)
    { }

    // /v1beta/..., and Gemini's /v1 (the default of @google/genai 3): /v1/models/M:method, or
    // /v1/models... when the request carries Google's key header or ?key=.
    static bool serves(const IncomingRequest &request);
    // The key a Gemini client presents: x-goog-api-key, or ?key= as Google also accepts.
    static QByteArray presentedKey(const IncomingRequest &request);

    void handle(const IncomingRequest &request, std::unique_ptr<HttpResponder> responder);

private:
    void generate(const IncomingRequest &request, std::unique_ptr<HttpResponder> responder,
                  const QString &model, const QString &method);
    void countTokens(const IncomingRequest &request, std::unique_ptr<HttpResponder> responder,
                     const QString &model);
    void listModels(std::unique_ptr<HttpResponder> responder, const QString &only);

    RelayEngine &m_engine;
};

} // namespace relay
