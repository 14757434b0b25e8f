#pragma once
// Compiled Hyperscan databases kept on disk between runs: compiling the shipped
// packs costs ~0.3 s of CPU, loading them a few milliseconds. Private to rules/.
//
// A database is stored under the SHA-256 of everything that went into it (the
// Hyperscan version, the platform it was tuned for, each expression with its
// flags and id), so a changed pack or library simply misses. vigil runs as root
// and a database is code-like input to the scanner, so a file is used only if
// it and its directory belong to this user and nobody else can write them.

#include <string>

#include "rules/hs_database.h"

namespace vigil::rules {

class HsCache {
 public:
  // `dir` is created (0700, with missing parents) on the first store.
  explicit HsCache(std::string dir) : dir_(std::move(dir)) {}

  // Null when there is no usable entry: absent, unsafe permissions, or not a
  // database this library and CPU can run (all are silently a miss).
  HsDatabase load(const std::string& key) const;
  // Best effort: a cache that cannot be written only costs time.
  void store(const std::string& key, const hs_database_t* db) const;

  const std::string& dir() const { return dir_; }

 private:
  std::string dir_;
};

}  // namespace vigil::rules
