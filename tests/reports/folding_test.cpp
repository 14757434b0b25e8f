// Folding the variable parts of error messages; durations; percentiles.

#include "reports/folding.h"

#include <gtest/gtest.h>

namespace vigil::reports {
namespace {

TEST(FoldMessage, FoldsNumbersAddressesAndIds) {
  EXPECT_EQ(fold_message("query 4411 failed from 10.0.0.7"), "query <n> failed from <ip>");
  EXPECT_EQ(fold_message("peer 2001:db8::1 reset"), "peer <ip> reset");
  EXPECT_EQ(fold_message("request 9f3ab2c4d1e5 rejected"), "request <id> rejected");
  EXPECT_EQ(fold_message("job 123e4567-e89b-12d3-a456-426614174000 done"), "job <id> done");
  EXPECT_EQ(fold_message("pool 18/20 in use, took 2.5s"), "pool <n>/<n> in use, took <n>s");
  // Words are kept: names with digits, short hex-looking words, module paths.
  EXPECT_EQ(fold_message("[governance_app::db] md5 cafe added"),
            "[governance_app::db] md5 cafe added");
  EXPECT_EQ(fold_message("at 10:00:01 on 2026-11-28"), "at <n>:<n>:<n> on <n>-<n>-<n>");
  EXPECT_EQ(fold_message("db 10.0.0.7:5432 down"), "db <ip>:<n> down");
  EXPECT_EQ(fold_message(""), "");
}

TEST(FoldMessage, SameShapeFoldsTogether) {
  EXPECT_EQ(fold_message("timeout after 30s on 192.168.1.4:5432"),
            fold_message("timeout after 5s on 10.1.2.3:5432"));
}

TEST(ParseDuration, UnitsToMilliseconds) {
  EXPECT_EQ(parse_duration_ms("1532"), 1532.0);
  EXPECT_EQ(parse_duration_ms("250ms"), 250.0);
  EXPECT_EQ(parse_duration_ms("1.5s"), 1500.0);
  EXPECT_EQ(parse_duration_ms("800us"), 0.8);
  EXPECT_EQ(parse_duration_ms("2m"), 120000.0);
  EXPECT_FALSE(parse_duration_ms("").has_value());
  EXPECT_FALSE(parse_duration_ms("fast").has_value());
  EXPECT_FALSE(parse_duration_ms("12 parsecs").has_value());
}

TEST(Percentile, NearestRank) {
  const std::vector<double> values = {200, 800, 1500, 2500};
  EXPECT_EQ(percentile(values, 50), 800);
  EXPECT_EQ(percentile(values, 95), 2500);
  EXPECT_EQ(percentile(values, 100), 2500);
  EXPECT_EQ(percentile({}, 50), 0);
}

}  // namespace
}  // namespace vigil::reports
