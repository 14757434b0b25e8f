#pragma once
// Hyperscan ownership and the compile step with its fallbacks. Private to rules/.

#include <hs/hs.h>

#include <memory>
#include <span>
#include <string>
#include <vector>

#include "core/error.h"
#include "rules/ruleset.h"

namespace vigil::rules {

struct HsDatabaseFree {
  void operator()(hs_database_t* db) const { hs_free_database(db); }
};
struct HsScratchFree {
  void operator()(hs_scratch_t* scratch) const { hs_free_scratch(scratch); }
};
using HsDatabase = std::unique_ptr<hs_database_t, HsDatabaseFree>;
using HsScratch = std::unique_ptr<hs_scratch_t, HsScratchFree>;

// A pattern to compile; its Hyperscan id is its index in the span.
struct HsPattern {
  const std::string* regex = nullptr;
  Location where;
};

class HsCache;

struct HsBuild {
  std::vector<bool> accepted;      // per pattern: passed the checks of a single expression
  std::vector<bool> prefiltered;   // per pattern: compiled with HS_FLAG_PREFILTER
  HsScratch scratch;               // serves every database built; each Context clones it
  const HsCache* cache = nullptr;  // null: always compile
  size_t databases = 0;            // built so far
  size_t from_cache = 0;           // of which loaded from `cache`
};

// Checks each pattern on its own (hs_expression_info: cheap, no compile): a NUL
// byte, a pattern that can match the empty string, or one that fails even as a
// prefilter is an error at its location; one Hyperscan accepts only as a
// prefilter is marked so, and RE2 confirms its matches.
HsBuild analyse_hs_patterns(std::span<const HsPattern> patterns, std::vector<Diagnostic>& errors);

// Compiles the accepted patterns among `ids` into one block-mode database
// (HS_FLAG_SINGLEMATCH, on bytes); their Hyperscan ids are their indexes in
// `patterns`. A pattern the whole compile rejects (too large) is retried as a
// prefilter, then dropped with an error. `build.scratch` grows to serve the
// database. Null when nothing compiled. With `build.cache`, a database compiled
// from the same expressions before is loaded instead, and a new one is stored.
HsDatabase build_hs_subset(std::span<const HsPattern> patterns, std::span<const unsigned> ids,
                           HsBuild& build, std::vector<Diagnostic>& errors);

// A scratch of its own for one thread, cloned from the prototype.
HsScratch clone_scratch(const hs_scratch_t* prototype);

}  // namespace vigil::rules
