#pragma once
// The `vigil scan --json` line format of DESIGN.md's command-line contract.

#include <string>
#include <string_view>

#include "store/batch.h"

namespace vigil::app {

// Appends one {"type":"hit",...} object and a newline. `source` is the name the
// user gave the file; the hit's strings are already valid UTF-8.
void append_hit_json(std::string& out, const store::HitView& hit, std::string_view source);

}  // namespace vigil::app
