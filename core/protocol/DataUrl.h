#pragma once

#include <QString>

namespace relay {

// A "data:<mime>;base64,<data>" URL split into its parts; anything else is not one.
struct DataUrl
{
    QString mimeType;
    QString data; // still base64

    static bool parse(const QString &url, DataUrl *out);
};

} // namespace relay
