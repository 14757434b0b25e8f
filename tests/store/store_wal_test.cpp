// The WAL: checkpoints run in the background, and the WAL stays bounded.

#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <string>
#include <thread>

#include "store/store.h"
#include "test_db.h"

namespace vigil::store {
namespace {

using testdb::ssh_hit;
using testdb::TempDir;

constexpr uintmax_t kMiB = uintmax_t{1} << 20;

uintmax_t size_of(const std::string& path) {
  std::error_code ec;
  const uintmax_t size = std::filesystem::file_size(path, ec);
  return ec ? 0 : size;
}

// Commits `mib` MiB of hit text in batches of 1 MiB; returns the largest WAL seen.
uintmax_t commit_mib(Store& store, const std::string& path, int mib) {
  const std::string message(size_t{16} * 1024, 'm');  // big hits grow the WAL quickly
  Batch batch;
  const uint32_t src = batch.add_source("/var/log/app.log", "app.log");
  uint64_t line = 0;
  uintmax_t largest_wal = 0;
  for (int i = 0; i < mib; ++i) {
    for (int j = 0; j < 64; ++j) {
      HitView h = ssh_hit(src, ++line, "{}");
      h.message = message;
      batch.add_hit(h);
    }
    store.commit(batch);
    batch.clear();
    largest_wal = std::max(largest_wal, size_of(path + "-wal"));
  }
  return largest_wal;
}

// SQLite's own automatic checkpoints are off on the writer, so only the
// background checkpointer can move pages into the database file here.
TEST(StoreWal, CheckpointsInTheBackground) {
  TempDir dir;
  const std::string path = dir.file("vigil.db");
  auto store = Store::open(path);
  commit_mib(*store, path, 24);  // past the 16 MiB start, below the writer's own limit
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
  while (size_of(path) < 16 * kMiB && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  EXPECT_GE(size_of(path), 16 * kMiB);
}

TEST(StoreWal, StaysBoundedUnderContinuousWrites) {
  TempDir dir;
  const std::string path = dir.file("vigil.db");
  auto store = Store::open(path);
  const uintmax_t largest_wal = commit_mib(*store, path, 160);
  EXPECT_LE(largest_wal, 96 * kMiB);  // 64 MiB limit plus a few commits
  EXPECT_EQ(testdb::scalar(store->handle(), "SELECT count(*) FROM hits"), std::to_string(160 * 64));
}

}  // namespace
}  // namespace vigil::store
