#include "ingest/line_reader.h"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <array>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "core/error.h"
#include "tests/support/temp_dir.h"

namespace vigil::ingest {
namespace {

using namespace std::string_literals;

struct Got {
  std::string text;
  uint64_t number;
  uint64_t offset;
  bool truncated;
  bool operator==(const Got&) const = default;
};

std::ostream& operator<<(std::ostream& os, const Got& g) {
  return os << "{\"" << g.text << "\", #" << g.number << ", @" << g.offset
            << (g.truncated ? ", truncated}" : "}");
}

std::vector<Got> read_all(LineReader& reader) {
  std::vector<Got> lines;
  Line line;
  while (reader.next(line)) {
    lines.push_back({std::string(line.text), line.number, line.offset, line.truncated});
  }
  return lines;
}

// Independent FNV-1a 64, to check the reader's fingerprint.
uint64_t fnv1a(std::string_view data) {
  uint64_t hash = 14695981039346656037ull;
  for (unsigned char c : data) {
    hash ^= c;
    hash *= 1099511628211ull;
  }
  return hash;
}

// Rewrites the file in place (same inode), as copytruncate and editors that keep
// the inode do.
void rewrite_in_place(const std::string& path, std::string_view content) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);  // open(O_TRUNC): same inode
  ASSERT_TRUE(out.is_open()) << path;
  out.write(content.data(), static_cast<std::streamsize>(content.size()));
  out.close();
  ASSERT_TRUE(out) << path;
}

TEST(LineReader, EmptyFile) {
  test::TempDir dir;
  LineReader reader(dir.write("empty.log", ""));
  Line line;
  EXPECT_FALSE(reader.next(line));
  EXPECT_FALSE(reader.next(line));
  const SourcePosition p = reader.position();
  EXPECT_EQ(p.offset, 0u);
  EXPECT_EQ(p.line, 0u);
  EXPECT_EQ(p.fingerprint_len, 0u);
  EXPECT_EQ(reader.bytes_read(), 0u);
}

TEST(LineReader, NumbersOffsetsAndLastLineWithoutNewline) {
  test::TempDir dir;
  LineReader reader(dir.write("a.log", "a\nbb\n\nccc"));
  const std::vector<Got> want = {
      {"a", 1, 0, false}, {"bb", 2, 2, false}, {"", 3, 5, false}, {"ccc", 4, 6, false}};
  EXPECT_EQ(read_all(reader), want);
  EXPECT_EQ(reader.position().offset, 9u);
  EXPECT_EQ(reader.position().line, 4u);
  EXPECT_EQ(reader.bytes_read(), 9u);
}

TEST(LineReader, PositionFollowsEachLine) {
  test::TempDir dir;
  LineReader reader(dir.write("a.log", "one\ntwo\n"));
  Line line;
  ASSERT_TRUE(reader.next(line));
  EXPECT_EQ(reader.position().offset, 4u);
  EXPECT_EQ(reader.position().line, 1u);
  ASSERT_TRUE(reader.next(line));
  EXPECT_EQ(reader.position().offset, 8u);
  EXPECT_EQ(reader.position().line, 2u);
  EXPECT_FALSE(reader.next(line));
  EXPECT_EQ(reader.position().offset, 8u);
}

TEST(LineReader, CrlfStripsOneCarriageReturn) {
  test::TempDir dir;
  LineReader reader(dir.write("crlf.log", "a\r\nb\r\r\n\r\nlast\r"));
  const std::vector<Got> want = {
      {"a", 1, 0, false}, {"b\r", 2, 3, false}, {"", 3, 7, false}, {"last", 4, 9, false}};
  EXPECT_EQ(read_all(reader), want);
}

TEST(LineReader, BytesPassThroughUnchanged) {
  test::TempDir dir;
  const std::string content = "nul\0here\n\xff\xfe\xc3(\n\x01\x7f\n"s;
  LineReader reader(dir.write("bin.log", content));
  const std::vector<Got> want = {
      {"nul\0here"s, 1, 0, false}, {"\xff\xfe\xc3(", 2, 9, false}, {"\x01\x7f", 3, 14, false}};
  EXPECT_EQ(read_all(reader), want);
}

