#include "rules/matcher.h"

#include <re2/re2.h>

#include <algorithm>
#include <climits>
#include <span>

#include "rules/capture_types.h"
#include "rules/hs_cache.h"
#include "rules/hs_database.h"
#include "rules/program_router.h"
#include "rules/regex.h"

namespace vigil::rules {
namespace {

struct Group {
  int index = 0;  // RE2 submatch index
  std::string name;
  CaptureType type = CaptureType::kString;
};

struct CompiledPattern {
  std::unique_ptr<RE2> re;
  size_t rule = 0;
  // 1 + the highest named group's index; 0 without named groups, so that RE2
  // can answer from its DFA without the capture machinery.
  int submatches = 0;
  std::vector<Group> groups;             // in the order they appear in the pattern
  RE2::Anchor anchor = RE2::UNANCHORED;  // ANCHOR_START when the pattern starts with '^'
};

std::vector<Group> named_groups(const RE2& re, const Rule& rule) {
  std::vector<Group> groups;
  for (const auto& [name, index] : re.NamedCapturingGroups()) {
    groups.push_back(Group{index, name, rule.capture_type(name)});
  }
  std::sort(groups.begin(), groups.end(),
            [](const Group& a, const Group& b) { return a.index < b.index; });
  return groups;
}

Diagnostic at(const Location& where, std::string message) {
  return Diagnostic{where.file, where.line, where.col, std::move(message)};
}

// Hyperscan's match callback. HS_FLAG_SINGLEMATCH reports each pattern at most
// once, so `fired` (reserved for every pattern) never reallocates.
int on_hs_match(unsigned id, unsigned long long /*from*/, unsigned long long /*to*/,
                unsigned /*flags*/, void* context) {
  auto& fired = *static_cast<std::vector<unsigned>*>(context);
  if (fired.size() < fired.capacity()) fired.push_back(id);
  return 0;
}

re2::StringPiece piece(std::string_view s) {
  return {s.data(), s.size()};
}

}  // namespace

struct Matcher::Impl {
  RuleSet rules;
  std::vector<CompiledPattern> patterns;  // rule by rule, each rule's in order: id = index
  HsBuild hs;
  ProgramRouter router;  // the Hyperscan databases, per selected program and priority
  size_t max_submatches = 0;
  size_t max_groups = 0;
  size_t max_field_captures = 0;

  void compile_re2(std::vector<Diagnostic>& errors);
  std::vector<HsPattern> hs_patterns() const;
};

struct Matcher::Context::State {
  HsScratch scratch;
  std::vector<unsigned> fired;  // pattern ids, capacity: every pattern
  std::vector<re2::StringPiece> submatches;
  std::vector<Capture> captures;
  std::vector<std::string> values;  // normalised typed captures, one per group slot

