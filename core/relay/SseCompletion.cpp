#include "SseCompletion.h"

namespace relay {

bool sseSaysFinished(std::string_view text)
{
    if (text.find("[DONE]") != std::string_view::npos)
        return true;
    constexpr std::string_view key = "\"finish_reason\"";
    for (size_t at = text.find(key); at != std::string_view::npos; at = text.find(key, at)) {
        at += key.size();
        while (at < text.size() && (text[at] == ' ' || text[at] == ':'))
            ++at;
        if (at < text.size() && text[at] == '"')
            return true;
    }
    return false;
}

} // namespace relay
