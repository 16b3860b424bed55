#pragma once

#include <QJsonObject>
#include <QStringList>

namespace relay {

// A request body rewritten for another API, or the reasons it could not be.
struct TranslatedRequest
{
    QJsonObject body;
    QStringList errors; // "messages[1].content[0].type: ..." in the caller's terms
    bool stream = false;

    bool ok() const { return errors.isEmpty(); }
};

} // namespace relay
