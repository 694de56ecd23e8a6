// What the renderers (render_*.cpp, svg.cpp) share and nothing else needs: escaping, number formatting
// that does not depend on the locale (std::to_chars, fixed precision), UTF-8 display widths (a CJK
// character counts 2) and the few interface words a report shows in both languages.
#pragma once
#include <string>
#include <string_view>

#include "reports/report.h"

namespace suiji::reports::detail {

// The five XML/HTML specials (& < > " ') as entities: safe in text and in quoted attributes.
std::string EscapeXml(std::string_view s);

// v with exactly `decimals` digits after the point, "-0" printed as "0"; NaN/inf as "".
std::string FormatFixed(double v, int decimals);
// The shortest text that reads back as v ("0.072", "212"), no exponent below 1e16, no grouping.
std::string FormatPlain(double v);
// A value as a chart labels it: percent → "7.2%" (1 decimal); otherwise integers grouped ("12,345"),
// others with 2 significant decimals at most ("3.14", "12.5").
std::string FormatValue(double v, bool percent);
// Digits grouped by thousands with ',' ("1234567.5" → "1,234,567.5"); anything not a plain number as is.
std::string GroupThousands(std::string_view plain);

// Display width of UTF-8 text in half-width units: East Asian wide and full-width characters count 2.
int DisplayWidth(std::string_view utf8);
// Code points in UTF-8 text (malformed bytes count one each).
int CodePoints(std::string_view utf8);
// The first `n` code points of s.
std::string TruncateCodePoints(std::string_view s, int n);

// zh or en by lang: for the renderers' own words ("暂无数据" / "No data").
inline const char* Say(Lang lang, const char* zh, const char* en) { return lang == Lang::kEn ? en : zh; }

// The report's kind and audience in words ("抽查计划报告", "公开版"); unknown values as they are.
std::string KindWords(const std::string& kind, Lang lang);
std::string AudienceWords(const std::string& audience, Lang lang);

// "bar" | "stacked" | "line" | "interval";  "text" | "integer" | "decimal" | "percent" | "date".
const char* ChartKindName(ChartKind kind);
const char* ColumnKindName(ColumnKind kind);
bool IsNumeric(ColumnKind kind);  // integer, decimal, percent: right-aligned, written as numbers

// The row's i-th cell, or an empty one when the row is short (a builder's slip must not crash a render).
const Cell& CellAt(const std::vector<Cell>& row, std::size_t i);

}  // namespace suiji::reports::detail
