#pragma once
// Response commands as argv templates, never a shell: each element is literal
// text with {name} placeholders, and a substituted value always stays inside
// the element it was written in — it can neither split one nor join two.

#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "respond/values.h"

namespace vigil::respond {

class ArgvTemplate {
 public:
  // Each element is literal text with {name} placeholders; {{ and }} stand for
  // literal braces. `types` says which names exist and their type. On an
  // unknown placeholder, an unbalanced brace, an empty argv or a placeholder in
  // argv[0] (the program is fixed at config time: no braces at all there),
  // returns nullopt with `why`.
  static std::optional<ArgvTemplate> parse(std::vector<std::string> argv,
                                           const std::map<std::string, ValueType>& types,
                                           std::string& why);

  // The argv with every placeholder replaced by its validated value (see
  // validate_value). nullopt with `why` naming the value and the reason when a
  // value is missing or refused. Names in `values` that are not used are ignored.
  std::optional<std::vector<std::string>> expand(const std::map<std::string, std::string>& values,
                                                 std::string& why) const;

  const std::vector<std::string>& raw() const { return raw_; }
  std::set<std::string> names() const;  // the placeholders used

 private:
  // One piece of an element: literal text, or a placeholder when `type` is set.
  struct Piece {
    std::string text;  // the literal, or the placeholder's name
    std::optional<ValueType> type;
  };
  using Element = std::vector<Piece>;

  ArgvTemplate() = default;
  static std::optional<Element> parse_element(const std::string& text,
                                              const std::map<std::string, ValueType>& types,
                                              std::string& why);

  std::vector<std::string> raw_;
  std::vector<Element> elements_;
};

// The argv as a JSON array of strings, e.g. ["/usr/sbin/nft","add","element"],
// for the audit row.
std::string argv_to_json(const std::vector<std::string>& argv);

}  // namespace vigil::respond
