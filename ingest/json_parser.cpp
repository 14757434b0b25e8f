#include "ingest/json_parser.h"

#include <simdjson.h>

#include <algorithm>
#include <array>
#include <climits>
#include <cstring>
#include <optional>
#include <utility>

#include "core/time.h"
#include "ingest/json_values.h"
#include "ingest/level_words.h"
#include "ingest/scan.h"

namespace vigil::ingest {
namespace {

namespace od = simdjson::ondemand;

enum Slot : uint8_t { kTime, kLevel, kMessage, kHost, kProgram, kUnit, kPid, kDuration, kSlots };

// The mapping as a tree of member names, so that one pass over a line's members
// (descending only into mapped objects) finds every mapped value.
struct MapNode {
  std::string key;  // unescaped member name at this level
  int slot = -1;    // the Event field this member feeds when it is a scalar
  int rank = 0;     // its place in that field's list: lower wins
  uint32_t id = 0;  // index into Impl::seen
  std::vector<MapNode> children;
};

// "/fields/message" -> {"fields", "message"} ("~1" is '/', "~0" is '~');
// "log.level" -> {"log.level"}.
std::vector<std::string> member_path(const std::string& entry) {
  if (entry.empty() || entry.front() != '/') return {entry};
  std::vector<std::string> path(1);
  for (size_t i = 1; i < entry.size(); ++i) {
    const char c = entry[i];
    if (c == '/') {
      path.emplace_back();
    } else if (c == '~' && i + 1 < entry.size() && (entry[i + 1] == '0' || entry[i + 1] == '1')) {
      path.back() += entry[++i] == '0' ? '~' : '/';
    } else {
      path.back() += c;
    }
  }
  return path;
}

// Adds the nodes of one mapping entry; `next_id` numbers new nodes.
void add_entry(std::vector<MapNode>& roots, const std::string& entry, Slot slot, int rank,
               uint32_t& next_id) {
  std::vector<MapNode>* level = &roots;
  MapNode* node = nullptr;
  for (std::string& key : member_path(entry)) {
    auto it =
        std::find_if(level->begin(), level->end(), [&](const MapNode& n) { return n.key == key; });
    if (it == level->end()) {
      level->push_back(MapNode{std::move(key), -1, 0, next_id++, {}});
      it = level->end() - 1;
    }
    node = &*it;
    level = &node->children;
  }
  if (node == nullptr || node->slot >= 0) return;  // the first list naming a member wins
  node->slot = slot;
  node->rank = rank;
}

const MapNode* find_node(const std::vector<MapNode>& nodes, std::string_view key) {
  for (const MapNode& n : nodes) {
    if (n.key.size() == key.size() && n.key == key) return &n;
  }
  return nullptr;
}

bool is_json_space(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && is_json_space(s.back())) s.remove_suffix(1);
  while (!s.empty() && is_json_space(s.front())) s.remove_prefix(1);
  return s;
}

// A scalar token as written: a JSON number, true, false or null. On-demand does not
// check the tokens it skips, so the ones read are checked here.
bool valid_atom(od::json_type type, std::string_view token) {
  switch (type) {
    case od::json_type::number:
      return json::is_number(token);
    case od::json_type::boolean:
      return token == "true" || token == "false";
    case od::json_type::null:
      return token == "null";
    default:
      return false;
  }
}

// Text that must outlive simdjson's string buffer, which every at_pointer rewinds:
// unescaped strings and the names of cached lookups. Blocks are kept between lines
// and never grow in place, so earlier views stay valid until clear().
class Arena {
 public:
  std::string_view store(std::string_view text) {
    if (text.empty()) return {};
    for (; current_ < blocks_.size(); ++current_) {
      std::string& block = blocks_[current_];
      if (block.capacity() - block.size() >= text.size()) return append(block, text);
    }
    blocks_.emplace_back();
    blocks_.back().reserve(std::max<size_t>(text.size(), kBlockBytes));
    return append(blocks_.back(), text);
  }

  void clear() {
    for (std::string& block : blocks_) block.clear();
    current_ = 0;
  }

 private:
  static constexpr size_t kBlockBytes = size_t{64} * 1024;