// Two sizes: the newline within the first buffer, and far past it (then the
// reader skips the tail block by block without keeping it).
TEST(LineReader, MegabyteLineIsCutAndTheNextLineIsIntact) {
  for (const size_t extra : {size_t{4321}, size_t{700} * 1024}) {
    test::TempDir dir;
    const size_t long_len = LineReader::kDefaultMaxLine + extra;
    std::string long_line(long_len, 'x');
    long_line[0] = 'A';
    const std::string content = "first\n" + long_line + "\nnext line\n";
    LineReader reader(dir.write("big.log", content));
    Line line;
    ASSERT_TRUE(reader.next(line));
    EXPECT_EQ(line.text, "first");
    ASSERT_TRUE(reader.next(line));
    EXPECT_TRUE(line.truncated);
    EXPECT_EQ(line.number, 2u);
    EXPECT_EQ(line.offset, 6u);
    ASSERT_EQ(line.text.size(), LineReader::kDefaultMaxLine);
    EXPECT_EQ(line.text, std::string_view(long_line).substr(0, LineReader::kDefaultMaxLine));
    // The cut line's tail is consumed: a checkpoint here resumes at the next line.
    EXPECT_EQ(reader.position().offset, 6 + long_len + 1);
    EXPECT_EQ(reader.position().line, 2u);
    ASSERT_TRUE(reader.next(line));
    EXPECT_EQ(line.text, "next line");
    EXPECT_FALSE(line.truncated);
    EXPECT_EQ(line.number, 3u);
    EXPECT_EQ(line.offset, 6 + long_len + 1);
    EXPECT_FALSE(reader.next(line));
    EXPECT_EQ(reader.bytes_read(), content.size());
  }
}

TEST(LineReader, HugeLineWithoutNewlineAtEof) {
  test::TempDir dir;
  const std::string content = "a\n" + std::string(3 * LineReader::kDefaultMaxLine, 'y');
  LineReader reader(dir.write("big.log", content));
  const std::vector<Got> lines = read_all(reader);
  ASSERT_EQ(lines.size(), 2u);
  EXPECT_EQ(lines[1].text.size(), LineReader::kDefaultMaxLine);
  EXPECT_TRUE(lines[1].truncated);
  EXPECT_EQ(lines[1].offset, 2u);
  EXPECT_EQ(reader.position().offset, content.size());
  EXPECT_EQ(reader.position().line, 2u);
}

TEST(LineReader, LimitIsOnTheTextWithoutLineEnd) {
  test::TempDir dir;
  // max_line 8: exactly 8 bytes is whole, with or without "\r"; 9 is cut.
  LineReader reader(dir.write("a.log", "12345678\n12345678\r\n123456789\n12345678\r9\nok"), 8);
  const std::vector<Got> want = {{"12345678", 1, 0, false},
                                 {"12345678", 2, 9, false},
                                 {"12345678", 3, 19, true},
                                 {"12345678", 4, 29, true},
                                 {"ok", 5, 40, false}};
  EXPECT_EQ(read_all(reader), want);
}

TEST(LineReader, CutLineSpanningManyBlocks) {
  test::TempDir dir;
  // A 900 KiB line with a 16-byte limit: the skip must cross several 256 KiB reads.
  std::string content = "head\n" + std::string(static_cast<size_t>(900) * 1024, 'z') + "\ntail\n";
  content[5] = 'B';
  LineReader reader(dir.write("a.log", content), 16);
  const std::vector<Got> want = {{"head", 1, 0, false},
                                 {"B" + std::string(15, 'z'), 2, 5, true},
                                 {"tail", 3, 5 + 900 * 1024 + 1, false}};
  EXPECT_EQ(read_all(reader), want);
}

