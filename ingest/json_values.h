#pragma once
// Scalar values of JSON log lines (private to ingest/): epoch times, level numbers,
// number-token checks. Hand-written so that a huge or odd number is a clean
// "no value", never an overflow.

#include <cstdint>
#include <optional>
#include <string_view>

namespace vigil::ingest::json {

// True for a JSON number token: -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?
bool is_number(std::string_view token);

// An epoch time, the unit told by the magnitude of the integer part: below 1e11
// seconds (until the year 5138), below 1e14 milliseconds, below 1e17 microseconds,
// else nanoseconds. Digits past the microsecond are dropped. nullopt for a token that
// is not a number or lies outside the years 0001-9999.
std::optional<int64_t> epoch_us(std::string_view number);

// A numeric level: syslog priorities 0-7 as they are, pino/bunyan levels
// 10 (trace) 20 (debug) 30 (info) 40 (warn) 50 (error) 60 (fatal) mapped to
// priorities; -1 for anything else.
int numeric_level(std::string_view number);

}  // namespace vigil::ingest::json
