#include "app/alerting_config.h"

#include <array>
#include <string_view>

#include "app/run_config.h"
#include "respond/mail.h"
#include "respond/process.h"

namespace vigil::app {
namespace {

using respond::ArgvTemplate;
using respond::Response;
using respond::ResponseKind;
using rules::Field;
using rules::FieldReader;

constexpr std::array<std::string_view, 2> kAllowKeys = {"cidrs", "users"};
constexpr std::array<std::string_view, 3> kThresholdKeys = {"suppress", "allow", "respond"};
constexpr std::array<std::string_view, 4> kRespondKeys = {"dry_run", "max_concurrent", "management",
                                                          "responses"};
constexpr std::array<std::string_view, 17> kResponseKeys = {
    "kind",           "argv",    "commands", "undo_argv",      "ban_time",   "allow_in_argv",
    "allow_out_argv", "timeout", "cooldown", "max_per_hour",   "paths",      "evidence_dir",
    "max_size",       "to",      "from",     "subject_prefix", "description"};

// The guide's procedures as defaults (ufw, sendmail, systemctl); each can be
// replaced in the config, e.g. by nftables or `ip route add blackhole`.
std::vector<std::string> ban_argv() {
  return {"ufw", "insert", "1", "deny", "from", "{ip}"};
}
std::vector<std::string> unban_argv() {
  return {"ufw", "delete", "deny", "from", "{ip}"};
}
std::vector<std::vector<std::string>> isolate_commands() {
  return {{"ufw", "default", "deny", "incoming"},
          {"ufw", "default", "deny", "outgoing"},
          {"ufw", "--force", "enable"}};
}
std::vector<std::string> allow_in_argv() {
  return {"ufw", "insert", "1", "allow", "from", "{address}"};
}
std::vector<std::string> allow_out_argv() {
  return {"ufw", "insert", "1", "allow", "out", "to", "{address}"};
}
std::vector<std::string> mail_argv() {
  return {"sendmail", "-t", "-oi"};
}
std::vector<std::string> restart_argv() {
  return {"systemctl", "restart", "{unit}"};
}

class AlertingReader {
 public:
  AlertingReader(FieldReader& in, const std::string& path_env, bool never_acts, AlertingConfig& out)
      : in_(in), path_env_(path_env), never_acts_(never_acts), out_(out) {}

  void allow(const Field& field, AllowConfig& allow);
  void thresholds(const Field& field);
  void respond(const Field& field);

 private:
  using Fields = std::map<std::string, Field>;
  void response(const std::string& name, const Field& field);
  void kind_defaults(Response& r, const Fields& fields);
  void ban_defaults(Response& r, const Fields& fields);
  void isolate_defaults(Response& r, const Fields& fields);
  void evidence_defaults(Response& r, const Fields& fields);
  void notify_defaults(Response& r, const Fields& fields);
  std::optional<ArgvTemplate> command(const Fields& fields, std::string_view key,
                                      const std::vector<std::string>& fallback);
  void read_max_concurrent(const Field& field);
  void read_management(const Field& field);
  std::optional<ArgvTemplate> argv(const Field& field, std::string_view name);
  std::optional<ArgvTemplate> argv(const std::vector<std::string>& words, const Field& at);
  std::vector<std::string> strings(std::string_view name, const Field& field,
                                   std::string_view hint);
  std::optional<int64_t> duration(std::string_view name, const Field& field, bool zero_ok);
  bool dry_run_ok_without_program() const { return never_acts_ || out_.respond.dry_run; }

