#pragma once
// The one way vigil builds an RE2: on bytes, like Hyperscan without HS_FLAG_UTF8.

#include <re2/re2.h>

#include <string>
#include <string_view>
#include <vector>

namespace vigil::rules {

// Latin-1 makes RE2 work on bytes: '.' matches any byte but '\n', and invalid
// UTF-8 in a message is just bytes, as it is for Hyperscan (whose UTF-8 mode
// would be undefined behaviour on such input). A pattern's own UTF-8 text, read
// as Latin-1, still matches the same UTF-8 bytes in a message.
inline RE2::Options byte_regex_options() {
  RE2::Options options;
  options.set_encoding(RE2::Options::EncodingLatin1);
  options.set_log_errors(false);
  return options;
}

// True when every match of `pattern` must start at the beginning of the text: it
// begins with '^' and has no '|' outside parentheses (in "^a|b" the '^' binds to
// "a" only). RE2 can then be asked for an anchored match, which skips the DFA
// pass that looks for where an unanchored match starts.
inline bool starts_anchored(std::string_view pattern) {
  if (pattern.empty() || pattern[0] != '^') return false;
  int depth = 0;
  bool in_class = false;
  for (size_t i = 1; i < pattern.size(); ++i) {
    const char c = pattern[i];
    if (c == '\\') {
      ++i;  // an escaped character is never syntax
    } else if (in_class) {
      in_class = c != ']';
    } else if (c == '[') {
      in_class = true;
      // "[]...]" and "[^]...]": a ']' right after the opening is a literal.
      if (i + 1 < pattern.size() && pattern[i + 1] == '^') ++i;
      if (i + 1 < pattern.size() && pattern[i + 1] == ']') ++i;
    } else if (c == '(') {
      ++depth;
    } else if (c == ')') {
      --depth;
    } else if (c == '|' && depth <= 0) {
      return false;
    }
  }
  return true;
}

// The named groups of `re`, in no particular order.
inline std::vector<std::string> group_names(const RE2& re) {
  std::vector<std::string> names;
  for (const auto& [name, index] : re.NamedCapturingGroups()) names.push_back(name);
  return names;
}

}  // namespace vigil::rules
