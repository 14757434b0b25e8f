#pragma once
// Real journal files for tests: text in the journal export format
// (https://systemd.io/JOURNAL_EXPORT_FORMATS/) turned into a journal directory by
// systemd-journal-remote, as a collector receives journals from other hosts.
//
// Every entry needs __REALTIME_TIMESTAMP, and __REALTIME_TIMESTAMP and
// __MONOTONIC_TIMESTAMP must grow per _BOOT_ID. journal-remote starts a new file
// in the same directory when one fills up: read the directory, not a file.

#include <cstdint>
#include <filesystem>
#include <initializer_list>
#include <string>
#include <string_view>
#include <utility>

namespace vigil::test {

// systemd-journal-remote (Debian: package systemd-journal-remote; not on PATH).
inline constexpr const char* kJournalRemote = "/lib/systemd/systemd-journal-remote";
bool journal_remote_available();

// Builds export text one entry at a time. A value holding a newline or bytes that
// are not printable text is written in the binary form (name, 64-bit LE length,
// bytes), so any value can be expressed.
class ExportWriter {
 public:
  using Fields = std::initializer_list<std::pair<std::string_view, std::string_view>>;

  // One entry with the given fields (in order), then the blank line that ends it.
  ExportWriter& entry(Fields fields);
  // The same, with __REALTIME_TIMESTAMP=`realtime_us`, __MONOTONIC_TIMESTAMP and
  // _BOOT_ID/_HOSTNAME of `host` ("web1" -> a boot id derived from the name) first.
  ExportWriter& entry_at(int64_t realtime_us, std::string_view host, Fields fields);

  const std::string& text() const { return text_; }

 private:
  void field(std::string_view name, std::string_view value);
  std::string text_;
};

// A directory of journal files that tests append to.
class JournalFixture {
 public:
  // Creates `dir` if needed; the journal file is dir/fixture.journal.
  explicit JournalFixture(std::filesystem::path dir);

  const std::filesystem::path& dir() const { return dir_; }

  // Appends the entries of `export_text`; throws std::runtime_error with
  // journal-remote's own message when it rejects them.
  void append(std::string_view export_text) const;
  // Appends the entries of an export file (e.g. tests/ingest/fixtures/x.export).
  void append_file(const std::filesystem::path& export_file) const;

 private:
  std::filesystem::path dir_;
};

}  // namespace vigil::test
