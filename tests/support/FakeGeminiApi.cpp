#include "FakeGeminiApi.h"

#include "FakeReply.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QSet>

namespace relay::test {

namespace {

using Turn = FakeProvider::Turn;

FakeAnswer geminiError(const QString &message)
{
    return FakeAnswer { 400,
                        FakeReply::json(
                            { { QStringLiteral("error"),
                                QJsonObject { { QStringLiteral("code"), 400 },
                                              { QStringLiteral("message"), message },
                                              { QStringLiteral("status"),
                                                QStringLiteral("INVALID_ARGUMENT") } } } }),
                        {} };
}

QString unknownKey(const QJsonObject &object, const QSet<QString> &known)
{
    for (auto it = object.begin(); it != object.end(); ++it) {
        if (!known.contains(it.key()))
            return it.key();
    }
    return {};
}

// The schema keywords Gemini's function declarations accept.
QString badSchemaKeyword(const QJsonObject &schema)
{
    static const QSet<QString> known {
        QStringLiteral("type"),      QStringLiteral("format"),  QStringLiteral("description"),
        QStringLiteral("nullable"),  QStringLiteral("enum"),    QStringLiteral("properties"),
        QStringLiteral("required"),  QStringLiteral("items"),   QStringLiteral("minItems"),
        QStringLiteral("maxItems"),  QStringLiteral("minimum"), QStringLiteral("maximum"),
        QStringLiteral("anyOf"),     QStringLiteral("title"),   QStringLiteral("minLength"),
        QStringLiteral("maxLength"), QStringLiteral("pattern")
    };
    const QString bad = unknownKey(schema, known);
    if (!bad.isEmpty())
        return bad;
    const QJsonObject properties = schema.value(u"properties").toObject();
    for (auto it = properties.begin(); it != properties.end(); ++it) {
        const QString inner = badSchemaKeyword(it.value().toObject());
        if (!inner.isEmpty())
            return inner;
    }
    return schema.contains(u"items") ? badSchemaKeyword(schema.value(u"items").toObject())
                                     : QString();
}

} // namespace

FakeAnswer FakeGeminiApi::answer(const QJsonObject &body, const QString &model, bool stream)
{
    const QString unknown
        = unknownKey(body,
                     { QStringLiteral("contents"), QStringLiteral("systemInstruction"),
                       QStringLiteral("tools"), QStringLiteral("toolConfig"),
                       QStringLiteral("generationConfig"), QStringLiteral("safetySettings") });
    if (!unknown.isEmpty())
        return geminiError(
            QStringLiteral("Invalid JSON payload received. Unknown name \"%1\": Cannot find field.")
                .arg(unknown));
    for (const QJsonValue &tool : body.value(u"tools").toArray()) {
        for (const QJsonValue &d : tool.toObject().value(u"functionDeclarations").toArray()) {
            const QString bad = badSchemaKeyword(d.toObject().value(u"parameters").toObject());
            if (!bad.isEmpty())
                return geminiError(
                    QStringLiteral("Invalid JSON payload received. Unknown name \"%1\" at "
                                   "'tools[0].function_declarations'")
                        .arg(bad));
        }
    }
    const QJsonArray contents = body.value(u"contents").toArray();
    if (contents.isEmpty())
        return geminiError(
            QStringLiteral("* GenerateContentRequest.contents: contents is not specified"));
    QSet<QString> calledNames;
    for (qsizetype i = 0; i < contents.size(); ++i) {
        const QJsonObject content = contents.at(i).toObject();
        const QString role = content.value(u"role").toString();
        if (role != u"user" && role != u"model")
            return geminiError(QStringLiteral("Please use a valid role: user, model."));
        bool firstCall = true;
        for (const QJsonValue &v : content.value(u"parts").toArray()) {
            const QJsonObject part = v.toObject();
            if (part.contains(u"functionCall")) {
                calledNames.insert(
                    part.value(u"functionCall").toObject().value(u"name").toString());
                const QString signature = part.value(u"thoughtSignature").toString();
                // Thinking models here insist on their own signature, so a lost one shows.
                const bool sentinel
                    = signature == u"skip_thought_signature_validator" && !model.contains(u"think");
                if (firstCall && signature != QLatin1String(FakeProvider::kGeminiSignature)
                    && !sentinel)
                    return geminiError(
                        QStringLiteral("Function call is missing a thought_signature "
                                       "in functionCall parts."));
                firstCall = false;
            } else if (part.contains(u"functionResponse")
                       && !calledNames.contains(
                           part.value(u"functionResponse").toObject().value(u"name").toString())) {
                return geminiError(QStringLiteral("function response name matches no call"));
            }
        }
    }
    Turn turn;
    for (const QJsonValue &v : contents.last().toObject().value(u"parts").toArray()) {
        const QJsonObject part = v.toObject();
        if (part.contains(u"text")) {
            turn.text = part.value(u"text").toString();
            turn.allText += turn.text + u'\n';
        } else if (part.contains(u"inlineData"))
            turn.images.append(part.value(u"inlineData").toObject().value(u"mimeType").toString());
        else if (part.contains(u"fileData"))
            turn.images.append(part.value(u"fileData").toObject().value(u"fileUri").toString());
        else if (part.contains(u"functionResponse"))
            turn.toolResults.append(QString::fromUtf8(FakeReply::json(
                part.value(u"functionResponse").toObject().value(u"response").toObject())));
    }
    turn.tool = body.value(u"tools")
                    .toArray()
                    .at(0)
                    .toObject()
                    .value(u"functionDeclarations")
                    .toArray()
                    .at(0)
                    .toObject()
                    .value(u"name")
                    .toString();
    turn.thinking = model.contains(u"think");
    const FakeReply r = FakeReply::to(turn);
    QJsonArray parts;
    if (!r.reasoning.isEmpty())
        parts.append(QJsonObject { { QStringLiteral("text"), r.reasoning },
                                   { QStringLiteral("thought"), true } });
    if (!r.text.isEmpty()) {
        QJsonObject part { { QStringLiteral("text"), r.text } };
        if (turn.thinking)
            part.insert(QStringLiteral("thoughtSignature"),
                        QLatin1String(FakeProvider::kGeminiSignature));
        parts.append(part);
    }
    if (!r.tool.isEmpty())
        parts.append(QJsonObject { { QStringLiteral("functionCall"),
                                     QJsonObject { { QStringLiteral("name"), r.tool },
                                                   { QStringLiteral("args"), r.args } } },
                                   { QStringLiteral("thoughtSignature"),
                                     QLatin1String(FakeProvider::kGeminiSignature) } });
    const QJsonObject usage { { QStringLiteral("promptTokenCount"), 11 },
                              { QStringLiteral("candidatesTokenCount"), 5 },
                              { QStringLiteral("thoughtsTokenCount"), 2 },
                              { QStringLiteral("totalTokenCount"), 18 } };
    auto response = [&](const QJsonArray &someParts, bool last) {
        QJsonObject candidate { { QStringLiteral("index"), 0 },
                                { QStringLiteral("content"),
                                  QJsonObject { { QStringLiteral("role"), QStringLiteral("model") },
                                                { QStringLiteral("parts"), someParts } } } };
        QJsonObject out { { QStringLiteral("modelVersion"), model },
                          { QStringLiteral("responseId"), QStringLiteral("resp-fake") } };
        if (last) {
            candidate.insert(QStringLiteral("finishReason"), QStringLiteral("STOP"));
            out.insert(QStringLiteral("usageMetadata"), usage);
        }
        out.insert(QStringLiteral("candidates"), QJsonArray { candidate });
        return out;
    };
    if (!stream)
        return { 200, FakeReply::json(response(parts, true)), {} };
    FakeAnswer a;
    for (qsizetype i = 0; i < parts.size(); ++i)
        a.events.append("data: " + FakeReply::json(response({ parts.at(i) }, i == parts.size() - 1))
                        + "\r\n\r\n");
    return a;
}

} // namespace relay::test
