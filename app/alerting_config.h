#pragma once
// The config's alerting sections: the global allowlist, per-threshold settings
// (suppression, allowlist, responses) and the responses themselves. Shared by
// `vigil run` (which acts) and `vigil scan --config` (which only records).

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/error.h"
#include "core/ip.h"
#include "respond/responses.h"
#include "rules/ruleset.h"
#include "rules/yaml_fields.h"

namespace vigil::app {

struct AllowConfig {
  std::vector<Cidr> cidrs;
  std::vector<std::string> users;
};

struct ThresholdSettings {
  std::optional<int64_t> suppress_us;
  AllowConfig allow;
  std::vector<std::string> respond;  // response names
  rules::Location where;
};

struct AlertingConfig {
  AllowConfig allow;
  std::map<std::string, ThresholdSettings> thresholds;  // by threshold id
  respond::RespondConfig respond;
};

// Reads the `allow`, `thresholds` and `respond` entries of the config's top
// mapping (absent ones keep their defaults: dry run, no response attached).
// `path_env` resolves command names, as PATH would, once, here; a program not
// found is an error unless nothing will run (`dry_run`, or `never_acts`: a scan).
void read_alerting_config(rules::FieldReader& in, const std::map<std::string, rules::Field>& top,
                          const std::string& path_env, bool never_acts, AlertingConfig& out);

// Checks names against the loaded packs: every threshold the config mentions
// must exist. Adds file:line:col errors.
void check_alerting_config(const AlertingConfig& config, const rules::RuleSet& rules,
                           const std::string& file, std::vector<Diagnostic>& errors);

}  // namespace vigil::app
