#include "protocol/AnthropicToOpenAiRequest.h"
#include "protocol/AnthropicToOpenAiResponse.h"
#include "protocol/AnthropicToOpenAiStream.h"
#include "protocol/ChainedStream.h"
#include "protocol/ChatToResponsesStream.h"
#include "protocol/GeminiToOpenAiRequest.h"
#include "protocol/GeminiToOpenAiStream.h"
#include "protocol/OpenAiToAnthropicRequest.h"
#include "protocol/OpenAiToAnthropicResponse.h"
#include "protocol/OpenAiToAnthropicStream.h"
#include "protocol/OpenAiToGeminiRequest.h"
#include "protocol/OpenAiToGeminiStream.h"
#include "protocol/ResponsesToChatRequest.h"
#include "protocol/SseParser.h"

#include "GoldenFiles.h"

#include <QtTest>
#include <functional>
#include <memory>

using namespace relay;
using namespace relay::test;

// Every translator against its golden files in tests/data/<folder>/: NAME.in.* is what the
// translator gets, NAME.out.* what it must produce, or NAME.error.txt a text its error must
// contain. JSON is compared as values (key order does not matter); streams event by event, and
// each stream again split into pieces of every size from 1 to 64 bytes, with identical output.
// RELAY_GOLDEN_WRITE=1 writes a missing .out file (to be reviewed by hand before committing).
namespace {

constexpr qint64 kCreated = 1700000000;
const QString kModel = QStringLiteral("test-model");

using RequestFn = std::function<TranslatedRequest(const QByteArray &)>;
using ResponseFn = std::function<QByteArray(const QByteArray &, QString *)>;
using StreamFactory = std::function<std::unique_ptr<StreamTranslator>()>;

QJsonObject object(const QByteArray &json)
{
    return QJsonDocument::fromJson(json).object();
}

// The Responses request the answers in chat-to-responses-* reply to: its fields are echoed, and
// its namespace tool's functions come back split into namespace and name.
QJsonObject responsesRequest()
{
    return object(R"({"model":"gpt-test","instructions":"Be brief.","tools":[
        {"type":"function","name":"get_weather","parameters":{"type":"object"}},
        {"type":"namespace","name":"mcp__docs__","description":"Docs","tools":[
            {"type":"function","name":"search","parameters":{"type":"object"}}]}]})");
}

// The Gemini request the answers in chat-to-gemini-* reply to: it asks for thoughts.
QJsonObject geminiRequest()
{
    return object(R"({"contents":[{"parts":[{"text":"hi"}]}],
        "generationConfig":{"thinkingConfig":{"includeThoughts":true}}})");
}

const QHash<QString, RequestFn> &requestTranslators()
{
    static const QHash<QString, RequestFn> all {
        { QStringLiteral("anthropic-to-openai-request"),
          [](const QByteArray &in) { return AnthropicToOpenAiRequest::translate(in); } },
        { QStringLiteral("anthropic-to-openai-pivot-request"),
          [](const QByteArray &in) { return AnthropicToOpenAiRequest::translate(in, true); } },
        { QStringLiteral("openai-to-anthropic-request"),
          [](const QByteArray &in) { return OpenAiToAnthropicRequest::translate(object(in)); } },
        { QStringLiteral("openai-to-gemini-request"),
          [](const QByteArray &in) { return OpenAiToGeminiRequest::translate(object(in)); } },
        { QStringLiteral("responses-to-chat-request"),
          [](const QByteArray &in) { return ResponsesToChatRequest::translate(object(in)); } },
        { QStringLiteral("gemini-to-chat-request"),
          [](const QByteArray &in) {
              return GeminiToOpenAiRequest::translate(object(in), false);
          } },
        { QStringLiteral("gemini-to-chat-pivot-request"),
          [](const QByteArray &in) {
              return GeminiToOpenAiRequest::translate(object(in), true, true);
          } },
        { QStringLiteral("responses-to-chat-pivot-request"),
          [](const QByteArray &in) {
              return ResponsesToChatRequest::translate(object(in), true);
          } },
    };
    return all;
}

