#pragma once
// A hash map keyed by std::string that is searched with a std::string_view, so
// a lookup on the hot path builds no temporary string.

#include <functional>
#include <string>
#include <string_view>
#include <unordered_map>

namespace vigil {

struct StringHash {
  using is_transparent = void;
  size_t operator()(std::string_view s) const noexcept { return std::hash<std::string_view>{}(s); }
};

template <typename Value>
using StringMap = std::unordered_map<std::string, Value, StringHash, std::equal_to<>>;

}  // namespace vigil