TEST(LineReader, ManyLinesAcrossBlockBoundaries) {
  test::TempDir dir;
  std::string content;
  std::vector<Got> want;
  for (uint64_t i = 1; i <= 60'000; ++i) {
    std::string text = "line " + std::to_string(i) + std::string(i % 37, '.');
    want.push_back({text, i, content.size(), false});
    content += text + (i % 5 == 0 ? "\r\n" : "\n");
  }
  ASSERT_GT(content.size(), 4u * 256 * 1024);
  LineReader reader(dir.write("many.log", content));
  EXPECT_EQ(read_all(reader), want);
  EXPECT_EQ(reader.position().offset, content.size());
  EXPECT_EQ(reader.bytes_read(), content.size());
}

TEST(LineReader, FollowsAFileThatGrows) {
  test::TempDir dir;
  const std::string path = dir.write("grow.log", "one\n");
  LineReader reader(path);
  Line line;
  ASSERT_TRUE(reader.next(line));
  EXPECT_FALSE(reader.next(line));
  dir.append("grow.log", "two\n");
  ASSERT_TRUE(reader.next(line));
  EXPECT_EQ(line.text, "two");
  EXPECT_EQ(line.number, 2u);
  EXPECT_EQ(line.offset, 4u);
}

TEST(LineReader, FingerprintCoversTheFirstKilobyte) {
  test::TempDir dir;
  const std::string small = "just a few bytes\n";
  LineReader a(dir.write("small.log", small));
  EXPECT_EQ(a.position().fingerprint_len, small.size());
  EXPECT_EQ(a.position().fingerprint, fnv1a(small));

  std::string big;
  for (int i = 0; big.size() < 5000; ++i) big += "entry " + std::to_string(i) + "\n";
  LineReader b(dir.write("big.log", big));
  EXPECT_EQ(b.position().fingerprint_len, 1024u);
  EXPECT_EQ(b.position().fingerprint, fnv1a(std::string_view(big).substr(0, 1024)));

  struct stat st {};
  ASSERT_EQ(::stat(dir.file("big.log").c_str(), &st), 0);
  EXPECT_EQ(b.position().dev, st.st_dev);
  EXPECT_EQ(b.position().ino, st.st_ino);
  EXPECT_EQ(b.position().cursor, "");
}

TEST(LineReader, FingerprintWidensAsTheFileGrows) {
  test::TempDir dir;
  LineReader reader(dir.write("grow.log", "short\n"));
  const std::string more(2000, 'm');
  dir.append("grow.log", more + "\n");
  read_all(reader);
  EXPECT_EQ(reader.position().fingerprint_len, 1024u);
  EXPECT_EQ(reader.position().fingerprint, fnv1a(("short\n" + more).substr(0, 1024)));
}

