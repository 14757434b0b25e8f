#pragma once
// The configured responses: the maintenance guide's procedures as named,
// validated argv templates and built-ins, attached to thresholds.

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/ip.h"
#include "respond/argv_template.h"
#include "respond/evidence.h"
#include "respond/mail.h"

namespace vigil::respond {

enum class ResponseKind {
  kBanIp,        // one command with {ip}; an undo command after ban_time
  kIsolate,      // allow the management addresses, then cut the host off; critical alerts only
  kEvidence,     // built in: copy the log tree with a SHA-256 manifest
  kNotify,       // mail through sendmail -t (or the configured command), message on stdin
  kRestartUnit,  // one command with {unit}, at most max_per_hour per unit
  kCommand,      // any one command (a webhook client, a ticket tool)
};
const char* to_string(ResponseKind kind);  // "ban_ip", …
std::optional<ResponseKind> parse_response_kind(std::string_view name);

// What a template may name: the alert's key captures by their type, and facts
// of the alert. Values are validated by these types before any command runs.
const std::map<std::string, ValueType>& template_value_types();

struct Response {
  std::string name;
  ResponseKind kind = ResponseKind::kCommand;
  std::vector<ArgvTemplate> commands;     // run in order; a failure stops the rest
  std::optional<ArgvTemplate> undo;       // ban_ip: the unban
  int64_t undo_after_us = 0;              // ban_ip: ban time (0: never undone)
  std::optional<ArgvTemplate> allow_in;   // isolate: per management address ({address})
  std::optional<ArgvTemplate> allow_out;  //   before the commands
  int64_t timeout_us = 30'000'000;        // per command
  int64_t cooldown_us = 0;                // per response and key, on alert time
  int max_per_hour = 0;                   // 0: no limit (restart_unit defaults to 3)
  EvidenceOptions evidence;               // kEvidence
  MailOptions mail;                       // kNotify
};

struct RespondConfig {
  // Until the operator turns it off, every action is recorded, none is run.
  bool dry_run = true;
  size_t max_concurrent = 4;
  // Addresses that must stay reachable when the host is isolated; never banned.
  std::vector<std::string> management;
  // Never acted against (the global allowlist; thresholds skip them already).
  std::vector<Cidr> protected_cidrs;
  std::vector<std::string> protected_users;
  std::map<std::string, Response> responses;
  std::map<std::string, std::vector<std::string>> on_threshold;  // threshold id -> responses
};

}  // namespace vigil::respond
