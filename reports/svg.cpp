#include "reports/svg.h"

#include <algorithm>
#include <cmath>
#include <limits>

#include "reports/render_util.h"

namespace suiji::reports {

using detail::EscapeXml;
using detail::FormatFixed;
using detail::FormatValue;
using detail::Say;

namespace {

constexpr double kPad = 12;                // around everything
constexpr double kFont = 12;               // tick and category labels
constexpr double kSmall = 11;              // value labels
constexpr double kPlotH = 260;             // the plot area of column and line charts
constexpr const char* kInk = "#1F2328";    // 15:1 on white
constexpr const char* kMuted = "#4B5563";  // 7.5:1
constexpr const char* kGrid = "#E3E6EA";
constexpr const char* kAxisLine = "#6B7280";
constexpr const char* kPalette[] = {"#0072B2", "#C45100", "#007A5E", "#AA3377", "#555555", "#332288"};
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

// Coordinates: one decimal, "12" rather than "12.0".
std::string N(double v) {
  std::string s = FormatFixed(v, 1);
  if (s.size() > 2 && s.ends_with(".0")) s.resize(s.size() - 2);
  return s;
}

// Estimated rendered width: ~0.56 em a half-width character, CJK counted twice (slightly generous).
double TextPx(std::string_view s, double size) { return detail::DisplayWidth(s) * 0.56 * size; }

// s cut (with "…") to fit `px` at `size`.
std::string Fit(const std::string& s, double px, double size) {
  if (TextPx(s, size) <= px) return s;
  for (int n = detail::CodePoints(s) - 1; n > 0; --n) {
    std::string t = detail::TruncateCodePoints(s, n) + "…";
    if (TextPx(t, size) <= px) return t;
  }
  return "…";
}

double Value(const Series& s, std::size_t i) { return i < s.values.size() ? s.values[i] : kNaN; }
double At(const std::vector<double>& v, std::size_t i) { return i < v.size() ? v[i] : kNaN; }

// The SVG being written, with the few primitives the charts use.
struct Canvas {
  double width;  // of the viewBox
  std::string o;
  void Text(double x, double y, std::string_view s, const char* anchor = "start", double size = kFont,
            const char* fill = kInk, const char* weight = nullptr) {
    o += "<text x=\"" + N(x) + "\" y=\"" + N(y) + "\"";
    if (std::string_view(anchor) != "start") o += std::string(" text-anchor=\"") + anchor + "\"";
    if (size != kFont) o += " font-size=\"" + N(size) + "\"";
    o += std::string(" fill=\"") + fill + "\"";
    if (weight) o += std::string(" font-weight=\"") + weight + "\"";
    o += ">" + EscapeXml(s) + "</text>";
  }
  void Line(double x1, double y1, double x2, double y2, const char* stroke, double width = 1) {
    o += "<line x1=\"" + N(x1) + "\" y1=\"" + N(y1) + "\" x2=\"" + N(x2) + "\" y2=\"" + N(y2) + "\" stroke=\"" +
         stroke + "\"";
    if (width != 1) o += " stroke-width=\"" + N(width) + "\"";
    o += "/>";
  }
  // A rect with a hover title (the exact figure); zero-size rects are left out.
  void Rect(double x, double y, double w, double h, const char* fill, const std::string& tip) {
    if (w <= 0 || h <= 0) return;
    o += "<rect x=\"" + N(x) + "\" y=\"" + N(y) + "\" width=\"" + N(w) + "\" height=\"" + N(h) + "\" fill=\"" + fill +
         "\"";
    if (tip.empty()) {
      o += "/>";
    } else {
      o += "><title>" + EscapeXml(tip) + "</title></rect>";
    }
  }
  // Series k's marker: circle, square, triangle, diamond, then again; white rim so it reads over lines.
  void Marker(std::size_t k, double x, double y, double r, const char* fill, const std::string& tip) {
    const std::string rim = "\" fill=\"" + std::string(fill) + "\" stroke=\"#FFFFFF\" stroke-width=\"1.5\">";
    switch (k % 4) {
      case 0: o += "<circle cx=\"" + N(x) + "\" cy=\"" + N(y) + "\" r=\"" + N(r) + rim; break;
      case 1:
        o +=
            "<rect x=\"" + N(x - r) + "\" y=\"" + N(y - r) + "\" width=\"" + N(2 * r) + "\" height=\"" + N(2 * r) + rim;
        break;
      case 2:
        o += "<path d=\"M" + N(x) + " " + N(y - r * 1.2) + "L" + N(x + r * 1.1) + " " + N(y + r * 0.8) + "L" +
             N(x - r * 1.1) + " " + N(y + r * 0.8) + "Z" + rim;
        break;
      default:
        o += "<path d=\"M" + N(x) + " " + N(y - r * 1.25) + "L" + N(x + r * 1.25) + " " + N(y) + "L" + N(x) + " " +
             N(y + r * 1.25) + "L" + N(x - r * 1.25) + " " + N(y) + "Z" + rim;
    }
    o += "<title>" + EscapeXml(tip) + "</title>";
    o += k % 4 == 0 ? "</circle>" : k % 4 == 1 ? "</rect>" : "</path>";
  }
};

struct LegendItem {
  std::string label;
  const char* color;
  enum Shape { kSwatch, kLineMarker, kPoint, kWhisker } shape;
  std::size_t series = 0;
};

// Draws the legend from y0 across the width, wrapping; returns the height it took.
double DrawLegend(Canvas& c, const std::vector<LegendItem>& items, double y0) {
  if (items.empty()) return 0;
  constexpr double kRow = 20;
  double x = kPad, y = y0 + 12;
  for (const LegendItem& it : items) {
    const double w = 22 + TextPx(it.label, kFont) + 18;
    if (x > kPad && x + w > c.width - kPad) x = kPad, y += kRow;
    switch (it.shape) {
      case LegendItem::kSwatch: c.Rect(x, y - 10, 14, 14, it.color, ""); break;
      case LegendItem::kLineMarker:
        c.Line(x - 2, y - 3, x + 16, y - 3, it.color, 2.5);
        c.Marker(it.series, x + 7, y - 3, 4, it.color, it.label);
        break;
      case LegendItem::kPoint: c.Marker(0, x + 7, y - 3, 5, it.color, it.label); break;
      case LegendItem::kWhisker:
        c.Line(x - 1, y - 3, x + 15, y - 3, it.color, 2);
        c.Line(x - 1, y - 8, x - 1, y + 2, it.color, 2);
        c.Line(x + 15, y - 8, x + 15, y + 2, it.color, 2);
        break;
    }
    c.Text(x + 22, y + 1, it.label);
    x += w;
  }
  return y - y0 + 8;
}

// Maps a value to a coordinate along [from, to].
struct Scale {
  Axis axis;
  double from, to;
  double operator()(double v) const { return from + (v - axis.lo) / (axis.hi - axis.lo) * (to - from); }
};

bool AllIntegral(const Chart& ch) {
  for (const Series& s : ch.series)
    for (double v : s.values)
      if (std::isfinite(v) && v != std::floor(v)) return false;
  return !ch.percent;
}

Axis ValueAxis(const Chart& ch, double lo, double hi, int target = 5) {
  Axis a = NiceAxis(lo, hi, target);
  if (AllIntegral(ch) && a.step < 1) a = NiceAxis(lo, std::max(hi, lo + 5), target);  // counts: no "0.2" ticks
  return a;
}

// Intervals along a horizontal axis: about one per 70 units, 3 to 5 of them.
int TickTarget(double length) { return std::clamp(static_cast<int>(length / 70), 3, 5); }

// Horizontal grid lines and labels of a vertical value axis.
void DrawValueAxisY(Canvas& c, const Scale& y, double left, double right, bool percent) {
  for (double t : y.axis.ticks) {
    const double py = y(t);
    c.Line(left, py, right, py, t == 0 ? kAxisLine : kGrid);
    c.Text(left - 6, py + 4, TickLabel(t, y.axis.step, percent), "end", kSmall, kMuted);
  }
}

// Vertical grid lines and labels (below the plot) of a horizontal value axis.
void DrawValueAxisX(Canvas& c, const Scale& x, double top, double bottom, bool percent) {
  for (double t : x.axis.ticks) {
    const double px = x(t);
    c.Line(px, top, px, bottom, t == 0 ? kAxisLine : kGrid);
    c.Text(px, bottom + 16, TickLabel(t, x.axis.step, percent), "middle", kSmall, kMuted);
  }
}

std::string Tip(const Chart& ch, std::size_t i, const Series* s, double v, Lang lang) {
  std::string t = ch.categories[i];
  if (s && !s->label.In(lang).empty()) t += " · " + s->label.In(lang);
  return t + ": " + FormatValue(v, ch.percent);
}

std::vector<LegendItem> SeriesLegend(const Chart& ch, Lang lang, LegendItem::Shape shape) {
  std::vector<LegendItem> items;
  bool named = false;
  for (const Series& s : ch.series) named |= !s.label.In(lang).empty();
  if (!named) return items;
  for (std::size_t k = 0; k < ch.series.size(); ++k)
    items.push_back({ch.series[k].label.In(lang), SeriesColor(k), shape, k});
  return items;
}

// --- columns (bar, stacked) and horizontal bars --------------------------------------------------------

struct Bars {
  const Chart& ch;
  Lang lang;
  bool stacked;
  std::size_t n, s;
  double width;

