// In steady state a JSON line costs no allocation: the parser, its padded buffer,
// the scratch arena and the lookup cache are reused.

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "ingest/parser.h"
#include "tests/support/allocation_counter.h"

namespace vigil::ingest {
namespace {

TEST(JsonAllocation, CounterSeesThisBinarysAllocations) {
  EXPECT_TRUE(vigil::test::counting_works());
}

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
  const size_t before = vigil::test::allocations();
  for (int i = 0; i < 10; ++i) run();
  EXPECT_EQ(vigil::test::allocations() - before, 0u);
  EXPECT_EQ(looked_up, 11u * 100 * 4);
  EXPECT_EQ(parser.failures(), 11u);
}

}  // namespace
}  // namespace vigil::ingest
