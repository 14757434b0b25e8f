#pragma once
// SHA-256 (OpenSSL) for content keys and evidence manifests.

#include <array>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

namespace vigil {

class Sha256 {
 public:
  Sha256();
  ~Sha256();
  Sha256(const Sha256&) = delete;
  Sha256& operator=(const Sha256&) = delete;

  void update(std::string_view bytes);
  // Adds the length first, so that ("ab","c") and ("a","bc") hash differently.
  void update_field(std::string_view bytes);
  std::string hex();  // finishes the hash; 64 lowercase hex digits

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

std::string sha256_hex(std::string_view bytes);

}  // namespace vigil
