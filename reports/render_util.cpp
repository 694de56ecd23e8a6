#include "reports/render_util.h"

#include <charconv>
#include <cmath>
#include <cstdint>

namespace suiji::reports::detail {

std::string EscapeXml(std::string_view s) {
  std::string out;
  out.reserve(s.size() + s.size() / 8);
  for (char c : s) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&#39;"; break;
      default:
        // Control characters other than tab/newline are not allowed in XML 1.0: drop them.
        if (static_cast<unsigned char>(c) < 0x20 && c != '\t' && c != '\n' && c != '\r') break;
        out += c;
    }
  }
  return out;
}

std::string FormatFixed(double v, int decimals) {
  if (!std::isfinite(v)) return "";
  char buf[64];
  auto [end, ec] = std::to_chars(buf, buf + sizeof buf, v, std::chars_format::fixed, decimals);
  if (ec != std::errc()) return "";
  std::string s(buf, end);
  if (s[0] == '-' && s.find_first_not_of("-0.") == std::string::npos) s.erase(0, 1);  // "-0.0" → "0.0"
  return s;
}

std::string FormatPlain(double v) {
  if (!std::isfinite(v)) return "";
  if (v == std::floor(v) && std::fabs(v) < 1e16) return std::to_string(static_cast<long long>(v));
  char buf[400];
  auto [end, ec] = std::to_chars(buf, buf + sizeof buf, v, std::chars_format::fixed);
  return ec == std::errc() ? std::string(buf, end) : "";
}

std::string GroupThousands(std::string_view plain) {
  std::size_t start = !plain.empty() && plain[0] == '-' ? 1 : 0;
  std::size_t int_end = plain.find('.');
  if (int_end == std::string_view::npos) int_end = plain.size();
  if (int_end <= start) return std::string(plain);
  for (std::size_t i = start; i < int_end; ++i)
    if (plain[i] < '0' || plain[i] > '9') return std::string(plain);
  std::string out(plain.substr(0, start));
  for (std::size_t i = start; i < int_end; ++i) {
    if (i > start && (int_end - i) % 3 == 0) out += ',';
    out += plain[i];
  }
  out += plain.substr(int_end);
  return out;
}

std::string FormatValue(double v, bool percent) {
  if (!std::isfinite(v)) return "";
  if (percent) return FormatFixed(v * 100.0, 1) + "%";
  if (std::fabs(v - std::round(v)) < 1e-9) return GroupThousands(FormatFixed(std::round(v), 0));
  std::string s = FormatFixed(v, std::fabs(v) >= 100 ? 1 : 2);
  while (s.back() == '0') s.pop_back();
  if (s.back() == '.') s.pop_back();
  return GroupThousands(s);
}

namespace {

// Decodes one code point at s[i], advancing i; malformed bytes decode as themselves, one at a time.
char32_t Next(std::string_view s, std::size_t& i) {
  const auto b = static_cast<unsigned char>(s[i]);
  int len = b < 0x80 ? 1 : (b >> 5) == 0x6 ? 2 : (b >> 4) == 0xE ? 3 : (b >> 3) == 0x1E ? 4 : 1;
  if (i + len > s.size()) len = 1;
  char32_t cp = len == 1 ? b : len == 2 ? (b & 0x1F) : len == 3 ? (b & 0x0F) : (b & 0x07);
  for (int k = 1; k < len; ++k) {
    const auto c = static_cast<unsigned char>(s[i + k]);
    if ((c & 0xC0) != 0x80) {  // not a continuation: treat the lead byte alone
      len = 1;
      cp = b;
      break;
    }
    cp = (cp << 6) | (c & 0x3F);
  }
  i += len;
  return cp;
}

bool Wide(char32_t c) {
  return (c >= 0x1100 && c <= 0x115F) || (c >= 0x2E80 && c <= 0xA4CF && c != 0x303F) || (c >= 0xAC00 && c <= 0xD7A3) ||
         (c >= 0xF900 && c <= 0xFAFF) || (c >= 0xFE30 && c <= 0xFE4F) || (c >= 0xFF00 && c <= 0xFF60) ||
         (c >= 0xFFE0 && c <= 0xFFE6) || (c >= 0x1F300 && c <= 0x1FAFF) || (c >= 0x20000 && c <= 0x3FFFD);
}

}  // namespace

int DisplayWidth(std::string_view utf8) {
  int w = 0;
  for (std::size_t i = 0; i < utf8.size();) w += Wide(Next(utf8, i)) ? 2 : 1;
  return w;
}

int CodePoints(std::string_view utf8) {
  int n = 0;
  for (std::size_t i = 0; i < utf8.size(); ++n) Next(utf8, i);
  return n;
}

std::string TruncateCodePoints(std::string_view s, int n) {
  std::size_t i = 0;
  for (int k = 0; k < n && i < s.size(); ++k) Next(s, i);
  return std::string(s.substr(0, i));
}

std::string KindWords(const std::string& kind, Lang lang) {
  if (kind == "plan") return Say(lang, "抽查计划报告", "Inspection plan report");
  if (kind == "period") return Say(lang, "期间报告", "Period report");
  if (kind == "audit") return Say(lang, "审计报告", "Audit report");
  return kind;
}

std::string AudienceWords(const std::string& audience, Lang lang) {
  if (audience == "public") return Say(lang, "公开版", "Public edition");
  if (audience == "regulator") return Say(lang, "监管版（内部）", "Regulator edition (internal)");
  return audience;
}

const char* ChartKindName(ChartKind kind) {
  switch (kind) {
    case ChartKind::kBar: return "bar";
    case ChartKind::kStacked: return "stacked";
    case ChartKind::kLine: return "line";
    case ChartKind::kInterval: return "interval";
  }
  return "bar";
}

const char* ColumnKindName(ColumnKind kind) {
  switch (kind) {
    case ColumnKind::kText: return "text";
    case ColumnKind::kInteger: return "integer";
    case ColumnKind::kDecimal: return "decimal";
    case ColumnKind::kPercent: return "percent";
    case ColumnKind::kDate: return "date";
  }
  return "text";
}

bool IsNumeric(ColumnKind kind) {
  return kind == ColumnKind::kInteger || kind == ColumnKind::kDecimal || kind == ColumnKind::kPercent;
}

const Cell& CellAt(const std::vector<Cell>& row, std::size_t i) {
  static const Cell kEmpty;
  return i < row.size() ? row[i] : kEmpty;
}

}  // namespace suiji::reports::detail