  static std::string_view append(std::string& block, std::string_view text) {
    const size_t at = block.size();
    block.append(text);
    return std::string_view(block).substr(at, text.size());
  }

  std::vector<std::string> blocks_;
  size_t current_ = 0;
};

// An object or array as its JSON text (a view into the line).
bool container_text(od::value& value, od::json_type type, std::string_view& out) {
  if (type == od::json_type::object) {
    od::object object;
    return value.get_object().get(object) == simdjson::SUCCESS &&
           object.raw_json().get(out) == simdjson::SUCCESS;
  }
  od::array array;
  return value.get_array().get(array) == simdjson::SUCCESS &&
         array.raw_json().get(out) == simdjson::SUCCESS;
}

struct Found {
  std::string_view text;  // a string unescaped, another scalar as written
  od::json_type type = od::json_type::null;
  int rank = INT_MAX;  // INT_MAX: not found
};

}  // namespace

struct JsonLineParser::Impl {
  // Never deleted through FieldLookup (its destructor is protected).
  // NOLINTNEXTLINE(cppcoreguidelines-virtual-class-destructor)
  class Fields final : public FieldLookup {
   public:
    explicit Fields(Impl& impl) : impl_(impl) {}
    std::optional<std::string_view> field(std::string_view name) const override {
      return impl_.lookup(name);
    }

   private:
    Impl& impl_;
  };

  struct Cached {
    std::string_view name;
    std::optional<std::string_view> value;
  };

  explicit Impl(const JsonFieldMap& map);

  bool load(std::string_view text);
  bool read_members();
  bool walk(od::object object, const std::vector<MapNode>& nodes);
  bool take(const MapNode& node, od::value value);
  bool scalar_text(od::value& value, od::json_type type, std::string_view& out);
  std::optional<int64_t> time_us();
  int priority() const;
  std::string_view text(Slot slot) const { return found[slot].text; }
  bool has(Slot slot) const { return found[slot].rank != INT_MAX; }
  std::optional<std::string_view> lookup(std::string_view name);
  std::optional<std::string_view> resolve(std::string_view pointer);
  std::optional<std::string_view> value_text(od::value& value);

  od::parser parser;
  od::document doc;
  bool doc_ready = false;          // `doc` holds the line's object, read without error
  bool doc_dirty = false;          // a lookup failed: `doc` may not be rewound
  std::unique_ptr<char[]> buffer;  // NOLINT(modernize-avoid-c-arrays)
  size_t buffer_bytes = 0;
  std::string_view input;  // the line as copied into `buffer`
  std::vector<MapNode> roots;
  std::vector<uint64_t> seen;  // per node: the line (stamp) it was last seen on
  uint64_t stamp = 0;
  std::array<Found, kSlots> found{};
  Arena arena;
  std::vector<Cached> cache;
  const FieldLookup* fallback = nullptr;
  LocalTimeConverter local_time;
  Fields fields{*this};
};

JsonLineParser::Impl::Impl(const JsonFieldMap& map) {
  const std::array<const std::vector<std::string>*, kSlots> lists = {
      &map.time,    &map.level, &map.message, &map.host,
      &map.program, &map.unit,  &map.pid,     &map.duration};
  uint32_t nodes = 0;
  for (size_t slot = 0; slot < lists.size(); ++slot) {
    const auto& list = *lists[slot];
    for (size_t rank = 0; rank < list.size(); ++rank) {
      if (list[rank].empty()) continue;
      add_entry(roots, list[rank], static_cast<Slot>(slot), static_cast<int>(rank), nodes);
    }
  }
  seen.assign(nodes, 0);
}

