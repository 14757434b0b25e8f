#include "app/run_config.h"

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string_view>

#include "core/time.h"
#include "rules/ruleset.h"
#include "rules/yaml_fields.h"

namespace vigil::app {
namespace {

using rules::Field;
using rules::FieldReader;

constexpr std::array<std::string_view, 9> kTopKeys = {"database", "log_level",  "rules",
                                                      "journal",  "files",      "follow",
                                                      "allow",    "thresholds", "respond"};
constexpr std::array<std::string_view, 6> kJournalKeys = {"enabled",     "directory",    "units",
                                                          "identifiers", "max_priority", "since"};
constexpr std::array<std::string_view, 3> kFileKeys = {"path", "format", "json_fields"};
constexpr std::array<std::string_view, 8> kJsonKeys = {"time",    "level", "message", "host",
                                                       "program", "unit",  "pid",     "duration"};
constexpr std::array<std::string_view, 2> kFollowKeys = {"start_at", "idle_flush"};
constexpr std::array<std::string_view, 6> kLogLevels = {"trace", "debug", "info",
                                                        "warn",  "error", "off"};

class ConfigReader {
 public:
  ConfigReader(const std::string& file, std::vector<Diagnostic>& errors, bool never_acts)
      : in_(file, errors), never_acts_(never_acts), config_{} {
    config_.file = file;
  }

  RunConfig read(const YAML::Node& root);

 private:
  void read_journal(const Field& field);
  void read_files(const Field& field);
  void read_file(const YAML::Node& node);
  void read_json_fields(const Field& field, ingest::JsonFieldMap& map);
  void read_follow(const Field& field);
  std::vector<std::string> strings(std::string_view name, const Field& field,
                                   std::string_view hint);
  bool boolean(std::string_view name, const Field& field);

