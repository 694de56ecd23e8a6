// RenderCsv: the report's data in blocks, for Excel and for scripts (see render.h).
#include "reports/render.h"
#include "reports/render_util.h"

namespace suiji::reports {

using detail::Say;

namespace {

// One RFC 4180 field: quoted when it holds a comma, a quote, CR or LF (quotes doubled).
std::string Field(std::string_view s) {
  if (s.find_first_of(",\"\r\n") == std::string_view::npos) return std::string(s);
  std::string out = "\"";
  for (char c : s) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}

// A text a spreadsheet would take for a formula gets a leading apostrophe; a lone "-" (a dash for
// "none") and signed numbers ("-3", "+2.5%") stay as they are.
std::string Guard(const std::string& s) {
  if (s.empty()) return s;
  const char c = s[0];
  const bool sign = c == '-' || c == '+';
  if (sign && (s.size() == 1 || (s[1] >= '0' && s[1] <= '9') || s[1] == '.')) return s;
  if (sign || c == '=' || c == '@' || c == '\t' || c == '\r') return "'" + s;
  return s;
}

struct Csv {
  std::string o = "\xEF\xBB\xBF";
  void Row(const std::vector<std::string>& fields) {
    for (std::size_t i = 0; i < fields.size(); ++i) {
      if (i) o += ',';
      o += Field(fields[i]);
    }
    o += "\r\n";
  }
  void End() { o += "\r\n"; }
};

std::string CellField(const Cell& c, ColumnKind kind) {
  if (c.number && (kind == ColumnKind::kInteger || kind == ColumnKind::kDecimal)) return detail::FormatPlain(*c.number);
  if (c.number) return c.text;  // percent (its shown text), or a number in a text/date column
  return Guard(c.text);
}

}  // namespace

std::string RenderCsv(const Report& r, Lang lang) {
  Csv csv;
  csv.Row({"meta", Guard(r.title.In(lang))});
  csv.Row({Say(lang, "项目", "Item"), Say(lang, "内容", "Value")});
  if (!r.subtitle.In(lang).empty()) csv.Row({Say(lang, "副标题", "Subtitle"), Guard(r.subtitle.In(lang))});
  csv.Row({Say(lang, "报告类型", "Kind"), r.kind});
  csv.Row({Say(lang, "读者", "Audience"), r.audience});
  for (const auto& [label, value] : r.meta) csv.Row({Guard(label.In(lang)), Guard(value)});
  csv.Row({Say(lang, "数字格式", "Numbers"),
           Say(lang, "整数与小数列为原始数值（无千位分隔符，小数点为“.”）；百分比列为显示文本（如 7.2%）",
               "integer and decimal columns hold the plain value (no thousands separators, '.' as decimal "
               "point); percent columns hold the shown text (e.g. 7.2%)")});
  csv.End();
  for (const Section& s : r.sections) {
    if (!s.figures.empty()) {
      csv.Row({s.id + ".figures", Guard(s.title.In(lang)) + Say(lang, " · 关键数据", " · key figures")});
      csv.Row({Say(lang, "指标", "Figure"), Say(lang, "数值", "Value"), Say(lang, "说明", "Note")});
      for (const Figure& f : s.figures) csv.Row({Guard(f.label.In(lang)), Guard(f.value), Guard(f.note.In(lang))});
      csv.End();
    }
    for (const Table& t : s.tables) {
      std::vector<std::string> line = {t.id, Guard(t.title.In(lang))};
      if (!t.note.In(lang).empty()) line.push_back(Guard(t.note.In(lang)));
      csv.Row(line);
      std::vector<std::string> fields;
      for (const Column& c : t.columns) fields.push_back(Guard(c.label.In(lang)));
      csv.Row(fields);
      for (const auto& row : t.rows) {
        fields.clear();
        for (std::size_t i = 0; i < t.columns.size(); ++i)
          fields.push_back(CellField(detail::CellAt(row, i), t.columns[i].kind));
        csv.Row(fields);
      }
      csv.End();
    }
  }
  return std::move(csv.o);
}

}  // namespace suiji::reports
