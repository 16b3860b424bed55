#include "IncomingRequest.h"

namespace relay {

QByteArray IncomingRequest::header(const QByteArray &lowerCaseName) const
{
    for (const auto &[name, value] : headers) {
        if (name == lowerCaseName)
            return value;
    }
    return {};
}

} // namespace relay
