// JournalSource on the system journal of a live systemd-journald, fed by
// systemd-cat and `logger --journald` (tests/support/live_journald.sh runs each
// test in a mount namespace of its own where that journald is the system journal).

#include <gtest/gtest.h>
#include <unistd.h>

#include <array>
#include <string>
#include <vector>

#include "ingest/journal_source.h"
#include "tests/ingest/journal_recorder.h"
#include "tests/support/live_journald.h"
#include "tests/support/process.h"
#include "tests/support/temp_dir.h"

namespace vigil::ingest {
namespace {

using journal_test::Collector;
using journal_test::follow_until;
using journal_test::read_all;

constexpr const char* kTag = "vigil-live-test";

void systemd_cat(const std::string& priority, const std::string& text) {
  const test::ProcessResult r =
      test::run_process({"/usr/bin/systemd-cat", "-t", kTag, "-p", priority, "/bin/echo", text});
  ASSERT_EQ(r.exit_status, 0) << r.err;
}

// A native journal entry with fields of our own, as an application writes them.
void logger_journald(const test::TempDir& tmp, const std::string& fields) {
  const std::string file = tmp.write("entry.txt", fields);
  const test::ProcessResult r = test::run_process({"/usr/bin/logger", "--journald=" + file});
  ASSERT_EQ(r.exit_status, 0) << r.err;
}

JournalOptions following_tag() {
  JournalOptions o;  // the system journal, from its tail
  o.follow = true;
  o.filter.identifiers = {kTag};
  return o;
}

std::string hostname() {
  std::array<char, 256> name{};
  gethostname(name.data(), name.size() - 1);
  return name.data();
}

TEST(JournalLive, FollowsTheSystemJournal) {
  VIGIL_RUN_IN_LIVE_JOURNALD();
  test::TempDir tmp;
  JournalSource source(following_tag());
  EXPECT_EQ(source.name(), "journal");
  Collector sink;
  std::vector<std::string> transports;
  std::string custom;
  sink.also = [&](const Event& e) {
    transports.emplace_back(e.fields->field("_TRANSPORT").value_or("-"));
    if (const auto v = e.fields->field("VIGIL_CASE")) custom = *v;
  };
  EXPECT_EQ(read_all(source, sink), 0u);

  systemd_cat("warning", "hello from systemd-cat");
  follow_until(source, sink, 1);
  logger_journald(tmp, std::string("MESSAGE=structured hello\nPRIORITY=3\nSYSLOG_IDENTIFIER=") +
                           kTag + "\nVIGIL_CASE=42\n");
  follow_until(source, sink, 2);

  ASSERT_EQ(sink.messages(),
            (std::vector<std::string>{"hello from systemd-cat", "structured hello"}));
  EXPECT_EQ(transports, (std::vector<std::string>{"stdout", "journal"}));
  EXPECT_EQ(custom, "42");
  for (const auto& seen : sink.seen) {
    EXPECT_EQ(seen.source, "journal");
    EXPECT_EQ(seen.program, kTag);
    EXPECT_EQ(seen.host, hostname());
    EXPECT_GT(seen.pid, 1);
    EXPECT_GT(seen.ts_us, 0);
  }
  EXPECT_EQ(sink.seen[0].priority, kWarning);
  EXPECT_EQ(sink.seen[1].priority, kErr);
}

TEST(JournalLive, ResumesAfterItsCursorOnTheSystemJournal) {
  VIGIL_RUN_IN_LIVE_JOURNALD();
  std::string cursor;
  {
    JournalSource source(following_tag());
    Collector sink;
    systemd_cat("info", "first");
    systemd_cat("info", "second");
    follow_until(source, sink, 2);
    ASSERT_EQ(sink.messages(), (std::vector<std::string>{"first", "second"}));
    cursor = source.cursor();
  }
  systemd_cat("info", "third, while nobody reads");
  JournalOptions resume = following_tag();
  resume.start.after_cursor = cursor;
  JournalSource source(resume);
  Collector sink;
  follow_until(source, sink, 1);
  systemd_cat("info", "fourth");
  follow_until(source, sink, 2);
  EXPECT_EQ(sink.messages(), (std::vector<std::string>{"third, while nobody reads", "fourth"}));
}

TEST(JournalLive, PriorityBoundOnTheSystemJournal) {
  VIGIL_RUN_IN_LIVE_JOURNALD();
  JournalOptions o = following_tag();
  o.filter.max_priority = kErr;
  JournalSource source(o);
  Collector sink;
  systemd_cat("info", "routine");
  systemd_cat("err", "broken");
  systemd_cat("crit", "on fire");
  follow_until(source, sink, 2);
  EXPECT_EQ(sink.messages(), (std::vector<std::string>{"broken", "on fire"}));
}

}  // namespace
}  // namespace vigil::ingest
