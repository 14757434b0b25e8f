#pragma once
// A strict JSON validator (RFC 8259, UTF-8), so that JSON text taken from the
// store is embedded into evidence only when it cannot break the document around
// it. Internal to respond/.

#include <string_view>

namespace vigil::respond {

// True when `text` is exactly one JSON value (with optional surrounding
// whitespace), valid UTF-8 without NUL, nested at most `max_depth` deep.
bool is_valid_json(std::string_view text, int max_depth = 64);

}  // namespace vigil::respond
