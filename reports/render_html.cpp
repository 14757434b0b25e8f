// One self-contained HTML file: inline CSS and inline SVG charts, no script and
// no network access; readable on a phone (viewport, scrolling tables), printable.

#include <algorithm>
#include <string>
#include <variant>

#include "reports/document.h"

namespace vigil::reports {
namespace {

constexpr const char* kStyle = R"css(
body{font:15px/1.45 system-ui,-apple-system,"Segoe UI",sans-serif;margin:0 auto;max-width:960px;padding:12px;color:#1d2329;background:#fff}
h1{font-size:1.4em;margin:.2em 0}h2{font-size:1.15em;margin:1.4em 0 .4em;border-bottom:2px solid #d8dee4;padding-bottom:.2em}
.sub{color:#57606a}.wrap{overflow-x:auto}h3{font-size:1em;margin:1em 0 .2em}
table{border-collapse:collapse;margin:.5em 0;font-size:.92em}
th,td{padding:3px 8px;border-bottom:1px solid #e3e7eb;text-align:left;vertical-align:top}
th{background:#f3f5f7}td{white-space:nowrap}td.n,th.n{text-align:right;font-variant-numeric:tabular-nums}
svg{max-width:100%;height:auto;display:block;margin:.4em 0}
tr.mark td{background:#fdecea}.bar{fill:#cf4f3f}.rank{fill:#3f6fcf}.axis{font-size:13px;fill:#57606a}.hours .axis{font-size:18px}
@media print{body{max-width:none;font-size:11pt}h2{break-after:avoid}table,svg{break-inside:avoid}}
)css";

std::string escape(const std::string& text) {
  std::string out;
  for (char c : text) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&#39;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

void render_table(std::string& out, const Table& table) {
  out += "<div class=\"wrap\"><table><thead><tr>";
  for (size_t i = 0; i < table.header.size(); ++i) {
    out += (table.numeric[i] ? "<th class=\"n\">" : "<th>") + escape(table.header[i]) + "</th>";
  }
  out += "</tr></thead><tbody>\n";
  for (size_t r = 0; r < table.rows.size(); ++r) {
    const auto& row = table.rows[r];
    out += r < table.marked.size() && table.marked[r] ? "<tr class=\"mark\">" : "<tr>";
    for (size_t i = 0; i < row.size(); ++i) {
      out += (table.numeric[i] ? "<td class=\"n\">" : "<td>") + escape(row[i]) + "</td>";
    }
    out += "</tr>\n";
  }
  out += "</tbody></table></div>\n";
}

int64_t max_value(const Chart& chart) {
  return chart.values.empty() ? 0 : *std::max_element(chart.values.begin(), chart.values.end());
}

// One bar per hour, labels every third hour, the maximum on the axis.
void render_hours(std::string& out, const Chart& chart) {
  const int64_t top = std::max<int64_t>(1, max_value(chart));
  const size_t n = chart.values.size();
  const int width = static_cast<int>(n) * 24 + 40;
  out += R"(<svg class="hours" role="img" viewBox="0 0 )" + std::to_string(width) +
         " 150\" width=\"" + std::to_string(width) + R"(" height="150"><title>)" +
         escape(chart.title) + "</title>";
  out += R"(<text class="axis" x="0" y="16">)" + number(max_value(chart)) + "</text>";
  for (size_t i = 0; i < n; ++i) {
    const int64_t h = chart.values[i] * 110 / top;
    const std::string x = std::to_string(40 + static_cast<int>(i) * 24);
    out += R"(<rect class="bar" x=")" + x + "\" y=\"" + std::to_string(125 - h) +
           R"(" width="20" height=")" + std::to_string(h) + "\"><title>" + escape(chart.labels[i]) +
           ": " + number(chart.values[i]) + "</title></rect>";
    if (i % 3 == 0) {
      out +=
          R"(<text class="axis" x=")" + x + R"(" y="146">)" + escape(chart.labels[i]) + "</text>";
    }
  }
  out += R"(<line x1="38" y1="125" x2=")" + std::to_string(width) +
         "\" y2=\"125\" stroke=\"#8c959f\"/></svg>\n";
}

// Horizontal bars, one per row (top IPs).
void render_ranking(std::string& out, const Chart& chart) {
  const int64_t top = std::max<int64_t>(1, max_value(chart));
  const int height = static_cast<int>(chart.values.size()) * 22 + 4;
  out += R"(<svg role="img" viewBox="0 0 440 )" + std::to_string(height) +
         R"(" width="440" height=")" + std::to_string(height) + "\"><title>" + escape(chart.title) +
         "</title>";
  for (size_t i = 0; i < chart.values.size(); ++i) {
    const std::string y = std::to_string(static_cast<int>(i) * 22 + 2);
    const int64_t w = std::max<int64_t>(1, chart.values[i] * 170 / top);
    out += R"(<text class="axis" x="0" y=")" + std::to_string(static_cast<int>(i) * 22 + 16) +
           "\">" + escape(chart.labels[i]) + R"(</text><rect class="rank" x="190" y=")" + y +
           "\" width=\"" + std::to_string(w) + R"(" height="18"/><text class="axis" x=")" +
           std::to_string(196 + w) + "\" y=\"" + std::to_string(static_cast<int>(i) * 22 + 16) +
           "\">" + number(chart.values[i]) + "</text>";
  }
  out += "</svg>\n";
}

void render_chart(std::string& out, const Chart& chart) {
  out += "<h3>" + escape(chart.title) + "</h3>\n";
  if (max_value(chart) == 0) {
    out += "<p>None.</p>\n";
  } else if (chart.ranking) {
    render_ranking(out, chart);
  } else {
    render_hours(out, chart);
  }
}

}  // namespace

std::string render_html(const Report& report) {
  const Document doc = layout(report);
  std::string out =
      "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n"
      "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>" +
      escape(doc.title) + "</title>\n<style>" + kStyle + "</style></head>\n<body>\n<h1>" +
      escape(doc.title) + "</h1>\n<p class=\"sub\">" + escape(doc.subtitle) + "</p>\n";
  for (const Section& section : doc.sections) {
    out += "<section><h2>" + escape(section.title) + "</h2>\n";
    for (const Item& item : section.items) {
      if (const auto* text = std::get_if<std::string>(&item))
        out += "<p>" + escape(*text) + "</p>\n";
      if (const auto* table = std::get_if<Table>(&item)) render_table(out, *table);
      if (const auto* chart = std::get_if<Chart>(&item)) render_chart(out, *chart);
    }
    out += "</section>\n";
  }
  return out + "</body></html>\n";
}

}  // namespace vigil::reports
