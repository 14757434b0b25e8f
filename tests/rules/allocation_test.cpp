// A line that matches no rule costs one Hyperscan scan and no allocation. Counts
// operator new across this test binary; only the difference around match() is read.

#include <gtest/gtest.h>

#include <atomic>
#include <cstdlib>
#include <new>

#include "tests/rules/rules_test_util.h"

namespace {
std::atomic<size_t> g_allocations{0};
}  // namespace

// Every plain and array form is replaced, so that whatever form a library uses,
// allocation and release meet in malloc and free (AddressSanitizer checks this).
namespace {
void* counted_malloc(std::size_t size) noexcept {
  g_allocations.fetch_add(1, std::memory_order_relaxed);
  return std::malloc(size == 0 ? 1 : size);
}
void* counted_or_throw(std::size_t size) {
  if (void* p = counted_malloc(size)) return p;
  throw std::bad_alloc();
}
}  // namespace

void* operator new(std::size_t size) {
  return counted_or_throw(size);
}
void* operator new[](std::size_t size) {
  return counted_or_throw(size);
}
void* operator new(std::size_t size, const std::nothrow_t& /*tag*/) noexcept {
  return counted_malloc(size);
}
void* operator new[](std::size_t size, const std::nothrow_t& /*tag*/) noexcept {
  return counted_malloc(size);
}
// GCC cannot see that new and delete are replaced together, both over malloc.
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wmismatched-new-delete"
void operator delete(void* p) noexcept {
  std::free(p);
}
void operator delete[](void* p) noexcept {
  std::free(p);
}
void operator delete(void* p, std::size_t /*size*/) noexcept {
  std::free(p);
}
void operator delete[](void* p, std::size_t /*size*/) noexcept {
  std::free(p);
}
void operator delete(void* p, const std::nothrow_t& /*tag*/) noexcept {
  std::free(p);
}
void operator delete[](void* p, const std::nothrow_t& /*tag*/) noexcept {
  std::free(p);
}
#pragma GCC diagnostic pop

namespace vigil::rules::test {
namespace {

class NullSink : public HitSink {
 public:
  void on_hit(const Event& /*event*/, const Hit& /*hit*/) override { ++hits; }
  size_t hits = 0;
};

TEST(MatcherAllocation, LineThatMatchesNoRuleAllocatesNothing) {
  std::vector<Rule> rules;
  rules.reserve(200);
  for (int i = 0; i < 200; ++i) {
    rules.push_back(rule("r" + std::to_string(i),
                         {"^Failed (?P<what>\\w+) for (?P<user>.*) from (?P<ip>\\S+) port " +
                          std::to_string(i) + "$"},
                         {{"ip", CaptureType::kIp}}));
  }
  const auto m = compile(std::move(rules));
  ASSERT_NE(m, nullptr);
  auto ctx = m->make_context();
  NullSink sink;
  const Event quiet = event("pam_unix(cron:session): session opened for user root by (uid=0)");
  const Event matching = event("Failed password for root from 10.0.0.1 port 7");
  m->match(matching, *ctx, sink);  // warm: nothing may be lazily allocated later

  const size_t before = g_allocations.load();
  for (int i = 0; i < 1000; ++i) m->match(quiet, *ctx, sink);
  EXPECT_EQ(g_allocations.load() - before, 0u);
  EXPECT_EQ(sink.hits, 1u);
}

TEST(MatcherAllocation, TypedCapturesReuseTheContextsBuffers) {
  const auto m = compile({rule("r", {"from (?P<ip>\\S+) took (?P<took>\\S+)"},
                               {{"ip", CaptureType::kIp}, {"took", CaptureType::kDuration}})});
  auto ctx = m->make_context();
  NullSink sink;
  const Event e = event("from ::ffff:10.1.2.3 took 1m30.25s");
  m->match(e, *ctx, sink);
  // RE2 itself may allocate while extracting groups; the normalised values must not.
  const size_t before = g_allocations.load();
  m->match(e, *ctx, sink);
  const size_t one_match = g_allocations.load() - before;
  for (int i = 0; i < 100; ++i) m->match(e, *ctx, sink);
  EXPECT_LE(g_allocations.load() - before, 101 * one_match);
  EXPECT_EQ(sink.hits, 102u);
}

}  // namespace
}  // namespace vigil::rules::test
