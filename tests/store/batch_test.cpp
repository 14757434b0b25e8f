#include "store/batch.h"

#include <gtest/gtest.h>
#include <sys/mman.h>

#include <stdexcept>
#include <string>

#include "core/error.h"
#include "test_db.h"

namespace vigil::store {
namespace {

using testdb::ssh_hit;

std::string message_of(size_t i) {
  // Sizes vary so that spans start at uneven offsets.
  return "message " + std::to_string(i) + std::string(i % 37, 'x');
}

TEST(Batch, ViewsStayCorrectWhileTheArenaGrows) {
  Batch batch;
  const uint32_t src = batch.add_source("/var/log/auth.log", "auth.log");
  constexpr size_t kHits = 20'000;  // forces many reallocations of the arena
  for (size_t i = 0; i < kHits; ++i) {
    const std::string message = message_of(i);
    const std::string captures = "{\"n\":" + std::to_string(i) + "}";
    HitView h = ssh_hit(src, i + 1, captures);
    h.message = message;
    batch.add_hit(h);
  }
  ASSERT_EQ(batch.hit_count(), kHits);
  for (size_t i = 0; i < kHits; ++i) {
    const HitView h = batch.hit(i);
    ASSERT_EQ(h.message, message_of(i)) << i;
    ASSERT_EQ(h.captures_json, "{\"n\":" + std::to_string(i) + "}") << i;
    ASSERT_EQ(h.line, i + 1);
    ASSERT_EQ(h.host, "web1");
    ASSERT_EQ(h.rule, "ssh.failed_password");
    ASSERT_EQ(h.pid, 812);
  }
}

TEST(Batch, ClearKeepsSourcesAndResetsEverythingElse) {
  Batch batch;
  const uint32_t src = batch.add_source("/var/log/auth.log", "auth.log");
  batch.source(src).position = SourcePosition{1, 2, 300, 4, 64, 99, ""};
  batch.source(src).stats = {10, 1000, 1};
  for (uint64_t i = 1; i <= 100; ++i) batch.add_hit(ssh_hit(src, i, "{}"));

  batch.clear();
  EXPECT_EQ(batch.hit_count(), 0u);
  EXPECT_EQ(batch.text_bytes(), 0u);
  ASSERT_EQ(batch.sources().size(), 1u);
  EXPECT_EQ(batch.sources()[0].key, "/var/log/auth.log");
  EXPECT_EQ(batch.sources()[0].display, "auth.log");
  EXPECT_FALSE(batch.sources()[0].position.has_value());
  EXPECT_EQ(batch.sources()[0].stats.lines, 0u);
  EXPECT_EQ(batch.sources()[0].stats.bytes, 0u);
  EXPECT_EQ(batch.sources()[0].stats.parse_failures, 0u);

  HitView h = ssh_hit(src, 7, R"({"ip":"198.51.100.9"})");
  h.message = "after clear";
  batch.add_hit(h);
  ASSERT_EQ(batch.hit_count(), 1u);
  EXPECT_EQ(batch.hit(0).message, "after clear");
  EXPECT_EQ(batch.hit(0).captures_json, R"({"ip":"198.51.100.9"})");
  EXPECT_EQ(batch.hit(0).line, 7u);
}

TEST(Batch, AddSourceReturnsTheExistingIndexForAKnownKey) {
  Batch batch;
  EXPECT_EQ(batch.add_source("/a", "a"), 0u);
  EXPECT_EQ(batch.add_source("/b", "b"), 1u);
  EXPECT_EQ(batch.add_source("/a", "a again"), 0u);
  EXPECT_EQ(batch.sources().size(), 2u);
}

TEST(Batch, EmptyStringsViewAsEmpty) {
  Batch batch;
  HitView h;
  h.source = batch.add_source("/a", "a");
  batch.add_hit(h);
  const HitView out = batch.hit(0);
  EXPECT_TRUE(out.host.empty());
  EXPECT_TRUE(out.message.empty());
  EXPECT_TRUE(out.captures_json.empty());
  EXPECT_EQ(out.pid, -1);
}

TEST(Batch, KeepsNulAndInvalidBytesAsGiven) {
  Batch batch;
  HitView h = ssh_hit(batch.add_source("/a", "a"), 1, "{}");
  const std::string raw("a\0b\xff\xfe", 5);
  h.message = raw;
  batch.add_hit(h);
  EXPECT_EQ(batch.hit(0).message, raw);
}

TEST(Batch, RejectsAnUnknownSourceAndStaysUnchanged) {
  Batch batch;
  batch.add_hit(ssh_hit(batch.add_source("/a", "a"), 1, "{}"));
  const size_t bytes = batch.text_bytes();
  EXPECT_THROW(batch.add_hit(ssh_hit(5, 2, "{}")), std::out_of_range);
  EXPECT_EQ(batch.hit_count(), 1u);
  EXPECT_EQ(batch.text_bytes(), bytes);
}

// A read-only anonymous mapping gives a real 4 GiB+ range without using memory:
// the batch must refuse it before copying a byte.
TEST(Batch, RefusesTextBeyondFourGiB) {
  const size_t size = Batch::kMaxTextBytes + 1;
  // cppcheck-suppress invalidFunctionArg ; MAP_ANONYMOUS wants fd -1, posix.cfg says fd >= 0
  void* big = ::mmap(nullptr, size, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
  if (big == MAP_FAILED) GTEST_SKIP() << "cannot map 4 GiB of address space";
  Batch batch;
  HitView h = ssh_hit(batch.add_source("/a", "a"), 1, "{}");
  h.message = std::string_view(static_cast<const char*>(big), size);
  try {
    batch.add_hit(h);
    ADD_FAILURE() << "no exception";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("4 GiB"), std::string::npos) << e.what();
  }
  ::munmap(big, size);
  EXPECT_EQ(batch.hit_count(), 0u);
  EXPECT_EQ(batch.text_bytes(), 0u);
}

}  // namespace
}  // namespace vigil::store
