// The charts of a report, drawn by suiji as SVG: no scripts, no fonts, no external references, the same
// chart always the same bytes (coordinates and numbers printed with fixed precision, no locale).
//
//   kBar       grouped bars; columns for a few short categories, horizontal bars when there are more
//              than 8 categories or their labels (or the values over the bars) do not fit a column
//   kStacked   the series stacked per category, the total at the end; negative values count as 0
//   kLine      one line per series over the categories (months); a distinct marker per series
//   kInterval  a point (series[0]) and its 95% whisker [low, high] per category, one row each
//
// Every chart carries role="img", a <title> (the chart's title) and a <desc> (what it shows), a text
// legend, tick labels on a nice axis (steps of 1, 2 or 5 × 10^k; percentages when Chart::percent), its
// values labelled, and a colour-blind-safe palette (Okabe–Ito hues darkened to ≥ 4.5:1 on white, so
// white labels inside bars stay legible too). A chart without data draws "暂无数据" / "No data".
#pragma once
#include <string>
#include <vector>

#include "reports/report.h"

namespace suiji::reports {

struct SvgOptions {
  // The viewBox width the layout is made for (240 to 2000): 720 for a page column, ~360 for a phone,
  // where columns turn into horizontal bars sooner and fewer month labels are shown.
  double width = 720;
  // Inline (the default) the <svg> has no xmlns, which HTML does not need; standalone adds it (a .svg file).
  bool standalone = false;
  // Appended to the element ids, "chart-<chart.id><id_suffix>-title": two drawings of one chart on a page.
  std::string id_suffix;
};

// One chart as an <svg class="chart-svg chart-<kind>[ rows]"> element ("rows": categories down the
// side, as horizontal bars and intervals are drawn), its height following from its content.
std::string RenderChartSvg(const Chart& chart, Lang lang = Lang::kZh, const SvgOptions& options = {});

// A value axis covering [lo, hi]: ticks at multiples of a step of 1, 2 or 5 × 10^k, about `target`
// intervals, the first tick ≤ lo and the last ≥ hi. An empty span becomes [lo, lo + 1].
struct Axis {
  double lo = 0, hi = 1, step = 0.2;
  std::vector<double> ticks;
};
Axis NiceAxis(double lo, double hi, int target = 5);
// A tick's label: as many decimals as the step needs; percent: the fraction times 100 with "%".
std::string TickLabel(double value, double step, bool percent);

// The i-th series colour (cycles after 6).
const char* SeriesColor(std::size_t i);

}  // namespace suiji::reports
