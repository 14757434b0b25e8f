#include "rules/hs_database.h"

#include <cstdlib>
#include <string>

#include "core/sha256.h"
#include "rules/hs_cache.h"

namespace vigil::rules {
namespace {

constexpr unsigned kBaseFlags = HS_FLAG_SINGLEMATCH;

struct CompileErrorFree {
  void operator()(hs_compile_error_t* e) const { hs_free_compile_error(e); }
};
using CompileError = std::unique_ptr<hs_compile_error_t, CompileErrorFree>;

struct InfoFree {
  void operator()(hs_expr_info_t* info) const { std::free(info); }  // allocated with malloc
};

Diagnostic at(const Location& where, std::string message) {
  return Diagnostic{where.file, where.line, where.col, std::move(message)};
}

std::string cannot_compile(const char* hs_message) {
  return std::string("Hyperscan cannot compile this pattern, even as a prefilter: ") + hs_message +
         " Simplify it (e.g. smaller bounded repeats, anchors only at the ends)";
}

// Per-pattern analysis is cheap next to compiling the whole set, so problems
// of a single expression are found here; only resource limits of the full
// compile (a pattern "too large") are left to the compile loop.
struct Analysis {
  bool ok = false;
  bool prefilter = false;
};

Analysis analyse(const HsPattern& p, std::vector<Diagnostic>& errors) {
  // Hyperscan reads a C string: it would see only the part before a NUL.
  if (p.regex->find('\0') != std::string::npos) {
    errors.push_back(at(p.where, "pattern holds a NUL byte; write it as \\x00"));
    return {};
  }
  for (const unsigned flags : {kBaseFlags, kBaseFlags | HS_FLAG_PREFILTER}) {
    hs_expr_info_t* raw_info = nullptr;
    hs_compile_error_t* raw_error = nullptr;
    const hs_error_t rc = hs_expression_info(p.regex->c_str(), flags, &raw_info, &raw_error);
    const std::unique_ptr<hs_expr_info_t, InfoFree> info(raw_info);
    const CompileError error(raw_error);
    const bool prefilter = (flags & HS_FLAG_PREFILTER) != 0;
    if (rc != HS_SUCCESS) {
      if (prefilter) errors.push_back(at(p.where, cannot_compile(error->message)));
      continue;
    }
    if (info->min_width == 0) {
      // Such a pattern would fire on every line (Hyperscan needs
      // HS_FLAG_ALLOWEMPTY for it) and say nothing about the line: rejected.
      errors.push_back(at(p.where,
                          "pattern can match the empty string, so it would fire on every line; "
                          "make it require at least one character (e.g. '.+' instead of '.*')"));
      return {};
    }
    return Analysis{true, prefilter};
  }
  return {};
}

struct Candidate {
  unsigned id;  // index into the caller's patterns
  bool prefilter;

