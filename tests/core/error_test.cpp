#include "core/error.h"

#include <gtest/gtest.h>

#include <cerrno>

namespace vigil {
namespace {

TEST(ErrnoMessage, ReadsLikeStrerror) {
  EXPECT_EQ(errno_message(ENOENT), "No such file or directory");
  EXPECT_EQ(errno_message(EACCES), "Permission denied");
  EXPECT_EQ(errno_message(EISDIR), "Is a directory");
}

TEST(ErrnoMessage, UnknownNumbersStillSaySomething) {
  EXPECT_EQ(errno_message(123456).rfind("Unknown error", 0), 0u);
}

}  // namespace
}  // namespace vigil