  // Series k's segment of stack i: missing and negative values count as 0.
  double Part(std::size_t k, std::size_t i) const {
    const double v = Value(ch.series[k], i);
    return std::isfinite(v) && v > 0 ? v : 0.0;
  }
  std::size_t Parts(std::size_t i) const {  // the stack's non-zero segments
    std::size_t p = 0;
    for (std::size_t k = 0; k < s; ++k) p += Part(k, i) > 0;
    return p;
  }
  double Total(std::size_t i) const {
    double t = 0;
    for (std::size_t k = 0; k < s; ++k) t += Part(k, i);
    return t;
  }
  std::pair<double, double> Range() const {
    double lo = 0, hi = 0;
    for (std::size_t i = 0; i < n; ++i) {
      if (stacked) {
        hi = std::max(hi, Total(i));
        continue;
      }
      for (const Series& se : ch.series) {
        const double v = Value(se, i);
        if (std::isfinite(v)) lo = std::min(lo, v), hi = std::max(hi, v);
      }
    }
    return {lo, hi};
  }
  double MaxValueLabelPx() const {
    double w = 0;
    for (std::size_t i = 0; i < n; ++i) {
      if (stacked) w = std::max(w, TextPx(FormatValue(Total(i), ch.percent), kSmall));
      for (const Series& se : ch.series) w = std::max(w, TextPx(FormatValue(Value(se, i), ch.percent), kSmall));
    }
    return w;
  }
  double MaxCategoryPx() const {
    double w = 0;
    for (const std::string& c : ch.categories) w = std::max(w, TextPx(c, kFont));
    return w;
  }

