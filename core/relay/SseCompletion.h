#pragma once

#include <string_view>

namespace relay {

// Whether this piece of an OpenAI chat stream says the stream is complete: "[DONE]", or a
// chunk with a non-null finish_reason (some providers end there without "[DONE]").
bool sseSaysFinished(std::string_view text);

} // namespace relay
