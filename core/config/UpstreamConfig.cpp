#include "UpstreamConfig.h"

#include <QUrl>
#include <algorithm>

namespace relay {

QString upstreamTypeName(UpstreamType type)
{
    switch (type) {
    case UpstreamType::OpenAi:
        return QStringLiteral("openai");
    case UpstreamType::Anthropic:
        return QStringLiteral("anthropic");
    case UpstreamType::Gemini:
        return QStringLiteral("gemini");
    }
    return {};
}

bool isValidBaseUrl(const QString &text)
{
    const QUrl url(text, QUrl::StrictMode);
    return url.isValid() && !url.host().isEmpty()
        && (url.scheme() == u"http" || url.scheme() == u"https");
}

bool isValidProxy(const QString &proxy)
{
    if (proxy == u"system" || proxy == u"none")
        return true;
    const QUrl url(proxy, QUrl::StrictMode);
    const QString scheme = url.scheme();
    return url.isValid() && !url.host().isEmpty()
        && (scheme == u"http" || scheme == u"https" || scheme == u"socks5");
}

bool isValidHeader(const QString &name, const QString &value)
{
    static const QString kTokenPunctuation = QStringLiteral("!#$%&'*+-.^_`|~");
    const auto tokenChar = [](QChar c) {
        return (c.unicode() < 128 && c.isLetterOrNumber()) || kTokenPunctuation.contains(c);
    };
    return !name.isEmpty() && std::all_of(name.begin(), name.end(), tokenChar)
        && !value.contains(u'\r') && !value.contains(u'\n') && !value.contains(QChar(0));
}

bool modelPatternMatches(const QString &pattern, const QString &model)
{
    // '*' matches any run of characters; everything else is literal. Iterative glob with
    // backtracking to the last star keeps this linear for realistic patterns.
    qsizetype p = 0, m = 0, star = -1, mark = 0;
    while (m < model.size()) {
        if (p < pattern.size() && pattern.at(p) == u'*') {
            star = p++;
            mark = m;
        } else if (p < pattern.size() && pattern.at(p) == model.at(m)) {
            ++p;
            ++m;
        } else if (star >= 0) {
            p = star + 1;
            m = ++mark;
        } else {
            return false;
        }
    }
    while (p < pattern.size() && pattern.at(p) == u'*')
        ++p;
    return p == pattern.size();
}

bool UpstreamConfig::serves(const QString &clientModel) const
{
    if (models.isEmpty() || mapping(clientModel))
        return true;
    const QString target = upstreamModel(clientModel);
    for (const QString &pattern : models) {
        if (modelPatternMatches(pattern, target))
            return true;
    }
    return false;
}

QString UpstreamConfig::upstreamModel(const QString &clientModel) const
{
    const QString *mapped = mapping(clientModel);
    return mapped ? *mapped : clientModel;
}

const QString *UpstreamConfig::mapping(const QString &clientModel) const
{
    const auto exact = modelMap.constFind(clientModel);
    if (exact != modelMap.cend())
        return &exact.value();
    // A name the upstream lists is its own: a broad pattern ("*") does not rename it.
    if (models.contains(clientModel))
        return nullptr;
    // The most specific matching pattern: the most literal characters, then the name's order.
    // (A JSON object keeps no order that survives a save, so file order cannot decide.)
    const QString *best = nullptr;
    qsizetype bestLiterals = -1;
    for (auto it = modelMap.cbegin(); it != modelMap.cend(); ++it) {
        if (!it.key().contains(u'*') || !modelPatternMatches(it.key(), clientModel))
            continue;
        const qsizetype literals = it.key().size() - it.key().count(u'*');
        if (literals > bestLiterals) {
            best = &it.value();
            bestLiterals = literals;
        }
    }
    return best;
}

} // namespace relay