TEST(LineReader, MtimeInMicroseconds) {
  test::TempDir dir;
  const std::string path = dir.write("a.log", "x\n");
  const auto times = std::to_array<timespec>({{1'700'000'000, 0}, {1'795'000'000, 123'456'789}});
  ASSERT_EQ(::utimensat(AT_FDCWD, path.c_str(), times.data(), 0), 0);
  LineReader reader(path);
  EXPECT_EQ(reader.mtime_us(), 1'795'000'000'123'456);
}

TEST(LineReader, OpenErrorsNameTheFile) {
  test::TempDir dir;
  const std::string missing = dir.file("missing.log");
  try {
    LineReader reader(missing);
    FAIL() << "no exception";
  } catch (const Error& e) {
    EXPECT_EQ(std::string(e.what()), missing + ": No such file or directory");
  }
  try {
    LineReader reader(dir.path().string());
    FAIL() << "no exception";
  } catch (const Error& e) {
    EXPECT_EQ(std::string(e.what()), dir.path().string() + ": Is a directory");
  }
}

TEST(LineReaderHold, PartialLastLineWaitsForItsNewline) {
  test::TempDir dir;
  const std::string path = dir.write("a.log", "one\ntw");
  LineReader reader(path);
  reader.set_hold_partial(true);
  Line line;
  ASSERT_TRUE(reader.next(line));
  EXPECT_EQ(line.text, "one");
  EXPECT_FALSE(reader.next(line));
  EXPECT_EQ(reader.partial_size(), 2u);
  EXPECT_EQ(reader.position().offset, 4u);  // never past the held bytes
  dir.append("a.log", "o\n");
  ASSERT_TRUE(reader.next(line));
  EXPECT_EQ(line.text, "two");
  EXPECT_EQ(line.offset, 4u);
  EXPECT_EQ(reader.partial_size(), 0u);
  EXPECT_FALSE(reader.flush_partial(line));
}

TEST(LineReaderHold, FlushDeliversTheHeldBytes) {
  test::TempDir dir;
  LineReader reader(dir.write("a.log", "x\nlast"));
  reader.set_hold_partial(true);
  Line line;
  ASSERT_TRUE(reader.next(line));
  EXPECT_FALSE(reader.next(line));
  ASSERT_TRUE(reader.flush_partial(line));
  EXPECT_EQ(line.text, "last");
  EXPECT_EQ(line.number, 2u);
  EXPECT_EQ(line.offset, 2u);
  EXPECT_EQ(reader.position().offset, 6u);
  EXPECT_FALSE(reader.flush_partial(line));
}

TEST(LineReaderHold, CutLineRestIsSkippedAsItIsWritten) {
  test::TempDir dir;
  const std::string path = dir.write("a.log", "0123456789");
  LineReader reader(path, 4);
  reader.set_hold_partial(true);
  Line line;
  ASSERT_TRUE(reader.next(line));
  EXPECT_EQ(line.text, "0123");
  EXPECT_TRUE(line.truncated);
  EXPECT_FALSE(reader.next(line));
  EXPECT_FALSE(reader.flush_partial(line));  // the cut line was delivered already
  dir.append("a.log", "abc\nok\n");
  ASSERT_TRUE(reader.next(line));
  EXPECT_EQ(line.text, "ok");
  EXPECT_EQ(line.number, 2u);
  EXPECT_EQ(line.offset, 14u);
}

TEST(LineReaderHold, UnchangedTellsTruncationAndRewrite) {
  test::TempDir dir;
  const std::string path = dir.write("a.log", "alpha\nbravo\n");
  LineReader reader(path);
  read_all(reader);
  EXPECT_TRUE(reader.unchanged());
  dir.append("a.log", "charlie\n");
  EXPECT_TRUE(reader.unchanged());  // growing is fine
  EXPECT_EQ(reader.file_size(), 20u);
  rewrite_in_place(path, "ALPHA\nbravo\ncharlie\nmore\n");  // longer, other first bytes
  EXPECT_FALSE(reader.unchanged());
  rewrite_in_place(path, "a\n");
  EXPECT_FALSE(reader.unchanged());
  EXPECT_GE(reader.fd(), 0);
}

class LineReaderResume : public ::testing::Test {
 protected:
  // Reads the first `lines` lines of a fresh file and returns the position after them.
  SourcePosition read_some(int lines) {
    LineReader reader(path_);
    Line line;
    for (int i = 0; i < lines; ++i) EXPECT_TRUE(reader.next(line));
    return reader.position();
  }

  test::TempDir dir_;
  const std::string content_ = "alpha\nbravo\ncharlie\ndelta\n";
  const std::string path_ = dir_.write("auth.log", content_);
};

TEST_F(LineReaderResume, NoSavedPositionStartsAtTheTop) {
  LineReader reader(path_);
  EXPECT_EQ(reader.resume(std::nullopt), ResumeFrom::kStart);
  const std::vector<Got> lines = read_all(reader);
  ASSERT_EQ(lines.size(), 4u);
  EXPECT_EQ(lines[0], (Got{"alpha", 1, 0, false}));
}

TEST_F(LineReaderResume, SavedPositionContinuesLineNumbers) {
  const SourcePosition saved = read_some(2);
  EXPECT_EQ(saved.offset, 12u);
  EXPECT_EQ(saved.line, 2u);
  dir_.append("auth.log", "echo\n");
  LineReader reader(path_);
  EXPECT_EQ(reader.resume(saved), ResumeFrom::kSaved);
  EXPECT_EQ(reader.bytes_read(), 0u);
  const std::vector<Got> want = {
      {"charlie", 3, 12, false}, {"delta", 4, 20, false}, {"echo", 5, 26, false}};
  EXPECT_EQ(read_all(reader), want);
  EXPECT_EQ(reader.bytes_read(), 19u);
  EXPECT_EQ(reader.position().offset, 31u);
  EXPECT_EQ(reader.position().line, 5u);
}

TEST_F(LineReaderResume, SavedAtEndReadsNothingNew) {
  const SourcePosition saved = read_some(4);
  LineReader reader(path_);
  EXPECT_EQ(reader.resume(saved), ResumeFrom::kSaved);
  Line line;
  EXPECT_FALSE(reader.next(line));
  EXPECT_EQ(reader.position().offset, content_.size());
  EXPECT_EQ(reader.position().line, 4u);
}

TEST_F(LineReaderResume, AnotherFileUnderTheNameIsRotated) {
  const SourcePosition saved = read_some(2);
  std::filesystem::rename(path_, path_ + ".1");  // logrotate: rename, then create
  dir_.write("auth.log", "new file\n");
  LineReader reader(path_);
  EXPECT_EQ(reader.resume(saved), ResumeFrom::kRotated);
  const std::vector<Got> want = {{"new file", 1, 0, false}};
  EXPECT_EQ(read_all(reader), want);
}

TEST_F(LineReaderResume, ShorterFileIsTruncated) {
  const SourcePosition saved = read_some(3);
  rewrite_in_place(path_, "after copytruncate\n");  // 19 bytes < offset 20
  LineReader reader(path_);
  EXPECT_EQ(reader.resume(saved), ResumeFrom::kTruncated);
  const std::vector<Got> want = {{"after copytruncate", 1, 0, false}};
  EXPECT_EQ(read_all(reader), want);
}

TEST_F(LineReaderResume, ChangedFirstBytesAreReplaced) {
  const SourcePosition saved = read_some(2);
  rewrite_in_place(path_, "ALPHA\nbravo\ncharlie\ndelta\nmore\n");  // same inode, longer
  LineReader reader(path_);
  EXPECT_EQ(reader.resume(saved), ResumeFrom::kReplaced);
  EXPECT_EQ(read_all(reader).front(), (Got{"ALPHA", 1, 0, false}));
}

TEST_F(LineReaderResume, FileShorterThanItsFingerprintIsReplaced) {
  std::string long_content(3000, 'q');
  long_content += '\n';
  rewrite_in_place(path_, long_content);
  LineReader first(path_);
  Line line;
  ASSERT_TRUE(first.next(line));
  SourcePosition saved = first.position();
  ASSERT_EQ(saved.fingerprint_len, 1024u);
  saved.offset = 100;  // as if saved early; the file now holds the same start, but less
  rewrite_in_place(path_, long_content.substr(0, 500));
  LineReader reader(path_);
  EXPECT_EQ(reader.resume(saved), ResumeFrom::kReplaced);
}

TEST_F(LineReaderResume, ResumeNamesItsReason) {
  EXPECT_STREQ(to_string(ResumeFrom::kStart), "start");
  EXPECT_STREQ(to_string(ResumeFrom::kSaved), "saved");
  EXPECT_STREQ(to_string(ResumeFrom::kRotated), "rotated");
  EXPECT_STREQ(to_string(ResumeFrom::kTruncated), "truncated");
  EXPECT_STREQ(to_string(ResumeFrom::kReplaced), "replaced");
}

}  // namespace
}  // namespace vigil::ingest
