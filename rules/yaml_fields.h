#pragma once
// Typed access to yaml-cpp nodes for the pack reader: every wrong shape becomes a
// Diagnostic at the node's line and column (yaml-cpp counts from 0, we from 1).

#include <yaml-cpp/yaml.h>

#include <map>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/error.h"
#include "rules/ruleset.h"

namespace vigil::rules {

struct Field {
  YAML::Node key;
  YAML::Node value;
};

struct LocatedString {
  std::string text;
  Location where;
};

class FieldReader {
 public:
  FieldReader(std::string file, std::vector<Diagnostic>& errors)
      : file_(std::move(file)), errors_(errors) {}

  Location at(const YAML::Node& node) const;
  // Where a field's value is, or its key when the value is empty (yaml-cpp
  // places an empty value at the next token, which would mislead).
  Location at(const Field& field) const;

  void error(const Location& where, std::string message);
  size_t error_count() const { return errors_.size(); }

  // The entries of a mapping by key. Reports keys not in `known` (suggesting the
  // nearest known one) and repeated keys; `what` names the mapping ("rule").
  std::map<std::string, Field> fields(const YAML::Node& map,
                                      std::span<const std::string_view> known,
                                      std::string_view what);

  // A scalar value. `hint` shows the expected form in the message.
  std::optional<std::string> string(std::string_view name, const Field& field,
                                    std::string_view hint);
  // A list of scalars.
  std::optional<std::vector<LocatedString>> string_list(std::string_view name, const Field& field,
                                                        std::string_view hint);
  // A mapping of scalars to scalars, in the order written; names must not repeat.
  std::optional<std::vector<std::pair<LocatedString, LocatedString>>> string_map(
      std::string_view name, const Field& field, std::string_view hint);

 private:
  std::string file_;
  std::vector<Diagnostic>& errors_;
};

// "'x' must be a list, e.g. [a, b]; got a mapping" — the shape word for messages.
const char* shape_name(const YAML::Node& node);

}  // namespace vigil::rules