// Copies `text` into the padded buffer and runs simdjson's stage 1 over it.
bool JsonLineParser::Impl::load(std::string_view text) {
  const size_t needed = text.size() + simdjson::SIMDJSON_PADDING;
  if (buffer_bytes < needed) {  // never when `text` is in the buffer already
    buffer_bytes = std::max(needed * 2, size_t{4096});
    // Zeroed, so that the padding is defined.
    buffer = std::make_unique<char[]>(buffer_bytes);  // NOLINT(modernize-avoid-c-arrays)
  }
  // First the copy, then the reset: `text` may view this buffer or the arena (an
  // Event's message passed back in), hence memmove.
  std::memmove(buffer.get(), text.data(), text.size());
  std::memset(buffer.get() + text.size(), 0, simdjson::SIMDJSON_PADDING);
  input = std::string_view(buffer.get(), text.size());
  doc_ready = false;
  doc_dirty = false;
  fallback = nullptr;
  arena.clear();
  cache.clear();
  found.fill(Found{});
  ++stamp;
  // Grow the parser ahead of need, so that a slowly growing line length does not
  // reallocate its buffers line after line.
  if (parser.capacity() < text.size() &&
      parser.allocate(std::max(text.size() * 2, size_t{4096})) != simdjson::SUCCESS) {
    return false;
  }
  return parser.iterate(buffer.get(), text.size(), buffer_bytes).get(doc) == simdjson::SUCCESS;
}

bool JsonLineParser::Impl::read_members() {
  od::object object;
  if (doc.get_object().get(object) != simdjson::SUCCESS) return false;
  if (!walk(object, roots)) return false;
  // Trailing bytes after the object ("{...} x", "{...}{...}") make it no JSON line;
  // at the end of a live document, current_location() says OUT_OF_BOUNDS.
  doc_ready = doc.current_location().error() == simdjson::OUT_OF_BOUNDS;
  return doc_ready;
}

// One pass over an object's members: mapped ones are read, the rest skipped by
// the iterator. A mapped member given twice makes the line ambiguous: invalid.
// walk and take recurse as deep as the mapping's pointers, never as the line nests.
// NOLINTNEXTLINE(misc-no-recursion)
bool JsonLineParser::Impl::walk(od::object object, const std::vector<MapNode>& nodes) {
  for (auto member : object) {
    od::field field;
    if (std::move(member).get(field) != simdjson::SUCCESS) return false;
    std::string_view key;
    if (field.unescaped_key().get(key) != simdjson::SUCCESS) return false;
    const MapNode* node = find_node(nodes, key);
    if (node == nullptr) continue;
    if (seen[node->id] == stamp) return false;
    seen[node->id] = stamp;
    if (!take(*node, field.value())) return false;
  }
  return true;
}

// NOLINTNEXTLINE(misc-no-recursion): see walk
bool JsonLineParser::Impl::take(const MapNode& node, od::value value) {
  od::json_type type{};
  if (value.type().get(type) != simdjson::SUCCESS) return false;
  if (type == od::json_type::object) {
    od::object child;
    if (node.children.empty()) return true;
    return value.get_object().get(child) == simdjson::SUCCESS && walk(child, node.children);
  }
  if (type == od::json_type::array || node.slot < 0) return true;
  std::string_view token;
  if (!scalar_text(value, type, token)) return false;
  Found& slot = found[static_cast<size_t>(node.slot)];
  if (type != od::json_type::null && node.rank < slot.rank) slot = Found{token, type, node.rank};
  return true;
}

// A string's unescaped value (a view into the line when it has no escapes, else a
// copy in the arena), or another scalar's checked token.
bool JsonLineParser::Impl::scalar_text(od::value& value, od::json_type type,
                                       std::string_view& out) {
  const std::string_view raw = trim(value.raw_json_token());
  if (type != od::json_type::string) {
    out = raw;
    return valid_atom(type, raw);
  }
  if (raw.size() < 2 || raw.back() != '"') return false;
  const std::string_view inner = raw.substr(1, raw.size() - 2);
  if (inner.find('\\') == std::string_view::npos) {
    out = inner;
    return true;
  }
  std::string_view unescaped;
  if (value.get_string().get(unescaped) != simdjson::SUCCESS) return false;
  out = arena.store(unescaped);
  return true;
}

std::optional<int64_t> JsonLineParser::Impl::time_us() {
  if (!has(kTime)) return std::nullopt;
  const std::string_view t = text(kTime);
  if (found[kTime].type == od::json_type::string) {
    size_t used = 0;
    const auto iso = parse_iso8601(t, &used, local_time);
    if (iso && used == t.size()) return iso;
  }
  return json::epoch_us(t);  // a number, or a string of one
}

