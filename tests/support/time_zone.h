#pragma once
// Shared by the core and ingest tests: a scoped time zone and expected times
// computed by the C library rather than by the code under test.

#include <cstdint>
#include <cstdlib>
#include <ctime>
#include <optional>
#include <string>

namespace vigil::test {

// Sets the process time zone for one test and restores the previous one.
// setenv/unsetenv race with any thread reading the environment; GoogleTest runs
// the tests of a binary one after another on the main thread, so none does.
class ScopedTz {
 public:
  explicit ScopedTz(const char* tz) {
    if (const char* old = std::getenv("TZ")) old_ = old;
    setenv("TZ", tz, 1);  // NOLINT(concurrency-mt-unsafe): single-threaded, see above
    tzset();
  }
  ~ScopedTz() {
    if (old_) {
      setenv("TZ", old_->c_str(), 1);  // NOLINT(concurrency-mt-unsafe): single-threaded
    } else {
      unsetenv("TZ");  // NOLINT(concurrency-mt-unsafe): single-threaded, see above
    }
    tzset();
  }
  ScopedTz(const ScopedTz&) = delete;
  ScopedTz& operator=(const ScopedTz&) = delete;

 private:
  std::optional<std::string> old_;
};

inline int64_t utc_us(int y, int mo, int d, int h, int mi, int s, int64_t us = 0) noexcept {
  struct tm tm {};
  tm.tm_year = y - 1900;
  tm.tm_mon = mo - 1;
  tm.tm_mday = d;
  tm.tm_hour = h;
  tm.tm_min = mi;
  tm.tm_sec = s;
  return static_cast<int64_t>(timegm(&tm)) * 1'000'000 + us;
}

}  // namespace vigil::test
