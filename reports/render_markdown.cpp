// Markdown for a mail or a ticket. Log-derived text is escaped, so a user name
// like "*admin*" or a "|" in a command cannot change the layout.

#include <string>
#include <variant>

#include "reports/document.h"

namespace vigil::reports {
namespace {

std::string escape(const std::string& text) {
  std::string out;
  for (char c : text) {
    if (c == '\n' || c == '\r') {
      out += ' ';
      continue;
    }
    if (std::string_view("\\`*_[]<>|#~&").find(c) != std::string_view::npos) out += '\\';
    out += c;
  }
  return out;
}

// A row that needs attention is in bold.
void render_row(std::string& out, const std::vector<std::string>& cells, bool marked = false) {
  out += "|";
  for (const std::string& cell : cells) {
    out += marked && !cell.empty() ? " **" + escape(cell) + "** |" : " " + escape(cell) + " |";
  }
  out += "\n";
}

void render_table(std::string& out, const Table& table) {
  out += "\n";
  render_row(out, table.header);
  out += "|";
  for (bool numeric : table.numeric) out += numeric ? " ---: |" : " --- |";
  out += "\n";
  for (size_t r = 0; r < table.rows.size(); ++r) {
    render_row(out, table.rows[r], r < table.marked.size() && table.marked[r]);
  }
}

// Only the hours with a count: a day of zeros would bury the ones that matter.
void render_chart(std::string& out, const Chart& chart) {
  Table table{{"hour", chart.title}, {false, true}, {}, {}};
  for (size_t i = 0; i < chart.values.size(); ++i) {
    if (chart.values[i] != 0) table.rows.push_back({chart.labels[i], number(chart.values[i])});
  }
  if (table.rows.empty()) {
    out += "\n" + escape(chart.title) + ": none.\n";
    return;
  }
  render_table(out, table);
}

}  // namespace

std::string render_markdown(const Report& report) {
  const Document doc = layout(report);
  std::string out = "# " + escape(doc.title) + "\n\n" + escape(doc.subtitle) + "\n";
  for (const Section& section : doc.sections) {
    out += "\n## " + escape(section.title) + "\n";
    for (const Item& item : section.items) {
      if (const auto* text = std::get_if<std::string>(&item)) out += "\n" + escape(*text) + "\n";
      if (const auto* table = std::get_if<Table>(&item)) render_table(out, *table);
      if (const auto* chart = std::get_if<Chart>(&item); chart && !chart->ranking) {
        render_chart(out, *chart);
      }
    }
  }
  return out;
}

}  // namespace vigil::reports