  FieldReader& in_;
  const std::string& path_env_;
  bool never_acts_;
  AlertingConfig& out_;
};

std::vector<std::string> AlertingReader::strings(std::string_view name, const Field& field,
                                                 std::string_view hint) {
  std::vector<std::string> out;
  if (auto list = in_.string_list(name, field, hint)) {
    for (rules::LocatedString& s : *list) out.push_back(std::move(s.text));
  }
  return out;
}

std::optional<int64_t> AlertingReader::duration(std::string_view name, const Field& field,
                                                bool zero_ok) {
  const std::string text = in_.string(name, field, "10m").value_or("");
  const std::optional<int64_t> us =
      text == "0" ? std::optional<int64_t>(0) : parse_duration_us(text);
  if (!us || (*us == 0 && !zero_ok)) {
    in_.error(in_.at(field),
              "'" + std::string(name) + "' must be a duration, e.g. 10m; got '" + text + "'");
    return std::nullopt;
  }
  return us;
}

void AlertingReader::allow(const Field& field, AllowConfig& allow) {
  if (!field.value.IsMap()) {
    in_.error(in_.at(field),
              "'allow' must be a mapping, e.g. {cidrs: [10.0.0.0/24], users: [alice]}");
    return;
  }
  auto fields = in_.fields(field.value, kAllowKeys, "allow");
  if (auto it = fields.find("cidrs"); it != fields.end()) {
    if (auto list = in_.string_list("cidrs", it->second, "[10.0.0.0/24, 2001:db8::/32]")) {
      for (const rules::LocatedString& s : *list) {
        if (auto cidr = parse_cidr(s.text)) {
          allow.cidrs.push_back(*cidr);
        } else {
          in_.error(s.where, "'" + s.text + "' is not an address or CIDR block");
        }
      }
    }
  }
  if (auto it = fields.find("users"); it != fields.end()) {
    allow.users = strings("users", it->second, "[alice, deploy]");
  }
}

void AlertingReader::thresholds(const Field& field) {
  if (!field.value.IsMap()) {
    in_.error(in_.at(field),
              "'thresholds' must map threshold ids to settings, e.g. "
              "{ssh.bruteforce: {respond: [ban]}}");
    return;
  }
  for (const auto& entry : field.value) {
    const auto id = entry.first.as<std::string>("");
    ThresholdSettings settings;
    settings.where = in_.at(entry.first);
    if (!entry.second.IsMap()) {
      in_.error(in_.at(entry.second), "settings of '" + id + "' must be a mapping");
      continue;
    }
    auto fields = in_.fields(entry.second, kThresholdKeys, "a threshold's settings");
    if (auto it = fields.find("suppress"); it != fields.end()) {
      settings.suppress_us = duration("suppress", it->second, true);
    }
    if (auto it = fields.find("allow"); it != fields.end()) allow(it->second, settings.allow);
    if (auto it = fields.find("respond"); it != fields.end()) {
      settings.respond = strings("respond", it->second, "[ban, mail]");
      out_.respond.on_threshold[id] = settings.respond;
    }
    out_.thresholds[id] = std::move(settings);
  }
}

void AlertingReader::read_max_concurrent(const Field& field) {
  const std::string text = in_.string("max_concurrent", field, "4").value_or("");
  if (text.empty() || text.size() > 2 ||
      text.find_first_not_of("0123456789") != std::string::npos || std::stoi(text) < 1) {
    in_.error(in_.at(field), "'max_concurrent' must be a number from 1 to 99");
  } else {
    out_.respond.max_concurrent = static_cast<size_t>(std::stoi(text));
  }
}

void AlertingReader::read_management(const Field& field) {
  if (auto list = in_.string_list("management", field, "[10.0.0.0/24]")) {
    for (const rules::LocatedString& s : *list) {
      if (!parse_cidr(s.text))
        in_.error(s.where, "'" + s.text + "' is not an address or CIDR block");
      out_.respond.management.push_back(s.text);
    }
  }
}

void AlertingReader::respond(const Field& field) {
  if (!field.value.IsMap()) {
    in_.error(in_.at(field), "'respond' must be a mapping, e.g. {dry_run: true, responses: {…}}");
    return;
  }
  auto fields = in_.fields(field.value, kRespondKeys, "respond");
  if (auto it = fields.find("dry_run"); it != fields.end()) {
    const std::string text = in_.string("dry_run", it->second, "true").value_or("true");
    if (text != "true" && text != "false") {
      in_.error(in_.at(it->second), "'dry_run' must be true or false; got '" + text + "'");
    }
    out_.respond.dry_run = text != "false";
  }
  if (auto it = fields.find("max_concurrent"); it != fields.end()) read_max_concurrent(it->second);
  if (auto it = fields.find("management"); it != fields.end()) read_management(it->second);
  if (auto it = fields.find("responses"); it != fields.end()) {
    if (!it->second.value.IsMap()) {
      in_.error(in_.at(it->second),
                "'responses' must map names to responses, e.g. {ban: {kind: ban_ip}}");
    } else {
      for (const auto& entry : it->second.value) {
        response(entry.first.as<std::string>(""), Field{entry.first, entry.second});
      }
    }
  }
}

// A program name is resolved now, once: the audit row shows the file run. In a
// dry run a missing program is kept as written (a demo host has no ufw).
std::optional<ArgvTemplate> AlertingReader::argv(const std::vector<std::string>& words,
                                                 const Field& at) {
  std::string why;
  auto parsed = ArgvTemplate::parse(words, respond::template_value_types(), why);
  if (!parsed) {
    in_.error(in_.at(at), "bad command: " + why);
    return std::nullopt;
  }
  std::vector<std::string> resolved = words;
  if (auto program = respond::resolve_program(words.front(), path_env_, why)) {
    resolved.front() = *program;
  } else if (!dry_run_ok_without_program()) {
    in_.error(in_.at(at), "cannot run '" + words.front() + "': " + why);
    return std::nullopt;
  }
  return ArgvTemplate::parse(resolved, respond::template_value_types(), why);
}

std::optional<ArgvTemplate> AlertingReader::argv(const Field& field, std::string_view name) {
  const std::vector<std::string> words =
      strings(name, field, "[ufw, insert, '1', deny, from, '{ip}']");
  if (words.empty()) {
    in_.error(in_.at(field), "'" + std::string(name) + "' needs at least the program");
    return std::nullopt;
  }
  return argv(words, field);
}

void AlertingReader::response(const std::string& name, const Field& field) {
  if (!field.value.IsMap()) {
    in_.error(in_.at(field), "response '" + name + "' must be a mapping, e.g. {kind: ban_ip}");
    return;
  }
  auto fields = in_.fields(field.value, kResponseKeys, "a response");
  Response r;
  r.name = name;
  const auto kind = fields.find("kind");
  if (kind == fields.end()) {
    in_.error(in_.at(field.key), "response '" + name +
                                     "' needs a 'kind': ban_ip, isolate, "
                                     "evidence, notify, restart_unit or command");
    return;
  }
  const std::string kind_name = in_.string("kind", kind->second, "ban_ip").value_or("");
  const auto parsed = respond::parse_response_kind(kind_name);
  if (!parsed) {
    in_.error(in_.at(kind->second), "unknown kind '" + kind_name +
                                        "'; use ban_ip, isolate, "
                                        "evidence, notify, restart_unit or command");
    return;
  }
  r.kind = *parsed;
  kind_defaults(r, fields);
  if (auto it = fields.find("timeout"); it != fields.end()) {
    r.timeout_us = duration("timeout", it->second, false).value_or(r.timeout_us);
  }
  if (auto it = fields.find("cooldown"); it != fields.end()) {
    r.cooldown_us = duration("cooldown", it->second, true).value_or(r.cooldown_us);
  }
  if (auto it = fields.find("max_per_hour"); it != fields.end()) {
    const std::string text = in_.string("max_per_hour", it->second, "3").value_or("");
    if (text.empty() || text.size() > 4 ||
        text.find_first_not_of("0123456789") != std::string::npos) {
      in_.error(in_.at(it->second), "'max_per_hour' must be a number");
    } else {
      r.max_per_hour = std::stoi(text);
    }
  }
  out_.respond.responses[name] = std::move(r);
}

// A command from the config, or the guide's default when the key is absent.
std::optional<ArgvTemplate> AlertingReader::command(const Fields& fields, std::string_view key,
                                                    const std::vector<std::string>& fallback) {
  if (auto it = fields.find(std::string(key)); it != fields.end()) return argv(it->second, key);
  return argv(fallback, fields.at("kind"));
}

void AlertingReader::kind_defaults(Response& r, const Fields& fields) {
  switch (r.kind) {
    case ResponseKind::kBanIp:
      ban_defaults(r, fields);
      break;
    case ResponseKind::kIsolate:
      isolate_defaults(r, fields);
      break;
    case ResponseKind::kEvidence:
      evidence_defaults(r, fields);
      break;
    case ResponseKind::kNotify:
      notify_defaults(r, fields);
      break;
    case ResponseKind::kRestartUnit:
      if (auto a = command(fields, "argv", restart_argv())) r.commands.push_back(*a);
      r.max_per_hour = 3;
      break;
    case ResponseKind::kCommand:
      if (!fields.contains("argv")) {
        in_.error(in_.at(fields.at("kind")), "a command response needs 'argv'");
      } else if (auto a = command(fields, "argv", {})) {
        r.commands.push_back(*a);
      }
      break;
  }
}

void AlertingReader::ban_defaults(Response& r, const Fields& fields) {
  if (auto a = command(fields, "argv", ban_argv())) r.commands.push_back(*a);
  r.undo = command(fields, "undo_argv", unban_argv());
  r.undo_after_us = int64_t{3600} * 1'000'000;
  if (auto it = fields.find("ban_time"); it != fields.end()) {
    r.undo_after_us = duration("ban_time", it->second, true).value_or(r.undo_after_us);
  }
  if (r.undo_after_us == 0) r.undo.reset();  // "ban_time: 0": a ban that stays
  r.cooldown_us = r.undo_after_us;           // no second ban while the first holds
}

void AlertingReader::isolate_defaults(Response& r, const Fields& fields) {
  if (auto it = fields.find("commands"); it != fields.end() && it->second.value.IsSequence()) {
    const YAML::Node& list = it->second.value;
    // By index: a range-for would slice yaml-cpp's iterator_value into a Node.
    for (size_t i = 0; i < list.size(); ++i) {  // NOLINT(modernize-loop-convert)
      if (auto a = argv(Field{it->second.key, list[i]}, "commands")) r.commands.push_back(*a);
    }
  } else {
    for (const auto& words : isolate_commands()) {
      if (auto a = argv(words, fields.at("kind"))) r.commands.push_back(*a);
    }
  }
  r.allow_in = command(fields, "allow_in_argv", allow_in_argv());
  r.allow_out = command(fields, "allow_out_argv", allow_out_argv());
  r.cooldown_us = int64_t{24} * 3600 * 1'000'000;
}

void AlertingReader::evidence_defaults(Response& r, const Fields& fields) {
  const Field& at = fields.at("kind");
  r.evidence.evidence_dir = "/var/lib/vigil/evidence";
  if (auto it = fields.find("paths"); it != fields.end()) {
    r.evidence.paths = strings("paths", it->second, "[/var/log]");
  }
  if (auto it = fields.find("evidence_dir"); it != fields.end()) {
    r.evidence.evidence_dir =
        in_.string("evidence_dir", it->second, "/var/lib/vigil/evidence").value_or("");
  }
  for (const std::string& path : r.evidence.paths) {
    if (path.empty() || path.front() != '/') {
      in_.error(in_.at(at), "evidence path '" + path + "' must be absolute");
    }
  }
  if (r.evidence.evidence_dir.empty() || r.evidence.evidence_dir.front() != '/') {
    in_.error(in_.at(at), "'evidence_dir' must be an absolute path");
  }
  if (auto it = fields.find("max_size"); it != fields.end()) {
    const std::string text = in_.string("max_size", it->second, "1G").value_or("");
    const std::optional<uint64_t> bytes = parse_size(text);
    if (!bytes) in_.error(in_.at(it->second), "'max_size' must be a size, e.g. 512M or 2G");
    r.evidence.max_bytes = bytes.value_or(r.evidence.max_bytes);
  }
}

void AlertingReader::notify_defaults(Response& r, const Fields& fields) {
  const Field& at = fields.at("kind");
  if (auto a = command(fields, "argv", mail_argv())) r.commands.push_back(*a);
  if (auto it = fields.find("to"); it != fields.end()) {
    r.mail.to = strings("to", it->second, "[security@example.org]");
  }
  r.mail.from = "vigil@localhost";
  if (auto it = fields.find("from"); it != fields.end()) {
    r.mail.from = in_.string("from", it->second, "vigil@host.example.org").value_or("");
  }
  if (auto it = fields.find("subject_prefix"); it != fields.end()) {
    r.mail.subject_prefix = in_.string("subject_prefix", it->second, "[vigil]").value_or("");
  }
  if (r.mail.to.empty()) in_.error(in_.at(at), "a notify response needs 'to' addresses");
  std::vector<std::string> addresses = r.mail.to;
  addresses.push_back(r.mail.from);
  for (const std::string& address : addresses) {
    if (!respond::valid_mail_address(address)) {
      in_.error(in_.at(at), "'" + address + "' is not a mail address vigil accepts");
    }
  }
}

}  // namespace

void read_alerting_config(FieldReader& in, const std::map<std::string, Field>& top,
                          const std::string& path_env, bool never_acts, AlertingConfig& out) {
  AlertingReader reader(in, path_env, never_acts, out);
  if (auto it = top.find("allow"); it != top.end()) reader.allow(it->second, out.allow);
  if (auto it = top.find("respond"); it != top.end()) reader.respond(it->second);
  if (auto it = top.find("thresholds"); it != top.end()) reader.thresholds(it->second);
  out.respond.protected_cidrs = out.allow.cidrs;
  out.respond.protected_users = out.allow.users;
  for (const auto& [threshold, names] : out.respond.on_threshold) {
    for (const std::string& name : names) {
      if (!out.respond.responses.contains(name)) {
        in.error(out.thresholds.at(threshold).where,
                 "threshold '" + threshold + "' names response '" + name +
                     "', which 'respond: responses:' does not define");
      }
    }
  }
}

void check_alerting_config(const AlertingConfig& config, const rules::RuleSet& rules,
                           const std::string& file, std::vector<Diagnostic>& errors) {
  for (const auto& [id, settings] : config.thresholds) {
    bool known = false;
    for (const rules::Threshold& t : rules.thresholds) known = known || t.id == id;
    if (!known) {
      errors.push_back(Diagnostic{file, settings.where.line, settings.where.col,
                                  "unknown threshold '" + id + "' (not in the loaded packs)"});
    }
  }
}

}  // namespace vigil::app
