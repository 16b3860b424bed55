#include "TraitRouter.h"

#include "config/UpstreamConfig.h"

#include <QJsonArray>

namespace relay {

namespace {

bool isImagePart(const QJsonObject &part)
{
    const QString type = part.value(u"type").toString();
    if (type == u"image_url" || type == u"image" || type == u"input_image")
        return true;
    // Gemini's parts have no type: the data says what it is.
    for (const char16_t *key : { u"inlineData", u"fileData" }) {
        if (part.value(QStringView(key))
                .toObject()
                .value(u"mimeType")
                .toString()
                .startsWith(u"image/"))
            return true;
    }
    return false;
}

// Parts of a message, and one level down: Anthropic's tool_result blocks and the Responses
// API's function_call_output items hold parts of their own.
bool partsHaveImage(const QJsonArray &parts, bool nested)
{
    for (const QJsonValue &value : parts) {
        const QJsonObject part = value.toObject();
        if (isImagePart(part))
            return true;
        if (nested
            && (partsHaveImage(part.value(u"content").toArray(), false)
                || partsHaveImage(part.value(u"output").toArray(), false)))
            return true;
    }
    return false;
}

qint64 textCharacters(const QJsonValue &value, QStringView key)
{
    if (value.isString()) {
        const QString text = value.toString();
        return key == u"data" || text.startsWith(u"data:") ? 0 : text.size();
    }
    qint64 sum = 0;
    if (value.isArray()) {
        for (const QJsonValue &element : value.toArray())
            sum += textCharacters(element, {});
    } else if (value.isObject()) {
        const QJsonObject object = value.toObject();
        for (auto it = object.begin(); it != object.end(); ++it)
            sum += textCharacters(it.value(), it.key());
    }
    return sum;
}

bool isThinkingType(const QJsonValue &thinking)
{
    const QString type = thinking.toObject().value(u"type").toString();
    return type == u"enabled" || type == u"adaptive";
}

bool isEffort(const QJsonValue &effort)
{
    return effort.isString() && effort.toString() != u"none";
}

} // namespace

const RouteRule *TraitRouter::match(const QList<RouteRule> &routes, const RelayCall &call)
{
    if (call.kind != CallKind::Chat && call.kind != CallKind::Messages
        && call.kind != CallKind::Responses && call.kind != CallKind::Gemini)
        return nullptr;
    for (const RouteRule &rule : routes) {
        bool matches = false;
        switch (rule.trait) {
        case RouteRule::Trait::Thinking:
            matches = wantsThinking(call);
            break;
        case RouteRule::Trait::Images:
            matches = hasImages(call);
            break;
        case RouteRule::Trait::LongInput:
            matches = estimatedInputTokens(call.body) > rule.tokens;
            break;
        case RouteRule::Trait::Background:
            for (const QString &pattern : rule.models)
                matches = matches || modelPatternMatches(pattern, call.model);
            break;
        }
        if (matches)
            return &rule;
    }
    return nullptr;
}

bool TraitRouter::wantsThinking(const RelayCall &call)
{
    const QJsonObject &body = call.body;
    switch (call.kind) {
    case CallKind::Messages:
        return isThinkingType(body.value(u"thinking"));
    case CallKind::Responses:
        return isEffort(body.value(u"reasoning").toObject().value(u"effort"));
    case CallKind::Gemini: {
        const QJsonObject thinking
            = body.value(u"generationConfig").toObject().value(u"thinkingConfig").toObject();
        return thinking.value(u"thinkingBudget").toInt(thinking.isEmpty() ? 0 : -1) != 0
            || !thinking.value(u"thinkingLevel").toString().isEmpty();
    }
    default:
        // OpenAI's field, and the switches of DeepSeek, Qwen and Zhipu style APIs.
        return isEffort(body.value(u"reasoning_effort")) || isThinkingType(body.value(u"thinking"))
            || body.value(u"enable_thinking").toBool();
    }
}

bool TraitRouter::hasImages(const RelayCall &call)
{
    const QJsonValue turns = call.body.value(call.kind == CallKind::Responses    ? u"input"
                                                 : call.kind == CallKind::Gemini ? u"contents"
                                                                                 : u"messages");
    for (const QJsonValue &turn : turns.toArray()) {
        const QJsonObject item = turn.toObject();
        if (partsHaveImage(item.value(u"content").toArray(), true)
            || partsHaveImage(item.value(u"parts").toArray(), false)
            || partsHaveImage(item.value(u"output").toArray(), false))
            return true;
    }
    return false;
}

qint64 TraitRouter::estimatedInputTokens(const QJsonObject &body)
{
    return (textCharacters(body, {}) + 3) / 4;
}

} // namespace relay
