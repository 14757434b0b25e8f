#include "ingest/journal_entry.h"

#include <systemd/sd-journal.h>

#include <bit>
#include <cerrno>
#include <cstring>

#include "core/text.h"
#include "ingest/journal_source.h"
#include "ingest/scan.h"

namespace vigil::ingest {
namespace {

// Longest field name the journal accepts (journal-file.h: JOURNAL_FIELD_NAME_MAX).
constexpr size_t kMaxFieldName = 64;

std::string_view as_view(const void* data, size_t size) {
  return {static_cast<const char*>(data), size};
}

}  // namespace

JournalEntryReader::JournalEntryReader(std::string_view source, size_t max_message,
                                       std::vector<std::string> extra_fields)
    : source_(source),
      max_message_(max_message),
      // In the order of Slot.
      names_{"MESSAGE", "PRIORITY", "_SYSTEMD_UNIT", "UNIT",     "SYSLOG_IDENTIFIER",
             "_COMM",   "_PID",     "SYSLOG_PID",    "_HOSTNAME"} {
  for (std::string& name : extra_fields) {
    bool known = false;
    for (const std::string& have : names_) known = known || have == name;
    if (!known && !name.empty() && names_.size() < kGatheredSlots)
      names_.push_back(std::move(name));
  }
  spans_.resize(names_.size());
  for (size_t slot = 0; slot < names_.size(); ++slot) {
    if (!names_[slot].empty()) {
      by_first_byte_[static_cast<unsigned char>(names_[slot][0])] |= uint32_t{1} << slot;
    }
  }
}

// The slot of the field `item` ("NAME=value") holds, or -1. Called for every field
// of every entry: only the names that start with the item's first byte are tried.
int JournalEntryReader::slot_of_item(std::string_view item) const {
  if (item.empty()) return -1;
  uint32_t candidates = by_first_byte_[static_cast<unsigned char>(item[0])];
  while (candidates != 0) {
    const int slot = std::countr_zero(candidates);
    candidates &= candidates - 1;
    const std::string& name = names_[static_cast<size_t>(slot)];
    if (item.size() > name.size() && item[name.size()] == '=' &&
        std::memcmp(item.data(), name.data(), name.size()) == 0) {
      return slot;
    }
  }
  return -1;
}

int JournalEntryReader::slot_of(std::string_view name) const {
  for (size_t i = 0; i < names_.size(); ++i) {
    if (names_[i].size() == name.size() &&
        std::memcmp(names_[i].data(), name.data(), name.size()) == 0) {
      return static_cast<int>(i);
    }
  }
  return -1;
}

void JournalEntryReader::keep(size_t slot, std::string_view value) {
  if (slot == kMessage && value.size() > max_message_) {
    value = value.substr(0, max_message_);
    message_truncated_ = true;
  }
  spans_[slot] = {static_cast<uint32_t>(values_.size()), static_cast<uint32_t>(value.size()), true};
  values_.append(value);
}

std::string_view JournalEntryReader::value(size_t slot) const {
  const Span& s = spans_[slot];
  return s.found ? std::string_view(values_).substr(s.begin, s.size) : std::string_view();
}

std::optional<std::string_view> JournalEntryReader::value_if_found(size_t slot) const {
  if (!spans_[slot].found) return std::nullopt;
  return value(slot);
}

// One pass over the entry's fields. False when the journal could not return one
// (a corrupt data object ends the enumeration): the caller then asks per field.
bool JournalEntryReader::enumerate(sd_journal* journal, JournalStats& stats) {
  sd_journal_restart_data(journal);
  size_t missing = spans_.size();
  const void* data = nullptr;
  size_t size = 0;
  int r = 0;
  while (missing > 0 && (r = sd_journal_enumerate_available_data(journal, &data, &size)) > 0) {
    const std::string_view item = as_view(data, size);
    const int slot = slot_of_item(item);
    // A field given twice: the first wins, as with sd_journal_get_data.
    if (slot < 0 || spans_[static_cast<size_t>(slot)].found) continue;
    keep(static_cast<size_t>(slot), item.substr(names_[static_cast<size_t>(slot)].size() + 1));
    --missing;
  }
  if (r < 0) {
    ++stats.unreadable_fields;
    return false;
  }
  return true;
}

// After a failed pass: sd_journal_get_data skips corrupt objects, so each field
// the pass did not reach may still be found.
void JournalEntryReader::fetch_missing(sd_journal* journal, JournalStats& stats) {
  for (size_t slot = 0; slot < spans_.size(); ++slot) {
    if (spans_[slot].found) continue;
    const void* data = nullptr;
    size_t size = 0;
    const int r = sd_journal_get_data(journal, names_[slot].c_str(), &data, &size);
    if (r >= 0 && size > names_[slot].size()) {
      keep(slot, as_view(data, size).substr(names_[slot].size() + 1));
    } else if (r < 0 && r != -ENOENT) {
      ++stats.unreadable_fields;
    }
  }
}

void JournalEntryReader::fill(Event& out, JournalStats& stats) {
  if (const auto message = value_if_found(kMessage)) {
    out.message = *message;
  } else {
    out.parsed = false;  // an entry without text: still delivered, and counted
    ++stats.missing_message;
  }
  if (message_truncated_) ++stats.truncated_message;
  if (!is_clean_utf8(out.message)) ++stats.binary_message;
  stats.message_bytes += out.message.size();

  const std::string_view priority = value(kPriority);
  if (priority.size() == 1 && priority[0] >= '0' && priority[0] <= '7') {
    out.priority = static_cast<int8_t>(priority[0] - '0');
  }
  out.host = value(kHostname);
  out.program = value(kIdentifier);
  if (out.program.empty()) out.program = value(kComm);
  out.pid = scan::parse_pid(value(kPid));
  if (out.pid < 0) out.pid = scan::parse_pid(value(kSyslogPid));
  // systemd's own messages about a unit ("x.service: Failed with result ...") come
  // from init.scope; the unit they are about is the one that matters.
  const std::string_view subject = value(kSubjectUnit);
  out.unit = value(kPid) == "1" && !subject.empty() ? subject : value(kUnit);
  out.fields = this;
}

void JournalEntryReader::read(sd_journal* journal, Event& out, JournalStats& stats) {
  journal_ = journal;
  answers_used_ = 0;
  values_.clear();
  message_truncated_ = false;
  for (Span& s : spans_) s.found = false;
  complete_ = enumerate(journal, stats);
  if (!complete_) fetch_missing(journal, stats);

  out = Event{};
  out.source = source_;
  uint64_t realtime = 0;
  if (sd_journal_get_realtime_usec(journal, &realtime) >= 0) {
    out.ts_us = static_cast<int64_t>(realtime);
  } else {
    ++stats.unreadable_fields;
  }
  fill(out, stats);
}

std::optional<std::string_view> JournalEntryReader::field(std::string_view name) const {
  const int slot = slot_of(name);
  if (slot >= 0 && (complete_ || spans_[static_cast<size_t>(slot)].found)) {
    return value_if_found(static_cast<size_t>(slot));
  }
  if (journal_ == nullptr || name.empty() || name.size() > kMaxFieldName ||
      name.find_first_of(std::string_view("=\0", 2)) != std::string_view::npos) {
    return std::nullopt;
  }
  name_z_.assign(name);
  const void* data = nullptr;
  size_t size = 0;
  if (sd_journal_get_data(journal_, name_z_.c_str(), &data, &size) < 0 || size <= name.size()) {
    return std::nullopt;
  }
  if (answers_used_ == answers_.size()) answers_.emplace_back();
  std::string& answer = answers_[answers_used_++];
  answer.assign(as_view(data, size).substr(name.size() + 1));
  return std::string_view(answer);
}

}  // namespace vigil::ingest