  unsigned flags() const { return kBaseFlags | (prefilter ? HS_FLAG_PREFILTER : 0); }
  bool operator==(const Candidate&) const = default;
};

// Everything that decides the compiled database: library, target CPU, and
// each expression with its id and flags.
std::string cache_key(std::span<const HsPattern> patterns,
                      const std::vector<Candidate>& candidates) {
  Sha256 hash;
  hash.update_field(hs_version());
  hs_platform_info_t platform{};
  if (hs_populate_platform(&platform) == HS_SUCCESS) {
    hash.update_field(std::to_string(platform.tune) + "/" + std::to_string(platform.cpu_features));
  }
  hash.update_field("block");
  for (const Candidate& c : candidates) {
    hash.update_field(std::to_string(c.id) + "/" + std::to_string(c.flags()));
    hash.update_field(*patterns[c.id].regex);
  }
  return hash.hex();
}

// One hs_compile_multi over `candidates`; on an error that names an expression,
// returns its index in `candidates` through `failed`.
HsDatabase compile_multi(std::span<const HsPattern> patterns,
                         const std::vector<Candidate>& candidates, int& failed,
                         std::string& message) {
  std::vector<const char*> expressions;
  std::vector<unsigned> flags;
  std::vector<unsigned> ids;
  for (const Candidate& c : candidates) {
    expressions.push_back(patterns[c.id].regex->c_str());
    flags.push_back(c.flags());
    ids.push_back(c.id);
  }
  hs_database_t* raw_db = nullptr;
  hs_compile_error_t* raw_error = nullptr;
  const hs_error_t rc = hs_compile_multi(expressions.data(), flags.data(), ids.data(),
                                         static_cast<unsigned>(candidates.size()), HS_MODE_BLOCK,
                                         nullptr, &raw_db, &raw_error);
  HsDatabase db(raw_db);
  const CompileError error(raw_error);
  if (rc == HS_SUCCESS) return db;
  failed = error ? error->expression : -1;
  message = error ? error->message : "unknown error";
  return nullptr;
}

// Compiles until the set is accepted: a pattern that fails is retried as a
// prefilter, and dropped with an error if it fails again. Each pattern fails at
// most twice, so this ends.
HsDatabase compile_all(std::span<const HsPattern> patterns, std::vector<Candidate>& candidates,
                       std::vector<Diagnostic>& errors) {
  while (!candidates.empty()) {
    int failed = -1;
    std::string message;
    HsDatabase db = compile_multi(patterns, candidates, failed, message);
    if (db) return db;
    if (failed < 0 || static_cast<size_t>(failed) >= candidates.size()) {
      errors.push_back(
          Diagnostic{"(rule set)", 0, 0, "Hyperscan cannot compile the rule set: " + message});
      return nullptr;
    }
    Candidate& c = candidates[static_cast<size_t>(failed)];
    if (!c.prefilter) {
      c.prefilter = true;
      continue;
    }
    errors.push_back(at(patterns[c.id].where, cannot_compile(message.c_str())));
    candidates.erase(candidates.begin() + failed);
  }
  return nullptr;
}

}  // namespace

HsBuild analyse_hs_patterns(std::span<const HsPattern> patterns, std::vector<Diagnostic>& errors) {
  HsBuild build;
  build.accepted.assign(patterns.size(), false);
  build.prefiltered.assign(patterns.size(), false);
  for (unsigned id = 0; id < patterns.size(); ++id) {
    const Analysis a = analyse(patterns[id], errors);
    build.accepted[id] = a.ok;
    build.prefiltered[id] = a.prefilter;
  }
  return build;
}

HsDatabase build_hs_subset(std::span<const HsPattern> patterns, std::span<const unsigned> ids,
                           HsBuild& build, std::vector<Diagnostic>& errors) {
  std::vector<Candidate> candidates;
  for (const unsigned id : ids) {
    if (build.accepted[id]) candidates.push_back(Candidate{id, build.prefiltered[id]});
  }
  HsDatabase db;
  const std::vector<Candidate> requested = candidates;
  const std::string key = build.cache != nullptr ? cache_key(patterns, requested) : "";
  if (build.cache != nullptr) db = build.cache->load(key);
  if (db) {
    ++build.from_cache;
  } else {
    db = compile_all(patterns, candidates, errors);
    // Only a compile that needed no fallback is stored: the key names its inputs.
    if (db && build.cache != nullptr && candidates == requested) build.cache->store(key, db.get());
  }
  if (db) ++build.databases;
  // A pattern dropped here (with its error) is left out of later subsets too,
  // so that its error is reported once.
  for (const unsigned id : ids) build.accepted[id] = false;
  for (const Candidate& c : candidates) {
    build.accepted[c.id] = db != nullptr;
    build.prefiltered[c.id] = c.prefilter;
  }
  if (!db) return nullptr;
  hs_scratch_t* scratch = build.scratch.release();
  const hs_error_t rc = hs_alloc_scratch(db.get(), &scratch);
  build.scratch.reset(scratch);
  if (rc != HS_SUCCESS) {
    errors.push_back(Diagnostic{"(rule set)", 0, 0, "Hyperscan cannot allocate scratch space"});
    return nullptr;
  }
  return db;
}

HsScratch clone_scratch(const hs_scratch_t* prototype) {
  hs_scratch_t* clone = nullptr;
  if (prototype == nullptr) return nullptr;
  if (hs_clone_scratch(prototype, &clone) != HS_SUCCESS) throw Error("hs_clone_scratch failed");
  return HsScratch(clone);
}

}  // namespace vigil::rules
