#pragma once
// The one way vigil builds an RE2: on bytes, like Hyperscan without HS_FLAG_UTF8.

#include <re2/re2.h>

#include <string>
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

// The named groups of `re`, in no particular order.
inline std::vector<std::string> group_names(const RE2& re) {
  std::vector<std::string> names;
  for (const auto& [name, index] : re.NamedCapturingGroups()) names.push_back(name);
  return names;
}

}  // namespace vigil::rules
