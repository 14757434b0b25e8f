#pragma once
// The benchmark generators: an endless stream of a host's syslog-and-auth lines or
// of governance-app's application log, with a chosen share of rule hits.

#include <cstdint>
#include <string>

#include "loggen/timeline.h"

namespace loggen {

enum class BenchKind { kAuth, kApp };

struct BenchOptions {
  BenchKind kind = BenchKind::kAuth;
  uint64_t lines = 100'000;
  uint64_t seed = 1;
  uint32_t hit_ppm = 100'000;  // share of hit lines, parts per million
  int64_t start_us = 0;
  int64_t span_us = 0;  // the lines spread over this much time
  StampStyle stamp = StampStyle::kRfc3164;
  bool attack = false;  // few hundred attacking addresses, attacks dominate the hits
  size_t ip_count = 0;  // attacking addresses
  std::string host = "web1";
};

// Writes exactly `options.lines` lines, in time order, to `writer`.
void run_bench(const BenchOptions& options, LineWriter& writer);

}  // namespace loggen