  FieldReader in_;
  bool never_acts_;
  RunConfig config_;
};

RunConfig ConfigReader::read(const YAML::Node& root) {
  if (!root.IsMap()) {
    in_.error(in_.at(root), std::string("the config must be a mapping of settings; got ") +
                                rules::shape_name(root));
    return config_;
  }
  auto fields = in_.fields(root, kTopKeys, "the config");
  if (auto it = fields.find("database"); it != fields.end()) {
    config_.database = in_.string("database", it->second, "/var/lib/vigil/vigil.db").value_or("");
  }
  if (auto it = fields.find("log_level"); it != fields.end()) {
    const std::string level = in_.string("log_level", it->second, "info").value_or("info");
    if (std::find(kLogLevels.begin(), kLogLevels.end(), level) == kLogLevels.end()) {
      in_.error(in_.at(it->second),
                "unknown log_level '" + level + "'; use trace, debug, info, warn, error or off");
    }
    config_.log_level = level;
  }
  if (auto it = fields.find("rules"); it != fields.end()) {
    config_.rule_paths = strings("rules", it->second, "[/usr/share/vigil/packs]");
  }
  if (auto it = fields.find("journal"); it != fields.end()) read_journal(it->second);
  if (auto it = fields.find("files"); it != fields.end()) read_files(it->second);
  if (auto it = fields.find("follow"); it != fields.end()) read_follow(it->second);
  const char* path_env = std::getenv("PATH");
  read_alerting_config(in_, fields,
                       path_env != nullptr ? path_env : "/usr/sbin:/usr/bin:/sbin:/bin",
                       never_acts_, config_.alerting);
  return config_;
}

std::vector<std::string> ConfigReader::strings(std::string_view name, const Field& field,
                                               std::string_view hint) {
  std::vector<std::string> out;
  if (auto list = in_.string_list(name, field, hint)) {
    for (rules::LocatedString& s : *list) out.push_back(std::move(s.text));
  }
  return out;
}

bool ConfigReader::boolean(std::string_view name, const Field& field) {
  const std::string text = in_.string(name, field, "true").value_or("");
  if (text == "true" || text == "yes" || text == "on") return true;
  if (text != "false" && text != "no" && text != "off") {
    in_.error(in_.at(field),
              "'" + std::string(name) + "' must be true or false; got '" + text + "'");
  }
  return false;
}

void ConfigReader::read_journal(const Field& field) {
  if (!field.value.IsMap()) {
    in_.error(in_.at(field), "'journal' must be a mapping, e.g. {enabled: true}");
    return;
  }
  JournalConfig& j = config_.journal;
  j.enabled = true;  // a journal section means "read the journal" unless it says otherwise
  auto fields = in_.fields(field.value, kJournalKeys, "journal");
  if (auto it = fields.find("enabled"); it != fields.end())
    j.enabled = boolean("enabled", it->second);
  if (auto it = fields.find("directory"); it != fields.end()) {
    j.directory = in_.string("directory", it->second, "/var/log/journal/remote").value_or("");
  }
  if (auto it = fields.find("units"); it != fields.end()) {
    j.units = strings("units", it->second, "[governance-app.service, ssh.service]");
  }
  if (auto it = fields.find("identifiers"); it != fields.end()) {
    j.identifiers = strings("identifiers", it->second, "[sudo, sshd]");
  }
  if (auto it = fields.find("max_priority"); it != fields.end()) {
    const std::string name = in_.string("max_priority", it->second, "err").value_or("");
    const std::optional<int> priority = rules::parse_priority(name);
    if (!priority) {
      in_.error(in_.at(it->second), "unknown priority '" + name +
                                        "'; use emerg, alert, crit, err, warning, notice, info "
                                        "or debug");
    }
    j.max_priority = priority.value_or(-1);
  }
  if (auto it = fields.find("since"); it != fields.end()) {
    const std::string text = in_.string("since", it->second, "2026-11-28T00:00:00Z").value_or("");
    size_t consumed = 0;
    j.since_us = parse_iso8601(text, &consumed);
    if (!j.since_us || consumed != text.size()) {
      in_.error(in_.at(it->second),
                "'since' must be an ISO 8601 time, e.g. 2026-11-28T00:00:00Z; got '" + text + "'");
    }
  }
}

void ConfigReader::read_files(const Field& field) {
  if (!field.value.IsSequence()) {
    in_.error(in_.at(field), "'files' must be a list, e.g. [{path: /var/log/auth.log}]");
    return;
  }
  for (const YAML::Node& node : field.value) read_file(node);
}

void ConfigReader::read_file(const YAML::Node& node) {
  if (node.IsScalar()) {  // "- /var/log/auth.log" is short for {path: ...}
    if (node.Scalar().empty() || node.Scalar().front() != '/') {
      in_.error(in_.at(node), "'" + node.Scalar() + "' must be an absolute path");
    }
    config_.files.push_back(FileSourceConfig{node.Scalar(), ingest::Format::kAuto, {}});
    return;
  }
  if (!node.IsMap()) {
    in_.error(in_.at(node), "a file source is a path or a mapping, e.g. {path: /var/log/auth.log}");
    return;
  }
  FileSourceConfig file;
  auto fields = in_.fields(node, kFileKeys, "a file source");
  if (auto it = fields.find("path"); it != fields.end()) {
    file.path = in_.string("path", it->second, "/var/log/auth.log").value_or("");
    if (!file.path.empty() && file.path.front() != '/') {
      in_.error(in_.at(it->second), "'" + file.path +
                                        "' must be an absolute path: a service has no working "
                                        "directory of its own");
    }
  } else {
    in_.error(in_.at(node), "a file source needs a 'path'");
  }
  if (auto it = fields.find("format"); it != fields.end()) {
    const std::string name = in_.string("format", it->second, "auto").value_or("");
    if (auto format = ingest::parse_format_name(name)) {
      file.format = *format;
    } else {
      in_.error(in_.at(it->second), "unknown format '" + name + "'; use auto, syslog, app or json");
    }
  }
  if (auto it = fields.find("json_fields"); it != fields.end()) {
    read_json_fields(it->second, file.json_fields);
  }
  config_.files.push_back(std::move(file));
}

void ConfigReader::read_json_fields(const Field& field, ingest::JsonFieldMap& map) {
  if (!field.value.IsMap()) {
    in_.error(in_.at(field), "'json_fields' must be a mapping, e.g. {time: [ts], message: [msg]}");
    return;
  }
  auto fields = in_.fields(field.value, kJsonKeys, "json_fields");
  const std::array<std::pair<std::string_view, std::vector<std::string>*>, 8> targets = {{
      {"time", &map.time},
      {"level", &map.level},
      {"message", &map.message},
      {"host", &map.host},
      {"program", &map.program},
      {"unit", &map.unit},
      {"pid", &map.pid},
      {"duration", &map.duration},
  }};
  for (const auto& [name, target] : targets) {
    if (auto it = fields.find(std::string(name)); it != fields.end()) {
      *target = strings(name, it->second, "[ts, /fields/time]");
    }
  }
}

void ConfigReader::read_follow(const Field& field) {
  if (!field.value.IsMap()) {
    in_.error(in_.at(field), "'follow' must be a mapping, e.g. {start_at: end}");
    return;
  }
  auto fields = in_.fields(field.value, kFollowKeys, "follow");
  if (auto it = fields.find("start_at"); it != fields.end()) {
    const std::string where = in_.string("start_at", it->second, "end").value_or("");
    if (where != "end" && where != "start") {
      in_.error(in_.at(it->second), "'start_at' is 'end' or 'start'; got '" + where + "'");
    }
    config_.start_at_end = where != "start";
  }
  if (auto it = fields.find("idle_flush"); it != fields.end()) {
    const std::string text = in_.string("idle_flush", it->second, "5s").value_or("");
    const std::optional<int64_t> us = parse_duration_us(text);
    if (!us || *us <= 0) {
      in_.error(in_.at(it->second), "'idle_flush' must be a duration, e.g. 5s; got '" + text + "'");
    }
    config_.idle_flush_us = us.value_or(config_.idle_flush_us);
  }
}

}  // namespace

std::optional<int64_t> parse_duration_us(const std::string& text) {
  size_t digits = 0;
  while (digits < text.size() && std::isdigit(static_cast<unsigned char>(text[digits])) != 0) {
    ++digits;
  }
  if (digits == 0 || digits > 12) return std::nullopt;
  const int64_t n = std::stoll(text.substr(0, digits));
  const std::string_view unit = std::string_view(text).substr(digits);
  constexpr int64_t kSecond = 1'000'000;
  if (unit == "ms") return n * 1000;
  if (unit == "s") return n * kSecond;
  if (unit == "m" || unit == "min") return n * 60 * kSecond;
  if (unit == "h") return n * 3600 * kSecond;
  if (unit == "d") return n * 86400 * kSecond;
  return std::nullopt;
}

std::optional<uint64_t> parse_size(const std::string& text) {
  size_t digits = 0;
  while (digits < text.size() && std::isdigit(static_cast<unsigned char>(text[digits])) != 0) {
    ++digits;
  }
  if (digits == 0 || digits > 12) return std::nullopt;
  const uint64_t n = std::stoull(text.substr(0, digits));
  const std::string_view unit = std::string_view(text).substr(digits);
  if (unit.empty()) return n;
  if (unit.size() != 1) return std::nullopt;
  const size_t shift = std::string_view("KMGT").find(unit[0]);
  if (shift == std::string_view::npos) return std::nullopt;
  const size_t bits = 10 * (shift + 1);
  if (n > (UINT64_MAX >> bits)) return std::nullopt;
  return n << bits;
}

RunConfig load_run_config(const std::string& path, std::vector<Diagnostic>& errors) {
  RunConfig config = load_config_file(path, errors);
  if (!config.file.empty()) validate_run_config(config, errors);  // empty: unreadable
  return config;
}

RunConfig load_config_file(const std::string& path, std::vector<Diagnostic>& errors,
                           bool never_acts) {
  std::ifstream in(path);
  if (!in) {
    errors.push_back(Diagnostic{path, 0, 0, "cannot read the config file"});
    return {};
  }
  std::stringstream text;
  text << in.rdbuf();
  RunConfig config;
  try {
    config = ConfigReader(path, errors, never_acts).read(YAML::Load(text.str()));
  } catch (const YAML::Exception& e) {
    const int line = e.mark.is_null() ? 0 : e.mark.line + 1;
    const int col = e.mark.is_null() ? 0 : e.mark.column + 1;
    errors.push_back(Diagnostic{path, line, col, "YAML syntax error: " + e.msg});
    return {};
  }
  return config;
}

void validate_run_config(const RunConfig& config, std::vector<Diagnostic>& errors) {
  const std::string where = config.file.empty() ? "vigil run" : config.file;
  if (config.database.empty()) {
    errors.push_back(Diagnostic{where, 0, 0, "no database: set 'database' (or --db FILE)"});
  }
  if (!config.journal.enabled && config.files.empty()) {
    errors.push_back(Diagnostic{
        where, 0, 0, "no source: enable 'journal' or list 'files' (or --journal, --follow FILE)"});
  }
}

}  // namespace vigil::app
