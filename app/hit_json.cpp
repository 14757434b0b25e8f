#include "app/hit_json.h"

#include "core/text.h"
#include "core/time.h"

namespace vigil::app {
namespace {

void key(std::string& out, std::string_view name) {
  out += ",\"";
  out += name;
  out += "\":";
}

void string_field(std::string& out, std::string_view name, std::string_view value) {
  key(out, name);
  append_json_string(out, value);
}

}  // namespace

void append_hit_json(std::string& out, const store::HitView& hit, std::string_view source) {
  out += R"({"type":"hit")";
  string_field(out, "source", source);
  key(out, "line");
  out += std::to_string(hit.line);
  key(out, "offset");
  out += std::to_string(hit.offset);
  string_field(out, "ts", format_iso8601_utc(hit.ts_us));
  string_field(out, "host", hit.host);
  string_field(out, "program", hit.program);
  key(out, "pid");
  out += hit.pid >= 0 ? std::to_string(hit.pid) : "null";
  if (!hit.unit.empty()) string_field(out, "unit", hit.unit);
  string_field(out, "rule", hit.rule);
  string_field(out, "severity", hit.severity);
  key(out, "captures");
  out += hit.captures_json;  // built by the pipeline as a JSON object
  string_field(out, "message", hit.message);
  out += "}\n";
}

}  // namespace vigil::app
