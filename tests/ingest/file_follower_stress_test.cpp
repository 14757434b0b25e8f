// FileFollower under load: a writer thread appends numbered lines while rotating
// by rename+create and by copytruncate; every line must arrive exactly once, in
// order, intact. And a file that grows fast must not grow the follower's memory.

#include <fcntl.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <atomic>
#include <charconv>
#include <chrono>
#include <filesystem>
#include <string>
#include <thread>
#include <vector>

#include "ingest/file_follower.h"
#include "tests/ingest/follow_harness.h"
#include "tests/support/temp_dir.h"

#if defined(__SANITIZE_ADDRESS__)
// AddressSanitizer's own count of live heap bytes (GCC ships no header for it).
extern "C" size_t __sanitizer_get_current_allocated_bytes();
#else
#include <malloc.h>
#endif

namespace vigil::ingest {
namespace {

using test::FollowLoop;

std::string line_text(uint32_t n) {
  return "line " + std::to_string(n) + " " + std::string(n % 61, 'x');
}

// Records the numbers of the lines it gets, and whether each was intact.
class CountingSink final : public FollowSink {
 public:
  void on_line(size_t /*file*/, const Line& line) override {
    uint32_t n = 0;
    const std::string_view text = line.text;
    constexpr std::string_view kPrefix = "line ";
    if (text.starts_with(kPrefix)) {
      std::from_chars(text.data() + kPrefix.size(), text.data() + text.size(), n);
    }
    if (n == 0 || text != line_text(n)) ++garbled;
    numbers.push_back(n);
    last.store(n, std::memory_order_release);
  }
  void on_event(size_t /*file*/, FollowEvent event, std::string_view /*detail*/) override {
    if (event == FollowEvent::kTruncated) truncations.fetch_add(1, std::memory_order_release);
    if (event == FollowEvent::kRotated) ++renames;
  }

  std::vector<uint32_t> numbers;
  size_t garbled = 0;
  size_t renames = 0;
  std::atomic<uint32_t> last{0};
  std::atomic<int> truncations{0};
};

// Appends lines 1..total to `path`, rotating every `per_generation` lines, by
// rename+create and copytruncate in turn. Before a rotation it waits until the
// follower reads the current generation (rotating faster than that is not
// supported; logrotate rotates daily). After copytruncate it waits until the
// truncation is seen, so that no line is written into the race the design names.
class RotatingWriter {
 public:
  RotatingWriter(std::string path, uint32_t total, uint32_t per_generation, CountingSink& sink)
      : path_(std::move(path)), total_(total), per_generation_(per_generation), sink_(sink) {}

  void run() {
    fd_ = open_log();
    int rotation = 0;
    uint32_t generation_first = 1;
    int old_fd = -1;  // rename: the writer goes on in the old file for a while
    uint32_t switch_at = 0;
    for (uint32_t n = 1; n <= total_ && !failed; ++n) {
      if (old_fd >= 0 && n == switch_at) {
        ::close(old_fd);
        old_fd = -1;
        generation_first = n;
      }
      if (n % per_generation_ == 0) {
        if (!wait_for(
                [&] { return sink_.last.load(std::memory_order_acquire) >= generation_first; }))
          return;
        const std::string rotated = path_ + "." + std::to_string(++rotation);
        if (rotation % 2 == 1) {
          std::filesystem::rename(path_, rotated);
          old_fd = fd_;
          fd_ = open_log();
          switch_at = n + 25;  // 25 more lines into the renamed file first
        } else {
          const int seen = sink_.truncations.load(std::memory_order_acquire);
          std::filesystem::copy_file(path_, rotated);
          if (::ftruncate(fd_, 0) != 0) failed = true;
          if (!wait_for([&] { return sink_.truncations.load() > seen; })) return;
          generation_first = n;
        }
      }
      write_line(old_fd >= 0 ? old_fd : fd_, n);
    }
    if (old_fd >= 0) ::close(old_fd);
    ::close(fd_);
  }

  std::atomic<bool> failed{false};

 private:
  int open_log() const { return ::open(path_.c_str(), O_WRONLY | O_APPEND | O_CREAT, 0644); }

