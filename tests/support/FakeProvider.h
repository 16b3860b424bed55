#pragma once

#include <QByteArray>
#include <QJsonObject>
#include <QList>
#include <QStringList>

namespace relay::test {

struct ReceivedRequest;

// A whole answer of the fake provider: a JSON body, or SSE events sent one chunk each.
struct FakeAnswer
{
    int status = 200;
    QByteArray body;
    QList<QByteArray> events; // set for streams
};

// How a real OpenAI, Anthropic or Gemini server answers, reduced to what the relay's
// translations must get right. Each API checks requests the way the real one does where
// translation bugs would show (Anthropic: max_tokens, alternating roles, tool_result ids,
// signed thinking; Gemini: see FakeGeminiApi) and answers 400 in its own format otherwise.
//
// The answer follows the conversation: tool results -> "Tool said: ..."; tools offered ->
// a call of the first tool with {"query": <last user text>}, or, when the turn's text says
// `call NAME {json}`, a call of NAME with that input (how the agent e2e tests pick a tool); images
// -> "I see N image(s)"; else "Echo: <last user text>". Models whose name contains "think" reason
// first, with a signature where the API has one.
class FakeProvider
{
public:
    static constexpr auto kAnthropicSignature = "sig-anthropic-fake";
    static constexpr auto kGeminiSignature = "sig-gemini-fake";

    // Null status (0) when the path is not one of the three APIs.
    static FakeAnswer answer(const ReceivedRequest &request);

    struct Turn
    {
        QString text; // the last user text
        QString allText; // every user text of the turn, where a `call NAME {json}` is looked for
        QStringList toolResults;
        QStringList images; // media types or URLs
        QString tool; // the first tool offered
        bool thinking = false;
    };

private:
    static FakeAnswer openAi(const QJsonObject &body);
    static FakeAnswer anthropic(const QJsonObject &body);
};

} // namespace relay::test
