#include "rules/yaml_fields.h"

#include <algorithm>

namespace vigil::rules {
namespace {

// Edit distance, to suggest `patterns` for `patern`. Keys are short.
size_t edit_distance(std::string_view a, std::string_view b) {
  std::vector<size_t> row(b.size() + 1);
  for (size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (size_t i = 1; i <= a.size(); ++i) {
    size_t diagonal = row[0];
    row[0] = i;
    for (size_t j = 1; j <= b.size(); ++j) {
      const size_t above = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] != b[j - 1] ? 1 : 0)});
      diagonal = above;
    }
  }
  return row[b.size()];
}

std::string known_list(std::span<const std::string_view> known) {
  std::string out;
  for (std::string_view k : known) {
    if (!out.empty()) out += ", ";
    out += k;
  }
  return out;
}

std::string unknown_key_message(std::string_view key, std::span<const std::string_view> known,
                                std::string_view what) {
  std::string message = "unknown key '" + std::string(key) + "' in " + std::string(what);
  std::string_view best;
  size_t best_distance = 3;  // suggest only near misses
  for (std::string_view k : known) {
    const size_t d = edit_distance(key, k);
    if (d < best_distance) best_distance = d, best = k;
  }
  if (!best.empty()) return message + "; did you mean '" + std::string(best) + "'?";
  return message + "; expected one of: " + known_list(known);
}

}  // namespace

const char* shape_name(const YAML::Node& node) {
  switch (node.Type()) {
    case YAML::NodeType::Null:
      return "nothing";
    case YAML::NodeType::Scalar:
      return "a single value";
    case YAML::NodeType::Sequence:
      return "a list";
    case YAML::NodeType::Map:
      return "a mapping";
    case YAML::NodeType::Undefined:
      break;
  }
  return "nothing";
}

Location FieldReader::at(const YAML::Node& node) const {
  const YAML::Mark mark = node.Mark();
  if (mark.is_null()) return Location{file_, 0, 0};
  return Location{file_, mark.line + 1, mark.column + 1};
}

Location FieldReader::at(const Field& field) const {
  return field.value.IsNull() ? at(field.key) : at(field.value);
}

void FieldReader::error(const Location& where, std::string message) {
  errors_.push_back(Diagnostic{where.file, where.line, where.col, std::move(message)});
}

std::map<std::string, Field> FieldReader::fields(const YAML::Node& map,
                                                 std::span<const std::string_view> known,
                                                 std::string_view what) {
  std::map<std::string, Field> out;
  for (auto it = map.begin(); it != map.end(); ++it) {
    const YAML::Node key = it->first;
    if (!key.IsScalar()) {
      error(at(key), "a key in " + std::string(what) + " must be a plain name");
      continue;
    }
    const std::string& name = key.Scalar();
    if (std::find(known.begin(), known.end(), name) == known.end()) {
      error(at(key), unknown_key_message(name, known, what));
      continue;
    }
    if (const auto first = out.find(name); first != out.end()) {
      const Location was = at(first->second.key);
      error(at(key), "key '" + name + "' repeated in " + std::string(what) + " (first at line " +
                         std::to_string(was.line) + "); keep only one");
      continue;
    }
    out.emplace(name, Field{key, it->second});
  }
  return out;
}

std::optional<std::string> FieldReader::string(std::string_view name, const Field& field,
                                               std::string_view hint) {
  if (field.value.IsScalar()) return field.value.Scalar();
  error(at(field), "'" + std::string(name) + "' must be a single value, e.g. " + std::string(hint) +
                       "; got " + shape_name(field.value));
  return std::nullopt;
}

std::optional<std::vector<LocatedString>> FieldReader::string_list(std::string_view name,
                                                                   const Field& field,
                                                                   std::string_view hint) {
  const std::string expected =
      "'" + std::string(name) + "' must be a list of values, e.g. " + std::string(hint);
  if (!field.value.IsSequence()) {
    error(at(field), expected + "; got " + shape_name(field.value));
    return std::nullopt;
  }
  std::vector<LocatedString> out;
  bool ok = true;
  for (const YAML::Node& item : field.value) {
    if (item.IsScalar()) {
      out.push_back(LocatedString{item.Scalar(), at(item)});
    } else {
      error(at(item.IsNull() ? field.key : item), expected + "; an item is " + shape_name(item));
      ok = false;
    }
  }
  return ok ? std::optional(std::move(out)) : std::nullopt;
}

std::optional<std::vector<std::pair<LocatedString, LocatedString>>> FieldReader::string_map(
    std::string_view name, const Field& field, std::string_view hint) {
  const std::string expected =
      "'" + std::string(name) + "' must map names to values, e.g. " + std::string(hint);
  if (!field.value.IsMap()) {
    error(at(field), expected + "; got " + shape_name(field.value));
    return std::nullopt;
  }
  std::vector<std::pair<LocatedString, LocatedString>> out;
  bool ok = true;
  for (auto it = field.value.begin(); it != field.value.end(); ++it) {
    const Field entry{it->first, it->second};
    if (!entry.key.IsScalar() || !entry.value.IsScalar()) {
      error(at(entry), expected + "; this entry is not a name with a single value");
      ok = false;
      continue;
    }
    const std::string& key = entry.key.Scalar();
    const auto same = [&](const auto& kv) { return kv.first.text == key; };
    if (std::find_if(out.begin(), out.end(), same) != out.end()) {
      error(at(entry.key), "'" + key + "' repeated in '" + std::string(name) + "'; keep only one");
      ok = false;
      continue;
    }
    out.emplace_back(LocatedString{key, at(entry.key)},
                     LocatedString{entry.value.Scalar(), at(entry.value)});
  }
  return ok ? std::optional(std::move(out)) : std::nullopt;
}

}  // namespace vigil::rules
