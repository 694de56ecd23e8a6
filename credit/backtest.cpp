#include "credit/backtest.h"

#include <cmath>
#include <cstdio>
#include <tuple>
#include <unordered_map>

namespace suiji::credit {

std::pair<double, double> WilsonInterval(std::int64_t k, std::int64_t n, double z) {
  if (n <= 0) return {0.0, 1.0};
  const double nn = static_cast<double>(n), p = static_cast<double>(k) / nn, z2 = z * z;
  const double denom = 1 + z2 / nn;
  const double centre = (p + z2 / (2 * nn)) / denom;
  const double half = z * std::sqrt(p * (1 - p) / nn + z2 / (4 * nn * nn)) / denom;
  double lo = centre - half, hi = centre + half;
  // Exact bounds at the edges (rounding can leave 1e-17 below 0 or above 1).
  if (k == 0) lo = 0;
  if (k == n) hi = 1;
  return {lo < 0 ? 0 : lo, hi > 1 ? 1 : hi};
}

Backtest RunBacktest(const std::vector<ClassedEntity>& classes, const std::vector<InspectionResult>& inspections,
                     Date from, Date to) {
  Backtest b;
  b.from = from;
  b.to = to;
  for (int c = 0; c < 4; ++c) b.rows[c].cls = static_cast<rules::RiskClass>(c);
  // Per entity: class and two bits (inspected, with a problem).
  struct State {
    rules::RiskClass cls;
    bool inspected = false, problem = false;
  };
  std::unordered_map<std::string, State> state;
  state.reserve(classes.size());
  for (const auto& c : classes) state[c.entity_id] = State{c.cls};  // a later entry wins
  for (const auto& r : inspections) {
    if (r.date < from || r.date > to) continue;
    auto it = state.find(r.entity_id);
    if (it == state.end()) {
      ++b.unmatched_inspections;
      continue;
    }
    it->second.inspected = true;
    it->second.problem |= r.HasProblem();
  }
  for (const auto& [id, s] : state) {
    (void)id;
    auto& row = b.rows[static_cast<int>(s.cls)];
    ++row.entities;
    row.inspected += s.inspected;
    row.with_problems += s.problem;
  }
  double last = -1;
  b.monotone = true;
  for (auto& row : b.rows) {
    row.rate = row.inspected ? static_cast<double>(row.with_problems) / static_cast<double>(row.inspected) : 0.0;
    std::tie(row.low, row.high) = WilsonInterval(row.with_problems, row.inspected);
    if (row.inspected == 0) continue;
    if (row.rate < last) b.monotone = false;
    last = row.rate;
  }
  return b;
}

Json BacktestJson(const Backtest& b) {
  Json rows = Json::array();
  for (const auto& r : b.rows)
    rows.push_back({{"class", rules::RiskClassName(r.cls)},
                    {"entities", r.entities},
                    {"inspected", r.inspected},
                    {"with_problems", r.with_problems},
                    {"rate", r.rate},
                    {"wilson95", {r.low, r.high}}});
  return Json{{"from", FormatDate(b.from)},
              {"to", FormatDate(b.to)},
              {"rows", std::move(rows)},
              {"unmatched_inspections", b.unmatched_inspections},
              {"monotone", b.monotone}};
}

namespace {

std::string XmlEscape(const std::string& s) {
  std::string o;
  for (char c : s) {
    switch (c) {
      case '&': o += "&amp;"; break;
      case '<': o += "&lt;"; break;
      case '>': o += "&gt;"; break;
      case '"': o += "&quot;"; break;
      default: o += c;
    }
  }
  return o;
}

}  // namespace

std::string BacktestSvg(const Backtest& b, const std::string& title) {
  // 480 x 320 canvas; plot area x 60..460, y 40..260 (rate 1.0 at the top).
  const double x0 = 60, x1 = 460, y0 = 260, y1 = 40;
  auto y_of = [&](double rate) { return y0 - rate * (y0 - y1); };
  const char* colours[] = {"#2e7d32", "#9e9d24", "#ef6c00", "#c62828"};
  char buf[512];
  std::string s =
      "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"480\" height=\"320\" viewBox=\"0 0 480 320\" "
      "font-family=\"sans-serif\" font-size=\"12\">\n";
  s += "<title>" + XmlEscape(title) + "</title>\n";
  s += "<text x=\"240\" y=\"22\" text-anchor=\"middle\" font-size=\"14\">" + XmlEscape(title) + "</text>\n";
  for (int t = 0; t <= 4; ++t) {  // axis ticks 0%, 25%, ... 100%
    double y = y_of(t / 4.0);
    std::snprintf(buf, sizeof buf,
                  "<line x1=\"%.0f\" y1=\"%.1f\" x2=\"%.0f\" y2=\"%.1f\" stroke=\"#ddd\"/>"
                  "<text x=\"%.0f\" y=\"%.1f\" text-anchor=\"end\">%d%%</text>\n",
                  x0, y, x1, y, x0 - 6, y + 4, t * 25);
    s += buf;
  }
  const double slot = (x1 - x0) / 4, bar = slot * 0.6;
  for (int c = 0; c < 4; ++c) {
    const auto& r = b.rows[c];
    const double cx = x0 + slot * (c + 0.5);
    const double top = y_of(r.rate);
    std::snprintf(buf, sizeof buf,
                  "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"%s\"><title>class %s: %lld of %lld "
                  "inspected had problems (%.1f%%, 95%% CI %.1f-%.1f%%)</title></rect>\n",
                  cx - bar / 2, top, bar, y0 - top, colours[c], rules::RiskClassName(r.cls),
                  static_cast<long long>(r.with_problems), static_cast<long long>(r.inspected), 100 * r.rate,
                  100 * r.low, 100 * r.high);
    s += buf;
    if (r.inspected > 0) {  // Wilson interval as an error bar
      std::snprintf(buf, sizeof buf,
                    "<path d=\"M%.1f %.1fV%.1fM%.1f %.1fh12M%.1f %.1fh12\" stroke=\"#000\" fill=\"none\"/>\n", cx,
                    y_of(r.low), y_of(r.high), cx - 6, y_of(r.low), cx - 6, y_of(r.high));
      s += buf;
    }
    std::snprintf(buf, sizeof buf,
                  "<text x=\"%.1f\" y=\"%.0f\" text-anchor=\"middle\">%s</text>"
                  "<text x=\"%.1f\" y=\"%.0f\" text-anchor=\"middle\" font-size=\"10\">n=%lld</text>\n",
                  cx, y0 + 18, rules::RiskClassName(r.cls), cx, y0 + 32, static_cast<long long>(r.inspected));
    s += buf;
  }
  std::snprintf(buf, sizeof buf, "<line x1=\"%.0f\" y1=\"%.0f\" x2=\"%.0f\" y2=\"%.0f\" stroke=\"#000\"/>\n", x0, y0,
                x1, y0);
  s += buf;
  s += "</svg>\n";
  return s;
}

}  // namespace suiji::credit
