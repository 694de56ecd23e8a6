// A report as data, in both languages: sections of prose, key figures, charts and tables. The
// builders (plan_report.h, period_report.h, audit_report.h) fill it from rows they are handed; the
// renderers (render.h) turn it into HTML with SVG charts, CSV, XLSX or JSON. Nothing here reads a
// database, a clock or a file: the same Report renders to the same bytes.
//
// Every user-visible string is a Text {zh, en}; a renderer picks one language (Chinese by default) and
// falls back to zh when en is empty. Cell and category strings that are data (names, codes, dates) are
// plain strings, shown as they are in either language.
#pragma once
#include <cstdio>
#include <optional>
#include <string>
#include <vector>

namespace suiji::reports {

enum class Lang { kZh, kEn };

struct Text {
  std::string zh, en;
  const std::string& In(Lang lang) const { return lang == Lang::kEn && !en.empty() ? en : zh; }
  bool empty() const { return zh.empty() && en.empty(); }
};

// A table cell: its text as shown, and its value where it is a number (XLSX writes a number cell,
// JSON a number). A percentage's number is the fraction (0.072 for "7.2%").
struct Cell {
  std::string text;
  std::optional<double> number;
  Cell() = default;
  Cell(std::string t) : text(std::move(t)) {}                            // NOLINT: text cells read naturally
  Cell(const char* t) : text(t) {}                                       // NOLINT
  static Cell Int(long long v) { return Cell{std::to_string(v), static_cast<double>(v)}; }
  static Cell Num(double v, std::string shown) { return Cell{std::move(shown), v}; }
  static Cell Percent(double fraction, int decimals = 1) {                // "7.2%", number = fraction
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.*f%%", decimals, fraction * 100.0);
    return Cell{buf, fraction};
  }
 private:
  Cell(std::string t, double v) : text(std::move(t)), number(v) {}
};

enum class ColumnKind { kText, kInteger, kDecimal, kPercent, kDate };

struct Column {
  Text label;
  ColumnKind kind = ColumnKind::kText;
};

struct Table {
  std::string id;  // [a-z0-9_]+, unique in the report: the CSV block, XLSX sheet and JSON key
  Text title;
  std::vector<Column> columns;
  std::vector<std::vector<Cell>> rows;  // each row has columns.size() cells
  Text note;                            // under the table, may be empty
};

// A chart suiji draws itself as inline SVG (no scripts). kBar: one bar per category for each series
// (grouped); kStacked: the series stacked per category (e.g. on time / late); kLine: one line per
// series over the categories (months); kInterval: a point per category (series[0]) with its 95%
// interval [low[i], high[i]] (the estimates).
enum class ChartKind { kBar, kStacked, kLine, kInterval };

struct Series {
  Text label;
  std::vector<double> values;  // one per category
};

struct Chart {
  std::string id;  // [a-z0-9_]+, unique in the report
  ChartKind kind = ChartKind::kBar;
  Text title;
  std::vector<std::string> categories;  // x axis (bars: one per row), data strings
  std::vector<Series> series;
  std::vector<double> low, high;  // kInterval only: one per category
  bool percent = false;           // values are fractions shown as percentages
  Text note;                      // a sentence under the chart, e.g. what the bars count
};

// A key figure in the summary band: "抽取对象 212".
struct Figure {
  Text label;
  std::string value;
  Text note;  // may be empty
};

struct Section {
  std::string id;  // [a-z0-9_]+
  Text title;
  std::vector<Text> paragraphs;  // plain sentences, no markup
  std::vector<Figure> figures;
  std::vector<Chart> charts;
  std::vector<Table> tables;
};

struct Report {
  std::string kind;      // "plan" | "period" | "audit"
  std::string audience;  // "public" (pseudonyms, no credit classes) | "regulator"
  Text title;
  Text subtitle;
  std::vector<std::pair<Text, std::string>> meta;  // label, value: plan id, period, generated at, digests
  std::vector<Section> sections;
};

}  // namespace suiji::reports
