// RenderJson: the report for machines, in one language, keys in a fixed order (see render.h).
#include <cmath>
#include <nlohmann/json.hpp>

#include "reports/render.h"
#include "reports/render_util.h"

namespace suiji::reports {

namespace {

using J = nlohmann::ordered_json;

// Integral values as JSON integers ("212", not "212.0"); NaN and infinities as null.
J Number(double v) {
  if (!std::isfinite(v)) return nullptr;
  if (v == std::floor(v) && std::fabs(v) < 9007199254740992.0) return static_cast<long long>(v);
  return v;
}

J Numbers(const std::vector<double>& values) {
  J a = J::array();
  for (double v : values) a.push_back(Number(v));
  return a;
}

J ChartJson(const Chart& ch, Lang lang) {
  J c;
  c["id"] = ch.id;
  c["kind"] = detail::ChartKindName(ch.kind);
  c["title"] = ch.title.In(lang);
  c["percent"] = ch.percent;
  c["categories"] = ch.categories;
  c["series"] = J::array();
  for (const Series& s : ch.series) {
    J j;
    j["label"] = s.label.In(lang);
    j["values"] = Numbers(s.values);
    c["series"].push_back(std::move(j));
  }
  if (ch.kind == ChartKind::kInterval) {
    c["low"] = Numbers(ch.low);
    c["high"] = Numbers(ch.high);
  }
  c["note"] = ch.note.In(lang);
  return c;
}

J TableJson(const Table& t, Lang lang) {
  J j;
  j["id"] = t.id;
  j["title"] = t.title.In(lang);
  j["columns"] = J::array();
  for (const Column& c : t.columns)
    j["columns"].push_back(J{{"label", c.label.In(lang)}, {"kind", detail::ColumnKindName(c.kind)}});
  j["rows"] = J::array();
  for (const auto& row : t.rows) {
    J cells = J::array();
    for (std::size_t i = 0; i < t.columns.size(); ++i) {
      const Cell& cell = detail::CellAt(row, i);
      cells.push_back(cell.number ? Number(*cell.number) : J(cell.text));
    }
    j["rows"].push_back(std::move(cells));
  }
  j["note"] = t.note.In(lang);
  return j;
}

}  // namespace

std::string RenderJson(const Report& r, Lang lang) {
  J j;
  j["kind"] = r.kind;
  j["audience"] = r.audience;
  j["lang"] = lang == Lang::kEn ? "en" : "zh-CN";
  j["title"] = r.title.In(lang);
  j["subtitle"] = r.subtitle.In(lang);
  j["meta"] = J::array();
  for (const auto& [label, value] : r.meta) j["meta"].push_back(J{{"label", label.In(lang)}, {"value", value}});
  j["sections"] = J::array();
  for (const Section& s : r.sections) {
    J sj;
    sj["id"] = s.id;
    sj["title"] = s.title.In(lang);
    sj["paragraphs"] = J::array();
    for (const Text& p : s.paragraphs) sj["paragraphs"].push_back(p.In(lang));
    sj["figures"] = J::array();
    for (const Figure& f : s.figures)
      sj["figures"].push_back(J{{"label", f.label.In(lang)}, {"value", f.value}, {"note", f.note.In(lang)}});
    sj["charts"] = J::array();
    for (const Chart& ch : s.charts) sj["charts"].push_back(ChartJson(ch, lang));
    sj["tables"] = J::array();
    for (const Table& t : s.tables) sj["tables"].push_back(TableJson(t, lang));
    j["sections"].push_back(std::move(sj));
  }
  // Invalid UTF-8 in the data is replaced (U+FFFD) rather than thrown on: a render never fails.
  return j.dump(2, ' ', /*ensure_ascii=*/false, J::error_handler_t::replace) + "\n";
}

}  // namespace suiji::reports
