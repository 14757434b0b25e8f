#pragma once
// Text helpers of the report (private to reports/): folding the variable parts
// of messages, durations, percentiles, local times.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace vigil::reports {

// "query 4411 failed from 10.0.0.7 (id 9f3ab2c4d1)" -> "query <n> failed from <ip>
// (id <id>)": IPv4/IPv6 addresses, hex ids of 8+ characters (with a digit), UUIDs
// and numbers are folded, so repeats of one error count together.
std::string fold_message(std::string_view message);

// "1532", "1.5s", "250ms", "800us", "2m" -> milliseconds (no unit = ms).
std::optional<double> parse_duration_ms(std::string_view text);

// Nearest-rank percentile (0 < p <= 100) of sorted values; 0 when empty.
double percentile(const std::vector<double>& sorted, double p);

// "2026-11-28 06:25:14" in the process's local time zone.
std::string local_time_text(int64_t us_utc);
// "06:25" local.
std::string local_hhmm(int64_t us_utc);

}  // namespace vigil::reports