int JsonLineParser::Impl::priority() const {
  if (!has(kLevel)) return -1;
  const std::string_view level = text(kLevel);
  const int word = detail::level_priority(level);
  return word >= 0 ? word : json::numeric_level(level);
}

std::optional<std::string_view> JsonLineParser::Impl::lookup(std::string_view name) {
  if (name.empty()) return std::nullopt;
  if (name.front() != '/') {
    if (name == kDurationField && has(kDuration)) return text(kDuration);
    return fallback != nullptr ? fallback->field(name) : std::nullopt;
  }
  for (const Cached& c : cache) {
    if (c.name == name) return c.value;
  }
  // simdjson compares raw keys up to the length of the wanted one: a '"' in it
  // could read past the line. No member found by a pointer has one anyway.
  if (name.find('"') != std::string_view::npos) return std::nullopt;
  const std::optional<std::string_view> value = resolve(name);
  cache.push_back(Cached{arena.store(name), value});
  return value;
}

// On-demand at_pointer rewinds the document and walks it again; a view it yields
// into simdjson's string buffer is copied before the next rewind reuses that buffer.
// A lookup that fails for any reason but a missing member may have met a structural
// error and abandoned the document's iterator, which a rewind would then dereference:
// the next lookup indexes the line afresh instead.
std::optional<std::string_view> JsonLineParser::Impl::resolve(std::string_view pointer) {
  if (!doc_ready) return std::nullopt;
  if (doc_dirty) {
    doc_ready =
        parser.iterate(buffer.get(), input.size(), buffer_bytes).get(doc) == simdjson::SUCCESS;
    doc_dirty = false;
    if (!doc_ready) return std::nullopt;
  }
  od::value value;
  const simdjson::error_code error = doc.at_pointer(pointer).get(value);
  if (error != simdjson::SUCCESS) {
    doc_dirty = error != simdjson::NO_SUCH_FIELD;
    return std::nullopt;
  }
  const std::optional<std::string_view> found_text = value_text(value);
  doc_dirty = !found_text;
  return found_text;
}

std::optional<std::string_view> JsonLineParser::Impl::value_text(od::value& value) {
  od::json_type type{};
  std::string_view out;
  if (value.type().get(type) != simdjson::SUCCESS) return std::nullopt;
  if (type == od::json_type::object || type == od::json_type::array) {
    if (!container_text(value, type, out)) return std::nullopt;
    return trim(out);
  }
  if (!scalar_text(value, type, out)) return std::nullopt;
  return out;
}

JsonLineParser::JsonLineParser(const JsonFieldMap& map) : impl_(std::make_unique<Impl>(map)) {}
JsonLineParser::~JsonLineParser() = default;

JsonLineParser::Result JsonLineParser::parse(std::string_view line, Event& out) {
  Impl& m = *impl_;
  if (!m.load(line) || !m.read_members()) return Result::kInvalid;
  out.host = m.text(kHost);
  out.program = m.text(kProgram);
  out.unit = m.text(kUnit);
  out.pid = m.has(kPid) ? scan::parse_pid(m.text(kPid)) : -1;
  out.priority = static_cast<int8_t>(m.priority());
  out.message = m.has(kMessage) ? m.text(kMessage) : trim(m.input);
  out.fields = &m.fields;
  const auto ts = m.time_us();
  if (!ts) return Result::kNoTime;
  out.ts_us = *ts;
  return Result::kParsed;
}

bool JsonLineParser::parse_message_json(std::string_view message, Event& inout) {
  const std::string_view object = trim(message);
  if (object.empty() || object.front() != '{') return false;
  Impl& m = *impl_;
  // The previous fields are taken before load() forgets them: a journald entry's own.
  const FieldLookup* journal_fields = inout.fields == &m.fields ? m.fallback : inout.fields;
  const bool ok = m.load(object) && m.read_members();
  m.fallback = journal_fields;
  if (!ok) return false;
  if (m.has(kMessage)) inout.message = m.text(kMessage);
  if (const int priority = m.priority(); priority >= 0) {
    inout.priority = static_cast<int8_t>(priority);
  }
  if (const auto ts = m.time_us()) inout.ts_us = *ts;
  inout.fields = &m.fields;
  return true;
}

}  // namespace vigil::ingest
