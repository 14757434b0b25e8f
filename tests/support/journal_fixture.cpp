#include "tests/support/journal_fixture.h"

#include <unistd.h>

#include <algorithm>
#include <array>
#include <functional>
#include <stdexcept>

#include "tests/support/process.h"
#include "tests/support/temp_dir.h"

namespace vigil::test {
namespace {

bool is_plain_text(std::string_view value) {
  return std::ranges::all_of(value, [](char c) {
    const auto byte = static_cast<unsigned char>(c);
    return (byte >= 0x20 || byte == '\t') && byte < 0x7f;
  });
}

// A stable 128-bit id (32 hex digits) per host name.
std::string boot_id_of(std::string_view host) {
  const uint64_t h = std::hash<std::string_view>{}(host);
  std::string id;
  for (const uint64_t half : std::array<uint64_t, 2>{h, h ^ 0x5bd1e9955bd1e995ULL}) {
    for (int shift = 60; shift >= 0; shift -= 4) id += "0123456789abcdef"[(half >> shift) & 0xf];
  }
  return id;
}

}  // namespace

bool journal_remote_available() {
  return access(kJournalRemote, X_OK) == 0;
}

void ExportWriter::field(std::string_view name, std::string_view value) {
  text_ += name;
  if (is_plain_text(value)) {
    text_ += '=';
    text_ += value;
  } else {
    text_ += '\n';
    uint64_t size = value.size();
    for (int i = 0; i < 8; ++i) {
      text_ += static_cast<char>(size & 0xff);
      size >>= 8;
    }
    text_ += value;
  }
  text_ += '\n';
}

ExportWriter& ExportWriter::entry(Fields fields) {
  for (const auto& [name, value] : fields) field(name, value);
  text_ += '\n';
  return *this;
}

ExportWriter& ExportWriter::entry_at(int64_t realtime_us, std::string_view host, Fields fields) {
  field("__REALTIME_TIMESTAMP", std::to_string(realtime_us));
  // Monotonic time since a boot one day before 2000-01-01: grows with realtime.
  field("__MONOTONIC_TIMESTAMP", std::to_string(realtime_us - 946'000'000'000'000));
  field("_BOOT_ID", boot_id_of(host));
  field("_HOSTNAME", host);
  return entry(fields);
}

JournalFixture::JournalFixture(std::filesystem::path dir) : dir_(std::move(dir)) {
  std::filesystem::create_directories(dir_);
}

void JournalFixture::append_file(const std::filesystem::path& export_file) const {
  const ProcessResult r = run_process(
      {kJournalRemote, "--output=" + (dir_ / "fixture.journal").string(), export_file.string()});
  if (r.exit_status != 0) {
    throw std::runtime_error("systemd-journal-remote failed on " + export_file.string() + ": " +
                             r.err);
  }
}

void JournalFixture::append(std::string_view export_text) const {
  TempDir scratch;
  append_file(scratch.write("entries.export", export_text));
}

}  // namespace vigil::test
