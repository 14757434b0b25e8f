#pragma once
// A tiny JSON writer for render_json (private to reports/): commas are placed by
// the order of the caller's key() and value() calls.

#include <algorithm>
#include <array>
#include <cstdint>
#include <cstdio>
#include <string>

#include "core/text.h"
#include "core/time.h"
#include "reports/report.h"

namespace vigil::reports {

class Json {
 public:
  Json& open(char bracket) {
    comma();
    out_ += bracket;
    first_ = true;
    return *this;
  }
  Json& close(char bracket) {
    out_ += bracket;
    first_ = false;
    return *this;
  }
  Json& key(const char* name) {
    comma();
    append_json_string(out_, name);
    out_ += ':';
    first_ = true;  // the value follows without a comma
    return *this;
  }
  Json& value(const std::string& text) {
    comma();
    append_json_string(out_, text);
    return *this;
  }
  Json& value(int64_t number) {
    comma();
    out_ += std::to_string(number);
    return *this;
  }
  Json& value(double number) {
    comma();
    std::array<char, 32> buffer{};
    const int n = std::snprintf(buffer.data(), buffer.size(), "%.3f", number);
    if (n > 0) out_.append(buffer.data(), std::min(static_cast<size_t>(n), buffer.size() - 1));
    return *this;
  }
  Json& flag(bool on) {
    comma();
    out_ += on ? "true" : "false";
    return *this;
  }
  Json& null() {
    comma();
    out_ += "null";
    return *this;
  }
  Json& time(const char* name, int64_t us) {
    key((std::string(name) + "_us").c_str()).value(us);
    return key(name).value(format_iso8601_utc(us));
  }
  std::string take() { return std::move(out_); }

 private:
  void comma() {
    if (!first_) out_ += ',';
    first_ = false;
  }
  std::string out_;
  bool first_ = true;
};

// The "ingest" object (reports/render_json_ingest.cpp).
void write_ingest(Json& j, const Report& r);

}  // namespace vigil::reports
