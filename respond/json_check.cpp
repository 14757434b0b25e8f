#include "respond/json_check.h"

#include <cstdint>

#include "respond/safe_text.h"

namespace vigil::respond {
namespace {

class Validator {
 public:
  Validator(std::string_view text, int max_depth) : s_(text), max_depth_(max_depth) {}

  bool document() {
    skip_space();
    if (!value(0)) return false;
    skip_space();
    return i_ == s_.size();
  }

 private:
  bool skip_one() {
    ++i_;
    return true;
  }
  bool at(char c) const { return i_ < s_.size() && s_[i_] == c; }
  bool digit() const { return i_ < s_.size() && s_[i_] >= '0' && s_[i_] <= '9'; }

  void skip_space() {
    while (i_ < s_.size() && (s_[i_] == ' ' || s_[i_] == '\t' || s_[i_] == '\n' || s_[i_] == '\r'))
      ++i_;
  }

  bool literal(std::string_view word) {
    if (s_.substr(i_, word.size()) != word) return false;
    i_ += word.size();
    return true;
  }

  // NOLINTNEXTLINE(misc-no-recursion): bounded by max_depth
  bool value(int depth) {
    if (depth > max_depth_ || i_ >= s_.size()) return false;
    switch (s_[i_]) {
      case '{':
        return container(depth, '}', true);
      case '[':
        return container(depth, ']', false);
      case '"':
        return string();
      case 't':
        return literal("true");
      case 'f':
        return literal("false");
      case 'n':
        return literal("null");
      default:
        return number();
    }
  }

  // An object (members are "name": value) or an array, after its opening bracket.
  // NOLINTNEXTLINE(misc-no-recursion): bounded by max_depth, see value
  bool container(int depth, char close, bool members) {
    ++i_;
    skip_space();
    if (at(close)) return skip_one();
    for (;;) {
      skip_space();
      if (members) {
        if (!at('"') || !string()) return false;
        skip_space();
        if (!at(':')) return false;
        ++i_;
        skip_space();
      }
      if (!value(depth + 1)) return false;
      skip_space();
      if (at(close)) return skip_one();
      if (!at(',')) return false;
      ++i_;
    }
  }

  // Four hex digits after "\u"; -1 when they are not.
  int32_t hex4() {
    int32_t v = 0;
    for (int k = 0; k < 4; ++k, ++i_) {
      if (i_ >= s_.size()) return -1;
      const char c = s_[i_];
      const int d = c >= '0' && c <= '9'   ? c - '0'
                    : c >= 'a' && c <= 'f' ? c - 'a' + 10
                    : c >= 'A' && c <= 'F' ? c - 'A' + 10
                                           : -1;
      if (d < 0) return -1;
      v = v * 16 + d;
    }
    return v;
  }

  // An escape after its backslash. Surrogates must come as a pair (a lone one is
  // not a character: strict parsers reject it).
  bool escape() {
    if (++i_ >= s_.size()) return false;
    const char c = s_[i_++];
    if (c != 'u') return std::string_view("\"\\/bfnrt").find(c) != std::string_view::npos;
    const int32_t v = hex4();
    if (v < 0 || (v >= 0xDC00 && v <= 0xDFFF)) return false;
    if (v < 0xD800 || v > 0xDBFF) return true;
    if (s_.substr(i_, 2) != "\\u") return false;
    i_ += 2;
    const int32_t low = hex4();
    return low >= 0xDC00 && low <= 0xDFFF;
  }

  bool string() {
    ++i_;
    while (i_ < s_.size()) {
      const auto c = static_cast<uint8_t>(s_[i_]);
      if (c == '"') return skip_one();
      if (c == '\\') {
        if (!escape()) return false;
        continue;
      }
      if (c < 0x20) return false;
      const size_t len = utf8_char_length(s_, i_);
      if (len == 0) return false;
      i_ += len;
    }
    return false;
  }

  bool number() {
    if (at('-')) ++i_;
    if (at('0')) {
      ++i_;
    } else if (digit()) {
      while (digit()) ++i_;
    } else {
      return false;
    }
    if (at('.')) {
      ++i_;
      if (!digit()) return false;
      while (digit()) ++i_;
    }
    if (at('e') || at('E')) {
      ++i_;
      if (at('+') || at('-')) ++i_;
      if (!digit()) return false;
      while (digit()) ++i_;
    }
    return true;
  }

  std::string_view s_;
  size_t i_ = 0;
  int max_depth_;
};

}  // namespace

bool is_valid_json(std::string_view text, int max_depth) {
  return Validator(text, max_depth).document();
}

}  // namespace vigil::respond