  // Columns fit: at most 8 categories, each label within its band, each value label over its bar.
  bool ColumnsFit() const {
    if (n > 8) return false;
    const double band = (width - 2 * kPad - 56) / static_cast<double>(n);
    const double bar = stacked ? std::min(56.0, band * 0.6) : std::min(48.0, band * 0.72 / static_cast<double>(s));
    return MaxCategoryPx() <= band - 6 && MaxValueLabelPx() <= (stacked ? band - 4 : bar + 4);
  }

  std::string Columns(Canvas& c, double legend_h) const {
    auto [lo, hi] = Range();
    Axis axis = ValueAxis(ch, lo, hi);
    double tick_w = 0;
    for (double t : axis.ticks) tick_w = std::max(tick_w, TextPx(TickLabel(t, axis.step, ch.percent), kSmall));
    const double left = kPad + tick_w + 8, right = c.width - kPad;
    const double top = kPad + legend_h + 18, bottom = top + kPlotH;
    const Scale y{axis, bottom, top};
    DrawValueAxisY(c, y, left, right, ch.percent);
    const double band = (right - left) / static_cast<double>(n);
    const double zero = y(std::clamp(0.0, axis.lo, axis.hi));
    for (std::size_t i = 0; i < n; ++i) {
      const double cx = left + band * (static_cast<double>(i) + 0.5);
      if (stacked) {
        const double w = std::min(56.0, band * 0.6);
        const std::size_t parts = Parts(i);
        double acc = 0;
        for (std::size_t k = 0; k < s; ++k) {
          const double v = Part(k, i);
          const double y0 = y(acc), y1 = y(acc + v);
          c.Rect(cx - w / 2, y1, w, y0 - y1, SeriesColor(k), Tip(ch, i, &ch.series[k], v, lang));
          const std::string label = FormatValue(v, ch.percent);
          if (v > 0 && parts > 1 && y0 - y1 >= 15 && TextPx(label, kSmall) <= w - 4)
            c.Text(cx, (y0 + y1) / 2 + 4, label, "middle", kSmall, "#FFFFFF");
          if (v > 0 && k + 1 < s) c.Line(cx - w / 2, y1, cx + w / 2, y1, "#FFFFFF");  // segment seam
          acc += v;
        }
        c.Text(cx, y(acc) - 5, FormatValue(acc, ch.percent), "middle", kSmall, kInk, "600");
      } else {
        const double group = band * 0.72, w = std::min(48.0, group / static_cast<double>(s));
        const double x0 = cx - w * static_cast<double>(s) / 2;
        for (std::size_t k = 0; k < s; ++k) {
          const double v = Value(ch.series[k], i);
          if (!std::isfinite(v)) continue;
          const double bx = x0 + w * static_cast<double>(k), py = y(v);
          c.Rect(bx + 1, std::min(py, zero), w - 2, std::fabs(zero - py), SeriesColor(k),
                 Tip(ch, i, &ch.series[k], v, lang));
          c.Text(bx + w / 2, v >= 0 ? py - 5 : py + 13, FormatValue(v, ch.percent), "middle", kSmall);
        }
      }
      c.Text(cx, bottom + 18, ch.categories[i], "middle");
    }
    c.Line(left, zero, right, zero, kAxisLine);
    return N(bottom + 28 + kPad);
  }