const QHash<QString, ResponseFn> &responseTranslators()
{
    static const QHash<QString, ResponseFn> all {
        { QStringLiteral("openai-to-anthropic-response"),
          [](const QByteArray &in, QString *error) {
              return OpenAiToAnthropicResponse::translate(in, QStringLiteral("claude-test"), error);
          } },
        { QStringLiteral("anthropic-to-openai-response"),
          [](const QByteArray &in, QString *error) {
              return AnthropicToOpenAiResponse::translate(in, kModel, error);
          } },
        { QStringLiteral("gemini-to-openai-response"),
          [](const QByteArray &in, QString *error) {
              return GeminiToOpenAiStream::translateResponse(in, kModel, error);
          } },
        { QStringLiteral("chat-to-gemini-response"),
          [](const QByteArray &in, QString *error) {
              return OpenAiToGeminiStream::translateResponse(in, kModel, geminiRequest(), error,
                                                             QStringLiteral("resp-test"));
          } },
        { QStringLiteral("chat-to-responses-response"),
          [](const QByteArray &in, QString *error) {
              return ChatToResponsesStream::translateResponse(
                  in, kModel, responsesRequest(), error, QStringLiteral("resp_test"), kCreated);
          } },
    };
    return all;
}

const QHash<QString, StreamFactory> &streamTranslators()
{
    static const QHash<QString, StreamFactory> all {
        { QStringLiteral("openai-to-anthropic-stream"),
          [] {
              return std::make_unique<OpenAiToAnthropicStream>(QStringLiteral("claude-test"),
                                                               QStringLiteral("msg_test"));
          } },
        { QStringLiteral("anthropic-to-openai-stream"),
          [] {
              return std::make_unique<AnthropicToOpenAiStream>(
                  kModel, true, QStringLiteral("chatcmpl-test"), kCreated);
          } },
        { QStringLiteral("gemini-to-openai-stream"),
          [] {
              return std::make_unique<GeminiToOpenAiStream>(
                  kModel, true, QStringLiteral("chatcmpl-test"), kCreated);
          } },
        { QStringLiteral("chat-to-responses-stream"),
          [] {
              return std::make_unique<ChatToResponsesStream>(kModel, responsesRequest(),
                                                             QStringLiteral("resp_test"), kCreated);
          } },
        { QStringLiteral("chat-to-gemini-stream"),
          [] {
              return std::make_unique<OpenAiToGeminiStream>(kModel, geminiRequest(),
                                                            QStringLiteral("resp-test"));
          } },
        { QStringLiteral("gemini-to-anthropic-stream"),
          [] {
              return std::make_unique<ChainedStream>(
                  std::make_unique<GeminiToOpenAiStream>(kModel, true,
                                                         QStringLiteral("chatcmpl-test"), kCreated),
                  std::make_unique<OpenAiToAnthropicStream>(kModel, QStringLiteral("msg_test")));
          } },
    };
    return all;
}

// "created" is the time of translation in whole responses; it only has to be a time.
bool normalized(QJsonObject &json)
{
    if (!json.contains(u"created"))
        return true;
    const bool ok = json.value(u"created").toInteger() > kCreated;
    json.remove(QStringLiteral("created"));
    return ok;
}

QList<QPair<QByteArray, QByteArray>> events(const QByteArray &sse)
{
    SseParser parser;
    QList<QPair<QByteArray, QByteArray>> out;
    for (const SseEvent &e : parser.feed(sse)) {
        const QJsonDocument doc = QJsonDocument::fromJson(e.data);
        out.append({ e.type, doc.isObject() ? doc.toJson(QJsonDocument::Compact) : e.data });
    }
    return out;
}

QByteArray runStream(const StreamFactory &make, const QByteArray &input, qsizetype piece)
{
    const std::unique_ptr<StreamTranslator> stream = make();
    QByteArray out;
    for (qsizetype i = 0; i < input.size() && !stream->isDone(); i += piece)
        out += stream->feed(input.mid(i, piece));
    return out + stream->finish();
}

bool writeMissing(const QString &path, const QByteArray &content)
{
    if (QFileInfo::exists(path) || qEnvironmentVariableIntValue("RELAY_GOLDEN_WRITE") != 1)
        return false;
    QFile f(path);
    return f.open(QIODevice::WriteOnly) && f.write(content) == content.size();
}

QByteArray pretty(const QJsonObject &json)
{
    return QJsonDocument(json).toJson(QJsonDocument::Indented);
}

void checkError(const QString &base, const QStringList &errors)
{
    const QString expected = QString::fromUtf8(readFile(base + ".error.txt")).trimmed();
    QVERIFY2(!expected.isEmpty(), "empty .error.txt");
    QVERIFY2(errors.join(u'\n').contains(expected), qPrintable(errors.join(u'\n')));
}

} // namespace

