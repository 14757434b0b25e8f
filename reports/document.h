#pragma once
// The report laid out as sections of paragraphs, tables and charts (private to
// reports/): text, Markdown and HTML render this one layout, so they cannot
// drift apart. JSON is written from the Report itself.

#include <cstdint>
#include <string>
#include <variant>
#include <vector>

#include "reports/report.h"

namespace vigil::reports {

struct Table {
  std::vector<std::string> header;
  std::vector<bool> numeric;  // right-aligned columns
  std::vector<std::vector<std::string>> rows;
  std::vector<bool> marked;  // rows that need attention (none when empty)
};
struct Chart {
  std::string title;
  std::vector<std::string> labels;
  std::vector<int64_t> values;
  bool ranking = false;  // horizontal bars of a table's rows (HTML only: the table has the figures)
};
using Item = std::variant<std::string, Table, Chart>;  // a string is a paragraph

struct Section {
  std::string title;
  std::vector<Item> items;
};

struct Document {
  std::string title;     // "vigil security report: 2026-11-28"
  std::string subtitle;  // range, zone, generation time
  std::vector<Section> sections;
};

// All text is display-safe (reports/display_text.h) once layout returns.
Document layout(const Report& report);

// Alerts and actions (reports/alerts_section.cpp): the section, and the line the
// summary gives them.
Section alerts_section(const Report& report);
std::string alerts_summary(const Report& report);

// Ingest health (reports/ingest_section.cpp).
Section ingest_section(const Report& report);

std::string number(int64_t value);      // "12,345"
std::string decimal(double value);      // "4.3", "12"
std::string milliseconds(double ms);    // "812 ms", "2.5 s"
std::string duration_text(int64_t us);  // "45 min", "2 h 5 min", "3 d 4 h"

}  // namespace vigil::reports
