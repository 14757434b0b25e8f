#pragma once
// Checks and normalises a typed capture. Each returns false when `raw` is not a
// value of its type (the pattern then does not match), else writes the
// canonical form to `out`. `out` keeps its capacity between calls, so
// normalising costs no allocation once the matcher's buffers are warm.

#include <string>
#include <string_view>

#include "rules/ruleset.h"

namespace vigil::rules {

// IPv4 or IPv6 (optionally in [brackets]) in inet_ntop's canonical form;
// an IPv4-mapped IPv6 address becomes plain IPv4.
bool normalize_ip(std::string_view raw, std::string& out);

// A decimal integer that fits 64 bits, optional sign: "+007" -> "7", "-0" -> "0".
bool normalize_int(std::string_view raw, std::string& out);

// A duration written as milliseconds: a decimal number with up to six decimals
// and no trailing zeros ("1532", "1.5", "0.000001"). Input: a number with an
// optional unit (ns, us, µs, μs, ms, s, m, h; none means ms; spaces allowed
// before the unit), or a Go-style sum of such terms, each with a unit ("1m30.5s").
bool normalize_duration(std::string_view raw, std::string& out);

// Dispatches on `type`. String and user captures are returned as they are, in
// `value`, without a copy; the others are written to `buffer` and `value` views it.
bool normalize_capture(CaptureType type, std::string_view raw, std::string& buffer,
                       std::string_view& value);

}  // namespace vigil::rules