  std::string Horizontal(Canvas& c, double legend_h) const {
    auto [lo, hi] = Range();
    const double label_w = std::min(MaxCategoryPx(), std::min(240.0, width * 0.38));
    const double left = kPad + label_w + 10, right = c.width - kPad - MaxValueLabelPx() - 8;
    const Axis axis = ValueAxis(ch, lo, hi, TickTarget(right - left));
    const double bar_h = stacked || s == 1 ? 20 : 14, row = (stacked ? bar_h : bar_h * static_cast<double>(s)) + 12;
    const double top = kPad + legend_h + 6, bottom = top + row * static_cast<double>(n);
    const Scale x{axis, left, right};
    DrawValueAxisX(c, x, top, bottom, ch.percent);
    const double zero = x(std::clamp(0.0, axis.lo, axis.hi));
    for (std::size_t i = 0; i < n; ++i) {
      const double ry = top + row * static_cast<double>(i) + 6;
      const double mid = ry + (row - 12) / 2;
      c.Text(left - 8, mid + 4, Fit(ch.categories[i], label_w, kFont), "end");
      if (stacked) {
        const std::size_t parts = Parts(i);
        double acc = 0;
        for (std::size_t k = 0; k < s; ++k) {
          const double v = Part(k, i);
          const double x0 = x(acc), x1 = x(acc + v);
          c.Rect(x0, ry, x1 - x0, bar_h, SeriesColor(k), Tip(ch, i, &ch.series[k], v, lang));
          const std::string label = FormatValue(v, ch.percent);
          if (v > 0 && parts > 1 && TextPx(label, kSmall) <= x1 - x0 - 6)
            c.Text((x0 + x1) / 2, ry + bar_h / 2 + 4, label, "middle", kSmall, "#FFFFFF");
          if (v > 0 && k + 1 < s) c.Line(x1, ry, x1, ry + bar_h, "#FFFFFF");
          acc += v;
        }
        c.Text(x(acc) + 5, ry + bar_h / 2 + 4, FormatValue(acc, ch.percent), "start", kSmall, kInk, "600");
      } else {
        for (std::size_t k = 0; k < s; ++k) {
          const double v = Value(ch.series[k], i);
          if (!std::isfinite(v)) continue;
          const double by = ry + bar_h * static_cast<double>(k), px = x(v);
          c.Rect(std::min(px, zero), by + 1, std::fabs(px - zero), bar_h - 2, SeriesColor(k),
                 Tip(ch, i, &ch.series[k], v, lang));
          c.Text(v >= 0 ? px + 5 : px - 5, by + bar_h / 2 + 4, FormatValue(v, ch.percent), v >= 0 ? "start" : "end",
                 kSmall);
        }
      }
    }
    c.Line(zero, top, zero, bottom, kAxisLine);
    return N(bottom + 24 + kPad);
  }
};

// --- lines ---------------------------------------------------------------------------------------------

std::string DrawLines(Canvas& c, const Chart& ch, Lang lang, double legend_h) {
  const std::size_t n = ch.categories.size(), s = ch.series.size();
  double lo = 0, hi = 0, label_w = 0, cat_w = 0;
  for (const Series& se : ch.series)
    for (std::size_t i = 0; i < n; ++i) {
      const double v = Value(se, i);
      if (!std::isfinite(v)) continue;
      lo = std::min(lo, v), hi = std::max(hi, v);
      label_w = std::max(label_w, TextPx(FormatValue(v, ch.percent), kSmall));
    }
  for (const std::string& cat : ch.categories) cat_w = std::max(cat_w, TextPx(cat, kFont));
  const Axis axis = ValueAxis(ch, lo, hi);
  double tick_w = 0;
  for (double t : axis.ticks) tick_w = std::max(tick_w, TextPx(TickLabel(t, axis.step, ch.percent), kSmall));
  const double left = kPad + tick_w + 8;
  // Every point labelled when there are at most two lines and the labels fit between points; otherwise
  // each line's last value stands at its end, right of the plot.
  const double band_guess = (c.width - kPad - left) / static_cast<double>(n);
  const bool label_all = s <= 2 && label_w <= band_guess - 4;
  const double right = c.width - kPad - (label_all ? 0 : label_w + 10);
  const double top = kPad + legend_h + 18, bottom = top + kPlotH;
  const Scale y{axis, bottom, top};
  DrawValueAxisY(c, y, left, right, ch.percent);
  const double band = (right - left) / static_cast<double>(n);
  auto px = [&](std::size_t i) { return left + band * (static_cast<double>(i) + 0.5); };
  const std::size_t stride = std::max<std::size_t>(1, static_cast<std::size_t>(std::ceil((cat_w + 8) / band)));
  for (std::size_t i = 0; i < n; i += stride) {
    c.Line(px(i), bottom, px(i), bottom + 4, kAxisLine);
    c.Text(px(i), bottom + 18, ch.categories[i], "middle");
  }
  c.Line(left, y(std::clamp(0.0, axis.lo, axis.hi)), right, y(std::clamp(0.0, axis.lo, axis.hi)), kAxisLine);
  struct EndLabel {
    double y;
    std::string text;
    const char* color;
  };
  std::vector<EndLabel> ends;
  for (std::size_t k = 0; k < s; ++k) {
    const Series& se = ch.series[k];
    std::string d;  // the path, broken where a value is missing
    bool pen = false;
    for (std::size_t i = 0; i < n; ++i) {
      const double v = Value(se, i);
      if (!std::isfinite(v)) {
        pen = false;
        continue;
      }
      d += (pen ? "L" : "M") + N(px(i)) + " " + N(y(v));
      pen = true;
    }
    c.o += "<path d=\"" + d + "\" fill=\"none\" stroke=\"" + SeriesColor(k) +
           "\" stroke-width=\"2.5\" stroke-linejoin=\"round\" stroke-linecap=\"round\"/>";
    std::size_t last = n;
    for (std::size_t i = 0; i < n; ++i) {
      const double v = Value(se, i);
      if (!std::isfinite(v)) continue;
      c.Marker(k, px(i), y(v), 4, SeriesColor(k), Tip(ch, i, &se, v, lang));
      last = i;
      if (!label_all) continue;
      // Two lines: the higher value's label above its point, the lower one's below.
      const double other = s == 2 ? Value(ch.series[1 - k], i) : kNaN;
      const bool below = std::isfinite(other) && (v < other || (v == other && k == 1)) && y(v) + 17 <= bottom - 4;
      c.Text(px(i), below ? y(v) + 17 : y(v) - 9, FormatValue(v, ch.percent), "middle", kSmall, SeriesColor(k));
    }
    if (!label_all && last < n)
      ends.push_back({y(Value(se, last)) + 4, FormatValue(Value(se, last), ch.percent), SeriesColor(k)});
  }
  // End labels pushed apart so that none overlaps the next.
  std::sort(ends.begin(), ends.end(), [](const EndLabel& a, const EndLabel& b) { return a.y < b.y; });
  for (std::size_t i = 1; i < ends.size(); ++i) ends[i].y = std::max(ends[i].y, ends[i - 1].y + 13);
  for (const EndLabel& e : ends) c.Text(right + 8, e.y, e.text, "start", kSmall, e.color, "600");
  return N(bottom + 28 + kPad);
}

// --- intervals -----------------------------------------------------------------------------------------

std::string DrawIntervals(Canvas& c, const Chart& ch, Lang lang, double legend_h) {
  const std::size_t n = ch.categories.size();
  const Series& se = ch.series[0];
  double lo = 0, hi = 0, cat_w = 0, label_w = 0;
  std::vector<std::string> labels(n);
  for (std::size_t i = 0; i < n; ++i) {
    for (double v : {Value(se, i), At(ch.low, i), At(ch.high, i)})
      if (std::isfinite(v)) lo = std::min(lo, v), hi = std::max(hi, v);
    const double v = Value(se, i), l = At(ch.low, i), h = At(ch.high, i);
    labels[i] = FormatValue(v, ch.percent);
    if (std::isfinite(l) && std::isfinite(h))
      labels[i] += " (" + FormatValue(l, ch.percent) + "–" + FormatValue(h, ch.percent) + ")";
    cat_w = std::max(cat_w, TextPx(ch.categories[i], kFont));
    label_w = std::max(label_w, TextPx(labels[i], kSmall));
  }
  const double name_w = std::min(cat_w, std::min(220.0, c.width * 0.3));
  const double left = kPad + name_w + 10, right = c.width - kPad - label_w - 14;
  const Axis axis = ValueAxis(ch, lo, hi, TickTarget(right - left));
  constexpr double kRow = 28;
  const double top = kPad + legend_h + 6, bottom = top + kRow * static_cast<double>(n);
  const Scale x{axis, left, right};
  DrawValueAxisX(c, x, top, bottom, ch.percent);
  const char* color = SeriesColor(0);
  for (std::size_t i = 0; i < n; ++i) {
    const double cy = top + kRow * (static_cast<double>(i) + 0.5);
    c.Text(left - 8, cy + 4, Fit(ch.categories[i], name_w, kFont), "end");
    const double v = Value(se, i), l = At(ch.low, i), h = At(ch.high, i);
    if (std::isfinite(l) && std::isfinite(h)) {
      c.Line(x(l), cy, x(h), cy, color, 2);
      c.Line(x(l), cy - 6, x(l), cy + 6, color, 2);
      c.Line(x(h), cy - 6, x(h), cy + 6, color, 2);
    }
    if (std::isfinite(v)) c.Marker(0, x(v), cy, 5, color, Tip(ch, i, &se, v, lang) + " " + labels[i]);
    c.Text(right + 14, cy + 4, labels[i], "start", kSmall);
  }
  if (axis.lo < 0) c.Line(x(0), top, x(0), bottom, kAxisLine);
  c.Line(left, bottom, right, bottom, kAxisLine);
  return N(bottom + 24 + kPad);
}

bool HasData(const Chart& ch) {
  if (ch.categories.empty() || ch.series.empty()) return false;
  for (const Series& s : ch.series)
    for (std::size_t i = 0; i < ch.categories.size(); ++i)
      if (std::isfinite(Value(s, i))) return true;
  return false;
}

const char* ChartWords(ChartKind kind, Lang lang) {
  switch (kind) {
    case ChartKind::kBar: return Say(lang, "柱状图", "Bar chart");
    case ChartKind::kStacked: return Say(lang, "堆积柱状图", "Stacked bar chart");
    case ChartKind::kLine: return Say(lang, "折线图", "Line chart");
    case ChartKind::kInterval: return Say(lang, "点估计及 95% 置信区间图", "Estimates with 95% intervals");
  }
  return "";
}

// What the chart shows, in a sentence, for <desc>.
std::string Describe(const Chart& ch, Lang lang) {
  std::string d = ChartWords(ch.kind, lang);
  const std::string n = std::to_string(ch.categories.size());
  d += lang == Lang::kEn ? ": " + n + " categories" : "：" + n + " 个类别";
  std::string names;
  for (const Series& s : ch.series) {
    if (s.label.In(lang).empty()) continue;
    names += (names.empty() ? "" : Say(lang, "、", ", ")) + s.label.In(lang);
  }
  if (!names.empty()) d += Say(lang, "；系列：", "; series: ") + names;
  if (ch.percent) d += Say(lang, "；数值为百分比", "; values in percent");
  d += Say(lang, "。", ".");
  if (!ch.note.In(lang).empty()) d += " " + ch.note.In(lang);
  return d;
}

}  // namespace

const char* SeriesColor(std::size_t i) { return kPalette[i % std::size(kPalette)]; }

Axis NiceAxis(double lo, double hi, int target) {
  if (!std::isfinite(lo)) lo = 0;
  if (!std::isfinite(hi)) hi = lo;
  if (hi < lo) std::swap(lo, hi);
  if (hi - lo < 1e-12) hi = lo + 1;
  target = std::max(1, target);
  // Of the 1/2/5 steps around span/target, the one whose interval count is nearest target while the
  // axis overshoots the data least (each 50% of unused axis weighs as one interval off target; the
  // larger step on a tie): [0, 47] → 10, [-3, 8] → 2, [0, 0.21] → 0.05, [0, 2100] at 3 → 1000.
  const double mag = std::pow(10.0, std::floor(std::log10((hi - lo) / target)));
  double step = mag, best = -1;
  for (double m : {0.5, 1.0, 2.0, 5.0, 10.0}) {
    const double st = m * mag;
    const double first = std::floor(lo / st + 1e-9), last = std::ceil(hi / st - 1e-9);
    const double score = std::fabs(last - first - target) + 2 * ((last - first) * st / (hi - lo) - 1);
    if (best < 0 || score <= best + 1e-9) best = score, step = st;
  }
  const long long first = static_cast<long long>(std::floor(lo / step + 1e-9));
  const long long last = static_cast<long long>(std::ceil(hi / step - 1e-9));
  Axis a;
  a.step = step;
  a.lo = static_cast<double>(first) * step;
  a.hi = static_cast<double>(last) * step;
  for (long long k = first; k <= last; ++k) a.ticks.push_back(k == 0 ? 0.0 : static_cast<double>(k) * step);
  return a;
}

std::string TickLabel(double value, double step, bool percent) {
  const double scale = percent ? 100.0 : 1.0;
  const int decimals = std::max(0, static_cast<int>(-std::floor(std::log10(step * scale) + 1e-9)));
  const std::string s = FormatFixed(value * scale, decimals);
  return percent ? s + "%" : detail::GroupThousands(s);
}

std::string RenderChartSvg(const Chart& ch, Lang lang, const SvgOptions& opt) {
  const std::string id = "chart-" + (ch.id.empty() ? std::string("x") : ch.id) + opt.id_suffix;
  const std::string title = ch.title.In(lang);
  Canvas c{std::clamp(opt.width, 240.0, 2000.0), ""};
  std::string height;
  bool rows = ch.kind == ChartKind::kInterval;  // categories down the side (else along the bottom)
  if (!HasData(ch)) {
    c.Rect(0.5, 0.5, c.width - 1, 79, "#F6F7F9", "");
    c.Text(c.width / 2, 45, Say(lang, "暂无数据", "No data"), "middle", 14, kMuted);
    height = "80";
  } else {
    std::vector<LegendItem> legend;
    if (ch.kind == ChartKind::kInterval) {
      const std::string point = ch.series[0].label.In(lang);
      legend = {{point.empty() ? Say(lang, "估计值", "Estimate") : point, SeriesColor(0), LegendItem::kPoint},
                {Say(lang, "95% 置信区间", "95% interval"), SeriesColor(0), LegendItem::kWhisker}};
    } else {
      legend = SeriesLegend(ch, lang, ch.kind == ChartKind::kLine ? LegendItem::kLineMarker : LegendItem::kSwatch);
    }
    const double legend_h = DrawLegend(c, legend, kPad - 4);
    const std::size_t n = ch.categories.size();
    switch (ch.kind) {
      case ChartKind::kLine: height = DrawLines(c, ch, lang, legend_h); break;
      case ChartKind::kInterval: height = DrawIntervals(c, ch, lang, legend_h); break;
      case ChartKind::kBar:
      case ChartKind::kStacked: {
        const Bars bars{ch, lang, ch.kind == ChartKind::kStacked, n, ch.series.size(), c.width};
        rows = !bars.ColumnsFit();
        height = rows ? bars.Horizontal(c, legend_h) : bars.Columns(c, legend_h);
        break;
      }
    }
  }
  std::string o = "<svg";
  if (opt.standalone) o += " xmlns=\"http://www.w3.org/2000/svg\"";
  const std::string kind = detail::ChartKindName(ch.kind);
  o += " class=\"chart-svg chart-" + kind + (rows ? " rows" : "") + "\"";
  o += " viewBox=\"0 0 " + N(c.width) + " " + height + "\" width=\"" + N(c.width) + "\" height=\"" + height + "\"";
  o += " role=\"img\" aria-labelledby=\"" + id + "-title " + id + "-desc\"";
  o += " font-family=\"'Noto Sans CJK SC','PingFang SC','Microsoft YaHei','WenQuanYi Micro Hei',sans-serif\"";
  o += " font-size=\"" + N(kFont) + "\">";
  const std::string desc = HasData(ch) ? Describe(ch, lang) : Say(lang, "暂无数据", "No data");
  o += "<title id=\"" + id + "-title\">" + EscapeXml(title) + "</title>";
  o += "<desc id=\"" + id + "-desc\">" + EscapeXml(desc) + "</desc>";
  o += c.o;
  o += "</svg>";
  return o;
}

}  // namespace suiji::reports
