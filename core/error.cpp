#include "core/error.h"

#include <array>
#include <cstring>

namespace vigil {
namespace {

// strerror_r comes in two shapes: GNU returns the text (which may or may not be
// in the buffer), XSI fills the buffer and returns 0 on success.
[[maybe_unused]] std::string strerror_r_result(const char* text, const char* /*buffer*/) {
  return text;
}
[[maybe_unused]] std::string strerror_r_result(int status, const char* buffer) {
  return status == 0 ? std::string(buffer) : std::string("Unknown error");
}

}  // namespace

std::string errno_message(int err) {
  std::array<char, 256> buffer{};
  return strerror_r_result(strerror_r(err, buffer.data(), buffer.size()), buffer.data());
}

}  // namespace vigil
