#include "DataUrl.h"

namespace relay {

bool DataUrl::parse(const QString &url, DataUrl *out)
{
    if (!url.startsWith(u"data:"))
        return false;
    const qsizetype comma = url.indexOf(u',');
    const qsizetype marker = url.lastIndexOf(u";base64", comma);
    if (comma < 0 || marker < 0 || marker + 7 != comma)
        return false;
    out->mimeType = url.mid(5, marker - 5);
    out->data = url.mid(comma + 1);
    return !out->mimeType.isEmpty();
}

} // namespace relay
