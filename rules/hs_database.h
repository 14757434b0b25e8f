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

struct HsBuild {
  HsDatabase db;                  // null when there was nothing to compile or an error
  HsScratch scratch;              // the prototype each Matcher::Context clones
  std::vector<bool> prefiltered;  // per pattern: compiled with HS_FLAG_PREFILTER
};

// Compiles every pattern into one block-mode database (HS_FLAG_SINGLEMATCH, on
// bytes). A pattern Hyperscan cannot compile exactly is retried with
// HS_FLAG_PREFILTER, so that RE2 confirms its matches. A pattern that can match
// the empty string, or that fails even as a prefilter, becomes an error at its
// location, and no database is built.
HsBuild build_hs_database(std::span<const HsPattern> patterns, std::vector<Diagnostic>& errors);

// Compiles the patterns `ids` (a subset of those `build` accepted) with the
// flags `build` chose for them; their Hyperscan ids stay their indexes in
// `patterns`. `build.scratch` is grown to serve the new database as well.
HsDatabase build_hs_subset(std::span<const HsPattern> patterns, std::span<const unsigned> ids,
                           HsBuild& build);

// A scratch of its own for one thread, cloned from the prototype.
HsScratch clone_scratch(const hs_scratch_t* prototype);

}  // namespace vigil::rules