class TestTranslations : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void testRequests_data();
    void testRequests();
    void testResponses_data();
    void testResponses();
    void testStreams_data();
    void testStreams();
    void testStream_eachEventForwardedBeforeTheNextArrives_data();
    void testStream_eachEventForwardedBeforeTheNextArrives();
    void testStream_keepAliveFirst_isValidForTheClient_data();
    void testStream_keepAliveFirst_isValidForTheClient();
    void testStream_failAfterFinish_addsNothing_data();
    void testStream_failAfterFinish_addsNothing();

private:
    static void addRows(const QStringList &folders, const QString &inputSuffix);
};

void TestTranslations::addRows(const QStringList &folders, const QString &inputSuffix)
{
    QTest::addColumn<QString>("folder");
    QTest::addColumn<QString>("base");
    const QDir root(QStringLiteral(RELAY_TEST_DATA_DIR));
    for (const QString &folder : folders) {
        const QDir dir(root.filePath(folder));
        const QStringList inputs = dir.entryList({ u'*' + inputSuffix }, QDir::Files, QDir::Name);
        QVERIFY2(inputs.size() >= 3, qPrintable(dir.path()));
        for (const QString &input : inputs) {
            const QString name = input.chopped(inputSuffix.size());
            QTest::newRow(qPrintable(folder + u'/' + name)) << folder << dir.filePath(name);
        }
    }
}

void TestTranslations::testRequests_data()
{
    addRows(requestTranslators().keys(), QStringLiteral(".in.json"));
}

void TestTranslations::testRequests()
{
    QFETCH(QString, folder);
    QFETCH(QString, base);
    const TranslatedRequest out = requestTranslators().value(folder)(readFile(base + ".in.json"));
    if (QFileInfo::exists(base + ".error.txt"))
        return checkError(base, out.errors);
    QVERIFY2(out.ok(), qPrintable(out.errors.join(u'\n')));
    if (writeMissing(base + ".out.json", pretty(out.body)))
        QSKIP("written");
    const QJsonObject expected = object(readFile(base + ".out.json"));
    QVERIFY(!expected.isEmpty());
    if (out.body != expected) {
        qWarning().noquote() << "got:" << pretty(out.body);
        QFAIL("translation differs from the golden file");
    }
}

void TestTranslations::testResponses_data()
{
    addRows(responseTranslators().keys(), QStringLiteral(".in.json"));
}

void TestTranslations::testResponses()
{
    QFETCH(QString, folder);
    QFETCH(QString, base);
    QString error;
    const QByteArray out = responseTranslators().value(folder)(readFile(base + ".in.json"), &error);
    if (QFileInfo::exists(base + ".error.txt")) {
        QVERIFY(out.isEmpty());
        return checkError(base, { error });
    }
    QVERIFY2(error.isEmpty(), qPrintable(error));
    QJsonObject got = object(out);
    QVERIFY2(normalized(got), "\"created\" is not a current time");
    if (writeMissing(base + ".out.json", pretty(got)))
        QSKIP("written");
    const QJsonObject expected = object(readFile(base + ".out.json"));
    QVERIFY(!expected.isEmpty());
    if (got != expected) {
        qWarning().noquote() << "got:" << pretty(got);
        QFAIL("translation differs from the golden file");
    }
}

void TestTranslations::testStreams_data()
{
    addRows(streamTranslators().keys(), QStringLiteral(".in.sse"));
}

void TestTranslations::testStreams()
{
    QFETCH(QString, folder);
    QFETCH(QString, base);
    const StreamFactory make = streamTranslators().value(folder);
    const QByteArray input = readFile(base + ".in.sse");
    const QByteArray whole = runStream(make, input, input.size());
    if (writeMissing(base + ".out.sse", whole))
        QSKIP("written");
    const auto expected = events(readFile(base + ".out.sse"));
    QVERIFY(!expected.isEmpty());
    if (events(whole) != expected) {
        qWarning().noquote() << "got:\n" << whole;
        QFAIL("stream differs from the golden file");
    }
    for (qsizetype piece = 1; piece <= 64; ++piece)
        QCOMPARE(runStream(make, input, piece), whole);
}