  // Every 7th line in two writes: the follower must hold the first half.
  void write_line(int fd, uint32_t n) {
    const std::string line = line_text(n) + "\n";
    const size_t split = n % 7 == 0 ? line.size() / 2 : line.size();
    if (::write(fd, line.data(), split) != static_cast<ssize_t>(split)) failed = true;
    if (split < line.size()) {
      const size_t rest = line.size() - split;
      if (::write(fd, line.data() + split, rest) != static_cast<ssize_t>(rest)) failed = true;
    }
  }

  template <class Condition>
  bool wait_for(Condition condition) {
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
    while (!condition()) {
      if (std::chrono::steady_clock::now() > deadline) {
        failed = true;
        return false;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
    return true;
  }

  std::string path_;
  uint32_t total_;
  uint32_t per_generation_;
  CountingSink& sink_;
  int fd_ = -1;
};

TEST(FileFollowerStress, EveryLineOnceAcrossRenameAndCopytruncate) {
  vigil::test::TempDir dir;
  const std::string path = dir.write("app.log", "");
  constexpr uint32_t kTotal = 80'000;
  constexpr uint32_t kPerGeneration = 10'000;  // 8 rotations: 4 renames, 4 copytruncates
  FollowOptions options;
  options.start_at_end = false;
  options.idle_flush_us = 600'000'000;  // never: a slow writer must not split lines here
  options.rotate_grace_us = 600'000'000;
  FileFollower follower({path}, options);
  CountingSink sink;
  follower.start(0, std::nullopt, sink);
  RotatingWriter writer(path, kTotal, kPerGeneration, sink);
  std::thread thread([&] { writer.run(); });
  FollowLoop loop(follower, sink, 512);
  const bool done =
      loop.run_until([&] { return sink.numbers.size() >= kTotal || writer.failed.load(); },
                     std::chrono::seconds(120));
  thread.join();
  ASSERT_TRUE(done);
  ASSERT_FALSE(writer.failed.load());
  loop.drain();
  EXPECT_EQ(sink.garbled, 0u);
  ASSERT_EQ(sink.numbers.size(), kTotal);
  for (uint32_t i = 0; i < kTotal; ++i) {
    ASSERT_EQ(sink.numbers[i], i + 1) << "at index " << i;
  }
  EXPECT_EQ(sink.renames, 4u);
  EXPECT_EQ(sink.truncations.load(), 4);
}

size_t heap_in_use() {
#if defined(__SANITIZE_ADDRESS__)
  return __sanitizer_get_current_allocated_bytes();
#else
  const struct mallinfo2 info = mallinfo2();
  return info.uordblks + info.hblkhd;
#endif
}

class NullSink final : public FollowSink {
 public:
  void on_line(size_t /*file*/, const Line& line) override {
    ++lines;
    bytes += line.text.size();
  }
  void on_event(size_t /*file*/, FollowEvent /*event*/, std::string_view /*detail*/) override {}
  uint64_t lines = 0;
  uint64_t bytes = 0;
};

TEST(FileFollowerStress, FastGrowingFileDoesNotGrowMemory) {
  vigil::test::TempDir dir;
  const std::string path = dir.write("fast.log", "");
  FollowOptions options;
  options.start_at_end = false;
  FileFollower follower({path}, options);
  NullSink sink;
  follower.start(0, std::nullopt, sink);
  std::string chunk;
  for (uint32_t n = 1; n <= 20'000; ++n) chunk += line_text(n) + "\n";
  const test::WriterFd writer(path);
  ASSERT_GE(writer.get(), 0);
  size_t baseline = 0;
  constexpr uint64_t kChunks = 30;  // 600k lines, ~25 MB
  for (uint64_t i = 0; i < kChunks; ++i) {
    ASSERT_EQ(::write(writer.get(), chunk.data(), chunk.size()),
              static_cast<ssize_t>(chunk.size()));
    while (follower.process(sink, 4096)) {
    }
    if (i == 0) baseline = heap_in_use();
  }
  EXPECT_EQ(sink.lines, uint64_t{20'000} * kChunks);
  EXPECT_LT(heap_in_use(), baseline + size_t{64} * 1024) << "baseline " << baseline;
}

}  // namespace
}  // namespace vigil::ingest
