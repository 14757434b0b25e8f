#include "respond/argv_template.h"

#include <utility>

#include "core/text.h"

namespace vigil::respond {
namespace {

std::string where(size_t index) {
  return "argv[" + std::to_string(index) + "]: ";
}

}  // namespace

std::optional<ArgvTemplate::Element> ArgvTemplate::parse_element(
    const std::string& text, const std::map<std::string, ValueType>& types, std::string& why) {
  Element element;
  std::string literal;
  for (size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    const bool doubled = i + 1 < text.size() && text[i + 1] == c;
    if ((c == '{' || c == '}') && doubled) {
      literal += c;
      ++i;
    } else if (c == '}') {
      why = "unbalanced '}' (write '}}' for a literal brace)";
      return std::nullopt;
    } else if (c == '{') {
      const size_t close = text.find_first_of("{}", i + 1);
      if (close == std::string::npos || text[close] != '}') {
        why = "unbalanced '{' (write '{{' for a literal brace)";
        return std::nullopt;
      }
      std::string name = text.substr(i + 1, close - i - 1);
      const auto type = types.find(name);
      if (type == types.end()) {
        why = "unknown placeholder {" + name + "}";
        return std::nullopt;
      }
      if (!literal.empty()) element.push_back({std::exchange(literal, {}), std::nullopt});
      element.push_back({std::move(name), type->second});
      i = close;
    } else {
      literal += c;
    }
  }
  if (!literal.empty() || element.empty()) element.push_back({std::move(literal), std::nullopt});
  return element;
}

std::optional<ArgvTemplate> ArgvTemplate::parse(std::vector<std::string> argv,
                                                const std::map<std::string, ValueType>& types,
                                                std::string& why) {
  if (argv.empty() || argv.front().empty()) {
    why = "the command is empty";
    return std::nullopt;
  }
  // The program is resolved once at config time; it never comes from a log.
  if (argv.front().find_first_of("{}") != std::string::npos) {
    why = "argv[0]: the program cannot hold a placeholder or braces";
    return std::nullopt;
  }
  ArgvTemplate result;
  for (size_t i = 0; i < argv.size(); ++i) {
    auto element = parse_element(argv[i], types, why);
    if (!element) {
      why = where(i) + why;
      return std::nullopt;
    }
    result.elements_.push_back(std::move(*element));
  }
  result.raw_ = std::move(argv);
  return result;
}

std::optional<std::vector<std::string>> ArgvTemplate::expand(
    const std::map<std::string, std::string>& values, std::string& why) const {
  std::map<std::string, std::string> valid;  // each value validated once
  for (const Element& element : elements_) {
    for (const Piece& piece : element) {
      if (!piece.type || valid.contains(piece.text)) continue;
      const auto value = values.find(piece.text);
      if (value == values.end()) {
        why = "no value for {" + piece.text + "}";
        return std::nullopt;
      }
      auto checked = validate_value(*piece.type, value->second, why);
      if (!checked) {
        why = "{" + piece.text + "} (" + to_string(*piece.type) + "): " + why;
        return std::nullopt;
      }
      valid.emplace(piece.text, std::move(*checked));
    }
  }
  std::vector<std::string> argv;
  argv.reserve(elements_.size());
  for (const Element& element : elements_) {
    std::string& out = argv.emplace_back();
    for (const Piece& piece : element) out += piece.type ? valid.at(piece.text) : piece.text;
  }
  return argv;
}

std::set<std::string> ArgvTemplate::names() const {
  std::set<std::string> names;
  for (const Element& element : elements_) {
    for (const Piece& piece : element) {
      if (piece.type) names.insert(piece.text);
    }
  }
  return names;
}

std::string argv_to_json(const std::vector<std::string>& argv) {
  std::string out = "[";
  for (size_t i = 0; i < argv.size(); ++i) {
    if (i > 0) out += ',';
    append_json_string(out, argv[i]);
  }
  return out + "]";
}

}  // namespace vigil::respond
