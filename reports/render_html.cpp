// RenderHtml: one self-contained, printable page (see render.h).
#include <cmath>

#include "reports/render.h"
#include "reports/render_util.h"
#include "reports/svg.h"

namespace suiji::reports {

using detail::EscapeXml;
using detail::Say;

namespace {

constexpr const char* kCss = R"css(
:root{--ink:#1F2328;--muted:#4B5563;--line:#D5DAE1;--soft:#F4F6F9;--accent:#0B3D91;--rule:#B3261E}
*{box-sizing:border-box}
html{-webkit-text-size-adjust:100%;text-size-adjust:100%}
body{margin:0;background:#FFFFFF;color:var(--ink);font-size:16px;line-height:1.7;
font-family:"Noto Sans CJK SC","Source Han Sans SC","PingFang SC","Hiragino Sans GB","Microsoft YaHei",
"WenQuanYi Micro Hei",system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif}
html:lang(en) body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,
"Noto Sans CJK SC","Source Han Sans SC","PingFang SC","Microsoft YaHei","WenQuanYi Micro Hei",sans-serif}
.page{max-width:1040px;margin:0 auto;padding:0 32px 48px}
.masthead{border-top:6px solid var(--rule);padding:28px 0 20px;border-bottom:1px solid var(--line)}
.eyebrow{margin:0 0 6px;color:var(--muted);font-size:.875rem;letter-spacing:.02em}
.eyebrow span+span::before{content:"·";margin:0 .5em;color:var(--line)}
.badge{display:inline-block;padding:0 .6em;border:1px solid var(--accent);border-radius:3px;color:var(--accent);
font-weight:600;line-height:1.6}
.eyebrow span.badge::before{content:none}
.eyebrow span+span.badge{margin-left:.6em}
h1{margin:0;font-size:2rem;line-height:1.3;color:var(--accent);font-weight:700}
.subtitle{margin:6px 0 0;font-size:1.125rem;color:var(--muted)}
dl.meta{display:grid;grid-template-columns:repeat(auto-fill,minmax(300px,1fr));gap:4px 28px;margin:20px 0 0;
font-size:.875rem}
dl.meta div{display:flex;gap:.75em;padding:4px 0;border-bottom:1px dotted var(--line);min-width:0}
dl.meta dt{color:var(--muted);white-space:nowrap}
dl.meta dd{margin:0;font-weight:600;min-width:0;overflow-wrap:anywhere}
dl.meta div.wide{grid-column:1/-1}
.mono{font-family:ui-monospace,"DejaVu Sans Mono",Consolas,monospace;font-weight:400;font-size:.8125rem}
.summary{margin:24px 0 8px}
dl.figures{display:grid;grid-template-columns:repeat(auto-fill,minmax(200px,1fr));gap:12px;margin:16px 0}
dl.figures div{background:var(--soft);border-left:4px solid var(--accent);padding:12px 16px;border-radius:2px}
dl.figures dt{font-size:.875rem;color:var(--muted);line-height:1.4}
dl.figures dd{margin:0}
dl.figures dd.value{font-size:1.75rem;font-weight:700;line-height:1.3;font-variant-numeric:tabular-nums;
overflow-wrap:anywhere}
dl.figures dd.note{font-size:.8125rem;color:var(--muted);line-height:1.4}
.summary dl.figures{grid-template-columns:repeat(auto-fit,minmax(180px,1fr))}
.summary dl.figures div{background:#FFFFFF;border:1px solid var(--line);border-top:4px solid var(--accent)}
nav.toc{margin:24px 0;padding:12px 20px;background:var(--soft);border-radius:2px;font-size:.9375rem}
nav.toc h2{font-size:1rem;margin:0 0 4px;color:var(--muted);font-weight:600;border:0;padding:0}
nav.toc ol{margin:0;padding-left:1.6em;columns:2 280px}
nav.toc a{color:var(--accent)}
.section{margin-top:40px}
.section h2{font-size:1.375rem;line-height:1.4;margin:0 0 12px;padding-bottom:6px;border-bottom:2px solid var(--accent);
color:var(--ink)}
.secno{display:inline-block;min-width:1.6em;color:var(--accent)}
.section>p{margin:0 0 12px;max-width:46em}
figure.chart{margin:24px 0;padding:16px 16px 8px;border:1px solid var(--line);border-radius:4px}
figure.chart figcaption{font-weight:700;font-size:1.0625rem;margin:0 0 8px}
.chart-frame svg{display:block;width:100%;max-width:880px;height:auto;margin:0 auto}
.chart-frame .narrow{display:none}
.chart-frame .narrow svg{max-width:560px}
.note{font-size:.875rem;color:var(--muted);margin:8px 0 0}
details.chart-data{margin:8px 0 4px;font-size:.875rem}
details.chart-data summary{cursor:pointer;color:var(--accent)}
.table-block{margin:24px 0}
.table-wrap{overflow-x:auto}
table{border-collapse:collapse;width:100%;font-size:.9375rem;font-variant-numeric:tabular-nums}
caption{caption-side:top;text-align:left;font-weight:700;font-size:1.0625rem;padding:0 0 8px;color:var(--ink)}
th,td{padding:7px 12px;border-bottom:1px solid var(--line);text-align:left;vertical-align:top}
thead th{background:#E9EEF5;border-bottom:2px solid var(--accent);font-weight:600;white-space:nowrap}
tbody tr:nth-child(even){background:#F8F9FB}
th.num,td.num{text-align:right;white-space:nowrap}
td.date{white-space:nowrap}
td.empty{text-align:center;color:var(--muted)}
a{color:var(--accent)}
:focus-visible{outline:3px solid #E69F00;outline-offset:2px}
.visually-hidden{position:absolute;width:1px;height:1px;margin:-1px;padding:0;overflow:hidden;clip:rect(0 0 0 0);
white-space:nowrap;border:0}
footer{margin-top:48px;padding-top:12px;border-top:1px solid var(--line);font-size:.8125rem;color:var(--muted)}
@media (max-width:600px){
.page{padding:0 16px 32px}
h1{font-size:1.5rem}
.masthead{padding-top:20px}
dl.meta{grid-template-columns:1fr}
dl.figures{grid-template-columns:repeat(2,minmax(0,1fr));gap:8px}
dl.figures div{padding:10px 12px}
dl.figures dd.value{font-size:1.375rem}
figure.chart{padding:12px 8px 6px;margin:20px -8px}
.chart-frame .wide{display:none}
.chart-frame .narrow{display:block}
th,td{padding:6px 8px}
}
@media print{
@page{size:A4;margin:16mm 14mm 18mm}
*{-webkit-print-color-adjust:exact;print-color-adjust:exact}
body{font-size:10.5pt;line-height:1.55}
.page{max-width:none;padding:0}
.section+.section{break-before:page}
.section{margin-top:0}
h1,h2,caption,figcaption{break-after:avoid}
figure.chart,dl.figures div,.summary,tr{break-inside:avoid}
dl.figures{grid-template-columns:repeat(auto-fit,minmax(140px,1fr))}
figure.chart{border-color:#BBBBBB}
.chart-frame .wide{display:block}
.chart-frame .narrow{display:none}
.chart-frame svg{max-width:100%}
.table-wrap{overflow:visible}
thead{display:table-header-group}
details.chart-data{display:none}
nav.toc{background:none;border:1px solid var(--line)}
a{color:inherit;text-decoration:none}
}
)css";

std::string E(const std::string& s) { return EscapeXml(s); }
std::string E(const Text& t, Lang lang) { return EscapeXml(t.In(lang)); }

// A long hexadecimal digest reads better in a monospaced face, on its own row.
bool IsDigest(const std::string& v) {
  if (v.size() < 32) return false;
  for (char c : v)
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F') || c == ':' || c == '-'))
      return false;
  return true;
}

void Figures(std::string& o, const std::vector<Figure>& figures, Lang lang) {
  if (figures.empty()) return;
  o += "<dl class=\"figures\">";
  for (const Figure& f : figures) {
    o += "<div><dt>" + E(f.label, lang) + "</dt><dd class=\"value\">" + E(f.value) + "</dd>";
    if (!f.note.In(lang).empty()) o += "<dd class=\"note\">" + E(f.note, lang) + "</dd>";
    o += "</div>";
  }
  o += "</dl>\n";
}

const char* CellClass(ColumnKind kind) {
  return detail::IsNumeric(kind) ? " class=\"num\"" : kind == ColumnKind::kDate ? " class=\"date\"" : "";
}

// The numbers behind a chart, as a table inside <details>.
void ChartData(std::string& o, const Chart& ch, Lang lang) {
  o += "<details class=\"chart-data\"><summary>" + std::string(Say(lang, "查看数据表", "Show the data")) +
       "</summary><div class=\"table-wrap\"><table><thead><tr><th scope=\"col\">" + Say(lang, "类别", "Category") +
       "</th>";
  const bool interval = ch.kind == ChartKind::kInterval;
  const std::size_t series = interval ? std::min<std::size_t>(1, ch.series.size()) : ch.series.size();
  for (std::size_t k = 0; k < series; ++k) {
    const std::string label = ch.series[k].label.In(lang);
    o += "<th scope=\"col\" class=\"num\">" +
         (label.empty() ? std::string(Say(lang, "数值", "Value")) : EscapeXml(label)) + "</th>";
  }
  if (interval)
    o += std::string("<th scope=\"col\" class=\"num\">") + Say(lang, "95% 下限", "95% low") +
         "</th><th scope=\"col\" class=\"num\">" + Say(lang, "95% 上限", "95% high") + "</th>";
  o += "</tr></thead><tbody>";
  auto at = [](const std::vector<double>& v, std::size_t i) { return i < v.size() ? v[i] : NAN; };
  for (std::size_t i = 0; i < ch.categories.size(); ++i) {
    o += "<tr><th scope=\"row\">" + E(ch.categories[i]) + "</th>";
    for (std::size_t k = 0; k < series; ++k)
      o += "<td class=\"num\">" + detail::FormatValue(at(ch.series[k].values, i), ch.percent) + "</td>";
    if (interval)
      o += "<td class=\"num\">" + detail::FormatValue(at(ch.low, i), ch.percent) + "</td><td class=\"num\">" +
           detail::FormatValue(at(ch.high, i), ch.percent) + "</td>";
    o += "</tr>";
  }
  o += "</tbody></table></div></details>";
}

void RenderChart(std::string& o, const Chart& ch, Lang lang) {
  o += "<figure class=\"chart\" id=\"chart-" + E(ch.id) + "\">";
  if (!ch.title.In(lang).empty()) o += "<figcaption>" + E(ch.title, lang) + "</figcaption>";
  // Two drawings: one for a page column, one laid out for a phone; the CSS shows one (print: the wide).
  o += "<div class=\"chart-frame\"><div class=\"wide\">" + RenderChartSvg(ch, lang) + "</div><div class=\"narrow\">" +
       RenderChartSvg(ch, lang, {.width = 360, .standalone = false, .id_suffix = "-n"}) + "</div></div>";
  if (!ch.note.In(lang).empty()) o += "<p class=\"note\">" + E(ch.note, lang) + "</p>";
  if (!ch.categories.empty() && !ch.series.empty()) ChartData(o, ch, lang);
  o += "</figure>\n";
}

void RenderTable(std::string& o, const Table& t, Lang lang) {
  o += "<div class=\"table-block\" id=\"table-" + E(t.id) +
       "\"><div class=\"table-wrap\" role=\"region\" tabindex=\"0\"" + " aria-label=\"" + E(t.title, lang) +
       "\"><table>";
  if (!t.title.In(lang).empty()) o += "<caption>" + E(t.title, lang) + "</caption>";
  o += "<thead><tr>";
  for (const Column& c : t.columns)
    o += std::string("<th scope=\"col\"") + CellClass(c.kind) + ">" + E(c.label, lang) + "</th>";
  o += "</tr></thead><tbody>";
  for (const auto& row : t.rows) {
    o += "<tr>";
    for (std::size_t i = 0; i < t.columns.size(); ++i)
      o += std::string("<td") + CellClass(t.columns[i].kind) + ">" + E(detail::CellAt(row, i).text) + "</td>";
    o += "</tr>";
  }
  if (t.rows.empty())
    o += "<tr><td class=\"empty\" colspan=\"" + std::to_string(std::max<std::size_t>(1, t.columns.size())) + "\">" +
         Say(lang, "暂无数据", "No data") + "</td></tr>";
  o += "</tbody></table></div>";
  if (!t.note.In(lang).empty()) o += "<p class=\"note\">" + E(t.note, lang) + "</p>";
  o += "</div>\n";
}

}  // namespace

std::string RenderHtml(const Report& r, Lang lang) {
  std::string o;
  o.reserve(64 * 1024);
  o += "<!DOCTYPE html>\n<html lang=\"";
  o += lang == Lang::kEn ? "en" : "zh-CN";
  o += "\">\n<head>\n<meta charset=\"utf-8\">\n"
       "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
       "<meta name=\"color-scheme\" content=\"light\">\n<meta name=\"generator\" content=\"suiji\">\n";
  o += "<title>" + E(r.title, lang) + "</title>\n<style>" + kCss + "</style>\n</head>\n<body>\n<div class=\"page\">\n";

  // Header: what this is, for whom, and the facts that identify it.
  o += "<header class=\"masthead\"><p class=\"eyebrow\"><span>" +
       std::string(Say(lang, "“双随机、一公开”监管", "“Double random, one public” supervision")) + "</span>";
  if (!r.kind.empty()) o += "<span>" + E(detail::KindWords(r.kind, lang)) + "</span>";
  if (!r.audience.empty()) o += "<span class=\"badge\">" + E(detail::AudienceWords(r.audience, lang)) + "</span>";
  o += "</p>\n<h1>" + E(r.title, lang) + "</h1>\n";
  if (!r.subtitle.In(lang).empty()) o += "<p class=\"subtitle\">" + E(r.subtitle, lang) + "</p>\n";
  if (!r.meta.empty()) {
    o += "<dl class=\"meta\">";
    for (const auto& [label, value] : r.meta) {
      const bool digest = IsDigest(value);
      o += std::string(digest ? "<div class=\"wide\">" : "<div>") + "<dt>" + E(label, lang) + "</dt><dd" +
           (digest ? " class=\"mono\"" : "") + ">" + E(value) + "</dd></div>";
    }
    o += "</dl>\n";
  }
  o += "</header>\n<main>\n";

  // The summary band: the first section's figures.
  const bool band = !r.sections.empty() && !r.sections[0].figures.empty();
  if (band) {
    o += "<section class=\"summary\" aria-labelledby=\"summary-h\"><h2 id=\"summary-h\" class=\"visually-hidden\">" +
         std::string(Say(lang, "关键数据", "Key figures")) + "</h2>";
    Figures(o, r.sections[0].figures, lang);
    o += "</section>\n";
  }
  if (r.sections.size() >= 2) {
    o += "<nav class=\"toc\" aria-labelledby=\"toc-h\"><h2 id=\"toc-h\">" + std::string(Say(lang, "目录", "Contents")) +
         "</h2><ol>";
    for (const Section& s : r.sections) o += "<li><a href=\"#sec-" + E(s.id) + "\">" + E(s.title, lang) + "</a></li>";
    o += "</ol></nav>\n";
  }

  for (std::size_t si = 0; si < r.sections.size(); ++si) {
    const Section& s = r.sections[si];
    o += "<section class=\"section\" id=\"sec-" + E(s.id) + "\" aria-labelledby=\"sec-" + E(s.id) + "-h\">\n";
    o += "<h2 id=\"sec-" + E(s.id) + "-h\"><span class=\"secno\">" + std::to_string(si + 1) + "</span>" +
         E(s.title, lang) + "</h2>\n";
    for (const Text& p : s.paragraphs) o += "<p>" + E(p, lang) + "</p>\n";
    if (!(band && si == 0)) Figures(o, s.figures, lang);
    for (const Chart& ch : s.charts) RenderChart(o, ch, lang);
    for (const Table& t : s.tables) RenderTable(o, t, lang);
    o += "</section>\n";
  }
  o += "</main>\n<footer><p>" +
       std::string(Say(lang, "本报告由 suiji 根据其收到的数据生成；同一数据生成的报告逐字节相同。",
                       "Generated by suiji from the data it was given; the same data always gives the same "
                       "report, byte for byte.")) +
       "</p></footer>\n</div>\n</body>\n</html>\n";
  return o;
}

}  // namespace suiji::reports
