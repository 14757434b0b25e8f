// In steady state a JSON line costs no allocation: the parser, its padded buffer,
// the scratch arena and the lookup cache are reused. Counts operator new across
// this test binary; only the difference around the parsing loop is read.

#include <gtest/gtest.h>

#include <atomic>
#include <cstdlib>
#include <new>
#include <string>
#include <vector>

#include "ingest/parser.h"

namespace {
std::atomic<size_t> g_allocations{0};

void* counted_malloc(std::size_t size) noexcept {
  g_allocations.fetch_add(1, std::memory_order_relaxed);
  return std::malloc(size == 0 ? 1 : size);
}
void* counted_or_throw(std::size_t size) {
  if (void* p = counted_malloc(size)) return p;
  throw std::bad_alloc();
}
}  // namespace

// Every plain and array form is replaced, so that allocation and release meet in
// malloc and free whatever form a library uses (AddressSanitizer checks this).
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

namespace vigil::ingest {
namespace {

TEST(JsonAllocation, SteadyStateLinesAndLookupsAllocateNothing) {
  LineParser parser(Format::kAuto, "app.log", 0);
  std::vector<std::string> lines;
  for (int i = 0; i < 100; ++i) {
    const std::string n = std::to_string(i);
    const std::string second = (i % 60 < 10 ? "0" : "") + std::to_string(i % 60);
    lines.push_back(R"({"timestamp":"2026-11-28T06:25:)" + second +
                    R"(Z","level":"ERROR","fields":{"message":"query \")" + n +
                    R"(\" failed","duration_ms":)" + n + R"(},"target":"governance_app::db",)" +
                    R"("http":{"status":50)" + std::to_string(i % 10) + "}}");
  }
  lines.emplace_back("Nov 28 06:25:14 web1 sshd[812]: not JSON");
  lines.emplace_back(R"({"msg":"truncated")");
  Event event;
  size_t looked_up = 0;
  const auto run = [&] {
    for (const std::string& line : lines) {
      parser.parse(line, event);
      if (event.fields == nullptr) continue;
      for (const char* name : {"/http/status", "/target", "duration", "/fields/message"}) {
        looked_up += event.fields->field(name).has_value() ? 1 : 0;
      }
    }
  };
  run();  // warm: buffers reach their size
  const size_t before = g_allocations.load();
  for (int i = 0; i < 10; ++i) run();
  EXPECT_EQ(g_allocations.load() - before, 0u);
  EXPECT_EQ(looked_up, 11u * 100 * 4);
  EXPECT_EQ(parser.failures(), 11u);
}

}  // namespace
}  // namespace vigil::ingest