  void scan(const hs_database_t* db, std::string_view text);
  bool confirm_first(std::span<const unsigned> ids, const std::vector<CompiledPattern>& patterns,
                     std::string_view text);
  bool capture(const CompiledPattern& p, std::string_view text);
  void capture_fields(const Rule& rule, const Event& event, size_t first_slot);
};

void Matcher::Impl::compile_re2(std::vector<Diagnostic>& errors) {
  for (size_t r = 0; r < rules.rules.size(); ++r) {
    const Rule& rule = rules.rules[r];
    for (const Pattern& pattern : rule.patterns) {
      CompiledPattern p;
      p.rule = r;
      p.re = std::make_unique<RE2>(pattern.regex, byte_regex_options());
      if (!p.re->ok()) {
        errors.push_back(at(pattern.where, "pattern does not compile: " + p.re->error()));
      } else {
        p.groups = named_groups(*p.re, rule);
        p.submatches = p.groups.empty() ? 0 : p.groups.back().index + 1;
        // Measured: an anchored capture skips a DFA pass, ~40% of RE2's time here.
        if (starts_anchored(pattern.regex)) p.anchor = RE2::ANCHOR_START;
      }
      max_submatches = std::max(max_submatches, static_cast<size_t>(p.submatches));
      max_groups = std::max(max_groups, p.groups.size());
      patterns.push_back(std::move(p));
    }
  }
}

std::vector<HsPattern> Matcher::Impl::hs_patterns() const {
  std::vector<HsPattern> out;
  for (const Rule& rule : rules.rules) {
    for (const Pattern& pattern : rule.patterns)
      out.push_back(HsPattern{&pattern.regex, pattern.where});
  }
  return out;
}

std::unique_ptr<Matcher> Matcher::compile(RuleSet rules, std::vector<Diagnostic>& errors,
                                          const CompileOptions& options) {
  auto impl = std::make_unique<Impl>();
  impl->rules = std::move(rules);
  const size_t errors_before = errors.size();
  impl->compile_re2(errors);
  for (const Rule& rule : impl->rules.rules) {
    impl->max_field_captures = std::max(impl->max_field_captures, rule.field_captures.size());
  }
  const std::vector<HsPattern> hs_patterns = impl->hs_patterns();
  impl->hs = analyse_hs_patterns(hs_patterns, errors);
  const HsCache cache(options.cache_dir);
  if (!options.cache_dir.empty()) impl->hs.cache = &cache;
  std::vector<size_t> pattern_rule;
  for (const CompiledPattern& p : impl->patterns) pattern_rule.push_back(p.rule);
  impl->router = ProgramRouter(impl->rules, hs_patterns, pattern_rule, impl->hs, errors);
  impl->hs.cache = nullptr;
  if (errors.size() != errors_before) return nullptr;
  return std::unique_ptr<Matcher>(new Matcher(std::move(impl)));
}

Matcher::Matcher(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Matcher::~Matcher() = default;

const RuleSet& Matcher::rules() const {
  return impl_->rules;
}

CompileStats Matcher::compile_stats() const {
  return CompileStats{impl_->hs.databases, impl_->hs.from_cache};
}

std::unique_ptr<Matcher::Context> Matcher::make_context() const {
  auto state = std::make_unique<Context::State>();
  state->scratch = clone_scratch(impl_->hs.scratch.get());
  state->fired.reserve(impl_->patterns.size());
  state->submatches.resize(impl_->max_submatches);
  // Pattern groups, then field captures: each has a value slot of its own.
  const size_t slots = impl_->max_groups + impl_->max_field_captures;
  state->captures.reserve(slots);
  state->values.resize(slots);
  // Room for any normalised ip, int or duration, so that they never allocate.
  for (std::string& v : state->values) v.reserve(64);
  return std::unique_ptr<Context>(new Context(std::move(state)));
}

Matcher::Context::Context(std::unique_ptr<State> state) : state_(std::move(state)) {}
Matcher::Context::~Context() = default;

// RE2 confirms a pattern Hyperscan reported and extracts its named groups. A
// typed group that fails its check makes the whole pattern not match.
bool Matcher::Context::State::capture(const CompiledPattern& p, std::string_view text) {
  if (!p.re->Match(piece(text), 0, text.size(), p.anchor, submatches.data(), p.submatches)) {
    return false;
  }
  captures.clear();
  for (size_t g = 0; g < p.groups.size(); ++g) {
    const Group& group = p.groups[g];
    const re2::StringPiece& sub = submatches[static_cast<size_t>(group.index)];
    if (sub.data() == nullptr) continue;  // an optional group that did not take part
    std::string_view value;
    if (!normalize_capture(group.type, std::string_view(sub.data(), sub.size()), values[g],
                           value)) {
      return false;
    }
    captures.push_back(Capture{group.name, value});
  }
  return true;
}

// A rule's field captures, after its pattern's groups, in value slots from
// `first_slot` on. They fill in: a group that captured the same name wins. A
// missing field or a value that fails its type is left out.
void Matcher::Context::State::capture_fields(const Rule& rule, const Event& event,
                                             size_t first_slot) {
  if (event.fields == nullptr) return;
  const size_t from_groups = captures.size();
  for (size_t i = 0; i < rule.field_captures.size(); ++i) {
    const FieldCapture& c = rule.field_captures[i];
    const auto end = captures.begin() + static_cast<std::ptrdiff_t>(from_groups);
    if (std::any_of(captures.begin(), end, [&](const Capture& g) { return g.name == c.name; })) {
      continue;
    }
    const std::optional<std::string_view> raw = event.fields->field(c.field);
    std::string_view value;
    if (raw && normalize_capture(rule.capture_type(c.name), *raw, values[first_slot + i], value)) {
      captures.push_back(Capture{c.name, value});
    }
  }
}

// One Hyperscan pass over the message adds the fired pattern ids to `fired`.
// Ids run rule by rule in pattern order, so sorting them (match() does) gives
// rule order, and each rule's patterns in pack order.
void Matcher::Context::State::scan(const hs_database_t* db, std::string_view text) {
  if (db == nullptr) return;
  // Lines are capped far below 4 GiB by the reader; the clamp only keeps the cast honest.
  const auto length = static_cast<unsigned>(std::min<size_t>(text.size(), UINT_MAX));
  const hs_error_t rc = hs_scan(db, text.data() != nullptr ? text.data() : "", length, 0,
                                scratch.get(), on_hs_match, &fired);
  if (rc != HS_SUCCESS) {
    throw Error("Hyperscan scan failed (error " + std::to_string(rc) +
                "); each thread needs its own Matcher::Context");
  }
}

// A pattern Hyperscan did not report cannot match (its database is exact or a
// superset), so only one rule's reported `ids` are tried, in order; the first
// that RE2 confirms leaves its captures in `captures`.
bool Matcher::Context::State::confirm_first(std::span<const unsigned> ids,
                                            const std::vector<CompiledPattern>& patterns,
                                            std::string_view text) {
  return std::any_of(ids.begin(), ids.end(),
                     [&](unsigned id) { return capture(patterns[id], text); });
}

// The context's scratch state changes, through its pointer: not a const Context&.
// cppcheck-suppress constParameter ; the pointee is the context's own state
size_t Matcher::match(const Event& event, Context& ctx, HitSink& sink) const {
  const Impl& m = *impl_;
  Context::State& st = *ctx.state_;
  st.fired.clear();
  const ProgramRouter::Databases databases = m.router.databases_for(event.program, event.priority);
  st.scan(databases.by_program, event.message);
  st.scan(databases.by_priority, event.message);
  std::sort(st.fired.begin(), st.fired.end());
  size_t hits = 0;
  for (size_t i = 0, end = 0; i < st.fired.size(); i = end) {
    const size_t rule = m.patterns[st.fired[i]].rule;
    for (end = i + 1; end < st.fired.size() && m.patterns[st.fired[end]].rule == rule;) ++end;
    if (!m.rules.rules[rule].select.admits(event)) continue;
    if (!st.confirm_first(std::span(st.fired).subspan(i, end - i), m.patterns, event.message)) {
      continue;
    }
    st.capture_fields(m.rules.rules[rule], event, m.max_groups);
    sink.on_hit(event, Hit{&m.rules.rules[rule], rule, st.captures});
    ++hits;
  }
  return hits;
}

}  // namespace vigil::rules
