#pragma once
// The bundled sample day (2026-11-28, host web1) that `vigil demo` analyses: a
// realistic background plus a scripted story of attacks, admin work, a denied sudo
// and a service outage. The story's exact facts are listed in samples/README.md.

#include <cstdint>
#include <string>

namespace loggen {

// Writes `dir`/auth.log, `dir`/syslog and `dir`/application.log and prints the
// statistics of each on stderr. Throws std::runtime_error on an I/O error.
void write_sample_day(uint64_t seed, const std::string& dir);

}  // namespace loggen