void TestTranslations::testStream_eachEventForwardedBeforeTheNextArrives_data()
{
    QTest::addColumn<QString>("folder");
    QTest::addColumn<QByteArray>("first");
    QTest::addColumn<QByteArray>("expected");
    QTest::newRow("openai-to-anthropic")
        << QStringLiteral("openai-to-anthropic-stream")
        << QByteArray("data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"A\"}}]}\n\n")
        << QByteArray("\"text\":\"A\"");
    QTest::newRow("anthropic-to-openai")
        << QStringLiteral("anthropic-to-openai-stream")
        << QByteArray("event: message_start\ndata: {\"type\":\"message_start\",\"message\":{\"id\":"
                      "\"m\",\"usage\":{}}}\n\nevent: content_block_delta\ndata: "
                      "{\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":"
                      "\"text_delta\",\"text\":\"A\"}}\n\n")
        << QByteArray("\"content\":\"A\"");
    QTest::newRow("gemini-to-openai")
        << QStringLiteral("gemini-to-openai-stream")
        << QByteArray("data: {\"candidates\":[{\"content\":{\"role\":\"model\",\"parts\":[{"
                      "\"text\":\"A\"}]}}]}\n\n")
        << QByteArray("\"content\":\"A\"");
    QTest::newRow("gemini-to-anthropic")
        << QStringLiteral("gemini-to-anthropic-stream")
        << QByteArray("data: {\"candidates\":[{\"content\":{\"role\":\"model\",\"parts\":[{"
                      "\"text\":\"A\"}]}}]}\n\n")
        << QByteArray("\"text\":\"A\"");
}

// Output follows input event by event: nothing waits for the end of the stream.
void TestTranslations::testStream_eachEventForwardedBeforeTheNextArrives()
{
    QFETCH(QString, folder);
    QFETCH(QByteArray, first);
    QFETCH(QByteArray, expected);
    const std::unique_ptr<StreamTranslator> stream = streamTranslators().value(folder)();
    const QByteArray out = stream->feed(first);
    QVERIFY2(out.contains(expected), out.constData());
    QVERIFY(!stream->isDone());
}

void TestTranslations::testStream_keepAliveFirst_isValidForTheClient_data()
{
    QTest::addColumn<QString>("folder");
    QTest::addColumn<QByteArrayList>("expectedTypes");
    const QByteArrayList anthropic { "message_start", "ping", "ping" };
    QTest::newRow("openai-to-anthropic")
        << QStringLiteral("openai-to-anthropic-stream") << anthropic;
    QTest::newRow("gemini-to-anthropic")
        << QStringLiteral("gemini-to-anthropic-stream") << anthropic;
    QTest::newRow("anthropic-to-openai")
        << QStringLiteral("anthropic-to-openai-stream") << QByteArrayList();
    QTest::newRow("gemini-to-openai")
        << QStringLiteral("gemini-to-openai-stream") << QByteArrayList();
}

// A keep-alive may come before the upstream's first event: Anthropic clients reject anything
// before message_start, so the message starts there; OpenAI clients get comments only.
void TestTranslations::testStream_keepAliveFirst_isValidForTheClient()
{
    QFETCH(QString, folder);
    QFETCH(QByteArrayList, expectedTypes);
    const std::unique_ptr<StreamTranslator> stream = streamTranslators().value(folder)();
    QByteArray out = stream->keepAlive();
    out += stream->keepAlive();
    QVERIFY(!out.isEmpty());
    SseParser parser;
    QByteArrayList types;
    for (const SseEvent &e : parser.feed(out))
        types.append(e.type);
    QCOMPARE(types, expectedTypes);
    QVERIFY(!stream->isDone());
}

void TestTranslations::testStream_failAfterFinish_addsNothing_data()
{
    addRows(streamTranslators().keys(), QStringLiteral(".in.sse"));
}

// Once a stream is complete or failed, a late failure or end adds nothing.
void TestTranslations::testStream_failAfterFinish_addsNothing()
{
    QFETCH(QString, folder);
    QFETCH(QString, base);
    const std::unique_ptr<StreamTranslator> stream = streamTranslators().value(folder)();
    stream->feed(readFile(base + ".in.sse"));
    stream->finish();
    QVERIFY(stream->isDone());
    QVERIFY(stream->fail(QStringLiteral("late")).isEmpty());
    QVERIFY(stream->finish().isEmpty());
}

QTEST_GUILESS_MAIN(TestTranslations)
#include "TestTranslations.moc"
