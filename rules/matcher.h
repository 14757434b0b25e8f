#pragma once
// All patterns of a RuleSet in one Hyperscan database: one scan per event says
// which rules fire, RE2 then extracts the captures of just those.

#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.h"
#include "core/event.h"
#include "rules/ruleset.h"

namespace vigil::rules {

struct Capture {
  std::string_view name;
  std::string_view value;  // normalised by its type
};

// Valid only during the HitSink call.
struct Hit {
  const Rule* rule = nullptr;
  size_t rule_index = 0;
  std::span<const Capture> captures;
};

class HitSink {
 public:
  virtual ~HitSink() = default;
  virtual void on_hit(const Event& event, const Hit& hit) = 0;
};

struct CompileOptions {
  // Compiled Hyperscan databases are kept here and reused while the patterns
  // are unchanged (see rules/hs_cache.h); empty: compile every time.
  std::string cache_dir;
};

struct CompileStats {
  size_t databases = 0;   // Hyperscan databases the matcher scans with
  size_t from_cache = 0;  // of which loaded from the cache instead of compiled
};

class Matcher {
 public:
  // Per-thread scan state (Hyperscan scratch, capture buffers).
  class Context;

  // Compiles every pattern. On failure `errors` names each pattern that neither
  // engine accepts, at its location in the pack, and the result is null.
  static std::unique_ptr<Matcher> compile(RuleSet rules, std::vector<Diagnostic>& errors,
                                          const CompileOptions& options = {});
  Matcher(const Matcher&) = delete;
  Matcher& operator=(const Matcher&) = delete;
  ~Matcher();

  std::unique_ptr<Context> make_context() const;

  // Calls `sink` once per rule that fires on `event`, in rule order.
  // Returns the number of hits.
  size_t match(const Event& event, Context& ctx, HitSink& sink) const;

  const RuleSet& rules() const;
  CompileStats compile_stats() const;

 private:
  struct Impl;
  explicit Matcher(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

// Context must be complete wherever make_context's result is destroyed.
class Matcher::Context {
 public:
  Context(const Context&) = delete;
  Context& operator=(const Context&) = delete;
  ~Context();

 private:
  friend class Matcher;
  struct State;
  explicit Context(std::unique_ptr<State> state);
  std::unique_ptr<State> state_;
};

}  // namespace vigil::rules
