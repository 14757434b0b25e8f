// Plain text for a terminal: aligned columns, bold headings only on a TTY.

#include <algorithm>
#include <string>
#include <variant>

#include "reports/document.h"

namespace vigil::reports {
namespace {

constexpr size_t kBarWidth = 40;

// Columns are measured in code points, so "×" counts as one.
size_t display_width(const std::string& text) {
  return static_cast<size_t>(std::count_if(text.begin(), text.end(), [](char c) {
    return (static_cast<unsigned char>(c) & 0xC0) != 0x80;
  }));
}

std::string pad(const std::string& text, size_t width, bool right) {
  const std::string fill(width - std::min(width, display_width(text)), ' ');
  return right ? fill + text : text + fill;
}

// A row that needs attention starts with "!".
void render_row(std::string& out, const std::vector<std::string>& cells,
                const std::vector<size_t>& widths, const Table& table, bool marked = false) {
  std::string line = marked ? "!" : " ";
  for (size_t i = 0; i < cells.size(); ++i) {
    const bool last = i + 1 == cells.size();
    line +=
        " " + (last && !table.numeric[i] ? cells[i] : pad(cells[i], widths[i], table.numeric[i]));
    if (!last) line += " ";
  }
  while (!line.empty() && line.back() == ' ') line.pop_back();  // an empty last cell
  out += line + "\n";
}

void render_table(std::string& out, const Table& table) {
  std::vector<size_t> widths(table.header.size(), 0);
  for (size_t i = 0; i < widths.size(); ++i) {
    widths[i] = display_width(table.header[i]);
    for (const auto& row : table.rows) widths[i] = std::max(widths[i], display_width(row[i]));
  }
  render_row(out, table.header, widths, table);
  std::vector<std::string> rules;
  rules.reserve(widths.size());
  for (size_t width : widths) rules.emplace_back(std::min<size_t>(width, 40), '-');
  render_row(out, rules, widths, table);
  for (size_t r = 0; r < table.rows.size(); ++r) {
    render_row(out, table.rows[r], widths, table, r < table.marked.size() && table.marked[r]);
  }
}

void render_chart(std::string& out, const Chart& chart) {
  out += "  " + chart.title + ":\n";
  const int64_t top =
      chart.values.empty() ? 0 : *std::max_element(chart.values.begin(), chart.values.end());
  if (top == 0) {
    out += "    (none)\n";
    return;
  }
  for (size_t i = 0; i < chart.values.size(); ++i) {
    if (chart.values[i] == 0) continue;
    const auto bar = static_cast<size_t>(
        std::max<int64_t>(1, chart.values[i] * static_cast<int64_t>(kBarWidth) / top));
    out += "    " + chart.labels[i] + "  " + std::string(bar, '#') + " " + number(chart.values[i]) +
           "\n";
  }
}

}  // namespace

std::string render_text(const Report& report, TextStyle style) {
  const Document doc = layout(report);
  const std::string bold = style.colour ? "\x1b[1m" : "";
  const std::string reset = style.colour ? "\x1b[0m" : "";
  std::string out = bold + doc.title + reset + "\n" + doc.subtitle + "\n";
  for (const Section& section : doc.sections) {
    out +=
        "\n" + bold + section.title + reset + "\n" + std::string(section.title.size(), '=') + "\n";
    for (const Item& item : section.items) {
      if (const auto* text = std::get_if<std::string>(&item)) out += "  " + *text + "\n";
      if (const auto* table = std::get_if<Table>(&item)) render_table(out, *table);
      if (const auto* chart = std::get_if<Chart>(&item); chart && !chart->ranking) {
        render_chart(out, *chart);
      }
    }
  }
  return out;
}

}  // namespace vigil::reports
