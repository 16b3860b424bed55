#pragma once

#include <QJsonObject>

namespace relay {

// Rewrites a JSON Schema into the OpenAPI subset Gemini's function declarations accept:
// local $refs are inlined (8 levels deep, 512 in all at most), ["T","null"] types become T with
// nullable, const becomes a one-value enum, oneOf becomes anyOf, allOf is merged, "required" keeps
// only declared properties, and keywords Gemini rejects ($schema, additionalProperties, default,
// examples, patternProperties, exclusive bounds, unknown formats, ...) are removed.
class GeminiSchema
{
public:
    static QJsonObject clean(const QJsonObject &schema);
};

} // namespace relay
