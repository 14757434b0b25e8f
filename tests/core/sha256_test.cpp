#include "core/sha256.h"

#include <gtest/gtest.h>

namespace vigil {
namespace {

// FIPS 180-2 test vectors.
TEST(Sha256, KnownVectors) {
  EXPECT_EQ(sha256_hex(""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_EQ(sha256_hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

TEST(Sha256, StreamingEqualsOneShot) {
  Sha256 hash;
  hash.update("a");
  hash.update("bc");
  EXPECT_EQ(hash.hex(), sha256_hex("abc"));
}

TEST(Sha256, FieldsAreDelimitedByTheirLength) {
  Sha256 one;
  one.update_field("ab");
  one.update_field("c");
  Sha256 two;
  two.update_field("a");
  two.update_field("bc");
  EXPECT_NE(one.hex(), two.hex());
}

}  // namespace
}  // namespace vigil
