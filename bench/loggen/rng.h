#pragma once
// Portable randomness for the log generator. Only the raw output of
// std::mt19937_64 is used (the standard fixes its sequence); every helper below is
// integer arithmetic of our own, because the std distributions differ between
// standard libraries. A seed therefore yields the same bytes everywhere.

#include <cstddef>
#include <cstdint>
#include <iterator>
#include <random>

namespace loggen {

class Rng {
 public:
  explicit Rng(uint64_t seed) : engine_(seed) {}

  uint64_t next() { return engine_(); }

  // Uniform in [0, n); n must be > 0. Rejection sampling, no modulo bias.
  uint64_t below(uint64_t n) {
    const uint64_t threshold = (0 - n) % n;  // 2^64 mod n
    for (;;) {
      const uint64_t x = engine_();
      if (x >= threshold) return x % n;
    }
  }

  // Uniform in [lo, hi], both inclusive.
  int64_t between(int64_t lo, int64_t hi) {
    return lo + static_cast<int64_t>(below(static_cast<uint64_t>(hi - lo) + 1));
  }

  // True with probability ppm / 1,000,000.
  bool chance_ppm(uint32_t ppm) { return below(1'000'000) < ppm; }
  bool one_in(uint64_t n) { return below(n) == 0; }

  // In [0, n), biased towards 0: a few values take most of the draws, as a few
  // addresses do in real attack traffic.
  uint64_t skewed_below(uint64_t n) {
    uint64_t r = below(n);
    r = below(r + 1);
    return below(r + 1);
  }

  template <typename Container>
  const auto& pick(const Container& items) {
    return items[below(std::size(items))];
  }

 private:
  std::mt19937_64 engine_;
};

// Picks an index with probability proportional to its weight.
template <typename Weights>
size_t pick_weighted(Rng& rng, const Weights& weights) {
  uint64_t total = 0;
  for (const auto w : weights) total += w;
  uint64_t r = rng.below(total);
  size_t i = 0;
  for (const auto w : weights) {
    if (r < w) return i;
    r -= w;
    ++i;
  }
  return i - 1;
}

}  // namespace loggen
