#include "api/thrift/validate.h"

#include <cmath>
#include <cstdint>
#include <cstring>

namespace suiji::rpc {
namespace {

const Date kEarliest = DateFromYmd(1949, 10, 1);

// Length of the valid UTF-8 sequence starting at s[i] (shortest form, no surrogates), or 0.
std::size_t Utf8SeqLen(std::string_view s, std::size_t i) {
  auto b = [&](std::size_t k) { return static_cast<unsigned char>(s[k]); };
  auto cont = [&](std::size_t k) { return k < s.size() && (b(k) & 0xC0) == 0x80; };
  unsigned c = b(i);
  if (c < 0x80) return 1;
  if (c >= 0xC2 && c <= 0xDF) return cont(i + 1) ? 2 : 0;
  if (c >= 0xE0 && c <= 0xEF) {
    if (!cont(i + 1) || !cont(i + 2)) return 0;
    unsigned c1 = b(i + 1);
    if (c == 0xE0 && c1 < 0xA0) return 0;  // overlong
    if (c == 0xED && c1 >= 0xA0) return 0;  // surrogate
    return 3;
  }
  if (c >= 0xF0 && c <= 0xF4) {
    if (!cont(i + 1) || !cont(i + 2) || !cont(i + 3)) return 0;
    unsigned c1 = b(i + 1);
    if (c == 0xF0 && c1 < 0x90) return 0;
    if (c == 0xF4 && c1 >= 0x90) return 0;
    return 4;
  }
  return 0;
}

bool HasControl(std::string_view s) {
  for (unsigned char c : s)
    if (c < 0x20 || c == 0x7F) return true;
  return false;
}

std::string_view Trim(std::string_view s) {
  while (!s.empty() && s.front() == ' ') s.remove_prefix(1);
  while (!s.empty() && s.back() == ' ') s.remove_suffix(1);
  return s;
}

std::string Path(const std::string& base, std::string_view name) {
  if (base.empty()) return std::string(name);
  return base + "." + std::string(name);
}

Error Invalid(std::string field, std::string message) { return Error{"invalid", std::move(message), std::move(field)}; }

// The text rules; returns the trimmed value.
Result<std::string> Text(std::string_view v, const std::string& field, bool required) {
  if (v.size() > kMaxTextLength)
    return Invalid(field, "is " + std::to_string(v.size()) + " bytes long; at most " + std::to_string(kMaxTextLength) +
                              " are accepted");
  if (!IsValidUtf8(v)) return Invalid(field, "is not valid UTF-8: " + QuoteForMessage(v));
  if (HasControl(v)) return Invalid(field, "contains a control character: " + QuoteForMessage(v));
  std::string_view t = Trim(v);
  if (required && t.empty()) return Invalid(field, "must not be empty");
  return std::string(t);
}

Result<Date> Day(std::string_view v, const std::string& field, Date today) {
  auto d = ParseDate(v);
  if (!d) return Invalid(field, QuoteForMessage(v) + " is not a date in YYYY-MM-DD form");
  if (*d < kEarliest) return Invalid(field, FormatDate(*d) + " is before 1949-10-01");
  if (*d > today)
    return Invalid(field, FormatDate(*d) + " is in the future (today is " + FormatDate(today) + ")");
  return *d;
}

bool IsIndicatorName(std::string_view s) {
  if (s.empty() || s.size() > 64) return false;
  for (char c : s)
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '.')) return false;
  return true;
}

// Shorthand: evaluate a Result, return its error from the enclosing function, else bind the value.
#define SUIJI_RPC_ASSIGN(var, expr)             \
  auto var##_r = (expr);                    \
  if (!var##_r) return var##_r.error();     \
  auto var = std::move(var##_r).value()

}  // namespace

bool IsValidUtf8(std::string_view s) {
  for (std::size_t i = 0; i < s.size();) {
    std::size_t n = Utf8SeqLen(s, i);
    if (n == 0) return false;
    i += n;
  }
  return true;
}

std::string QuoteForMessage(std::string_view raw) {
  static const char* kHex = "0123456789abcdef";
  std::string out = "'";
  std::size_t i = 0;
  for (; i < raw.size() && i < 64;) {
    std::size_t n = Utf8SeqLen(raw, i);
    unsigned char c = static_cast<unsigned char>(raw[i]);
    if (n == 0 || (n == 1 && (c < 0x20 || c == 0x7F || c == '\\' || c == '\''))) {
      if (c == '\\' || c == '\'') {
        out += '\\';
        out += static_cast<char>(c);
      } else {
        out += "\\x";
        out += kHex[c >> 4];
        out += kHex[c & 15];
      }
      ++i;
    } else {
      if (i + n > 64) break;
      out.append(raw.substr(i, n));
      i += n;
    }
  }
  out += "'";
  if (i < raw.size()) out += "...";
  return out;
}

Result<EntityId> ParseCode(std::string_view raw, const std::string& field) {
  std::string f = field.empty() ? "code" : field;
  if (raw.size() > kMaxCodeLength)
    return Invalid(f, "code " + QuoteForMessage(raw) + " is " + std::to_string(raw.size()) + " bytes long; at most " +
                          std::to_string(kMaxCodeLength) + " are accepted");
  if (!IsValidUtf8(raw) || HasControl(raw))
    return Invalid(f, "code " + QuoteForMessage(raw) + " contains bytes that are not printable UTF-8");
  auto id = ParseEntityId(raw);
  if (!id) return Invalid(f, "code " + QuoteForMessage(raw) + " is malformed (" + id.error().code + "): " + id.error().message);
  return id;
}

Result<Penalty> ToPenalty(const thriftgen::Penalty& in, const std::string& field, Date today) {
  SUIJI_RPC_ASSIGN(entity, ParseCode(in.entity_code, Path(field, "entity_code")));
  SUIJI_RPC_ASSIGN(decision_no, Text(in.decision_no, Path(field, "decision_no"), true));
  SUIJI_RPC_ASSIGN(authority, Text(in.authority, Path(field, "authority"), true));
  SUIJI_RPC_ASSIGN(decided_on, Day(in.decided_on, Path(field, "decided_on"), today));
  SUIJI_RPC_ASSIGN(category, Text(in.category, Path(field, "category"), true));
  if (in.fine_fen < 0)
    return Invalid(Path(field, "fine_fen"), "is negative (" + std::to_string(in.fine_fen) + " fen)");
  SUIJI_RPC_ASSIGN(legal_basis, Text(in.legal_basis, Path(field, "legal_basis"), true));
  SUIJI_RPC_ASSIGN(description, Text(in.description, Path(field, "description"), false));
  return Penalty{std::move(entity), std::move(decision_no), std::move(authority), decided_on, std::move(category),
                 in.fine_fen, std::move(legal_basis), std::move(description)};
}

Result<ListDecision> ToListDecision(const thriftgen::ListDecision& in, const std::string& field, Date today) {
  SUIJI_RPC_ASSIGN(entity, ParseCode(in.entity_code, Path(field, "entity_code")));
  std::string lf = Path(field, "list_name");
  if (!IsPublicList(in.list_name))
    return Invalid(lf, QuoteForMessage(in.list_name) + " is not a public list (" +
                           std::string(kAbnormalOperations) + ", " + std::string(kSeriousViolation) + ")");
  // The wire may carry any i32 here, and the generated reader stores it in the enum as is; reading
  // it through the enum type would be undefined for values outside the enum, so read the bytes.
  static_assert(sizeof(in.action) == sizeof(std::int32_t));
  std::int32_t raw;
  std::memcpy(&raw, &in.action, sizeof raw);
  ListAction action;
  if (raw == thriftgen::ListAction::ADD)
    action = ListAction::kAdd;
  else if (raw == thriftgen::ListAction::REMOVE)
    action = ListAction::kRemove;
  else
    return Invalid(Path(field, "action"), std::to_string(raw) + " is not ADD (1) or REMOVE (2)");
  SUIJI_RPC_ASSIGN(decision_no, Text(in.decision_no, Path(field, "decision_no"), true));
  SUIJI_RPC_ASSIGN(authority, Text(in.authority, Path(field, "authority"), true));
  SUIJI_RPC_ASSIGN(decided_on, Day(in.decided_on, Path(field, "decided_on"), today));
  SUIJI_RPC_ASSIGN(reason, Text(in.reason, Path(field, "reason"), true));
  return ListDecision{std::move(entity), in.list_name,         action, std::move(decision_no),
                      std::move(authority), decided_on, std::move(reason)};
}

Result<RepairDecision> ToRepair(const thriftgen::RepairDecision& in, const std::string& field, Date today) {
  SUIJI_RPC_ASSIGN(entity, ParseCode(in.entity_code, Path(field, "entity_code")));
  if (!IsPublicList(in.list_name))
    return Invalid(Path(field, "list_name"), QuoteForMessage(in.list_name) + " is not a public list (" +
                                                 std::string(kAbnormalOperations) + ", " +
                                                 std::string(kSeriousViolation) + ")");
  SUIJI_RPC_ASSIGN(decision_no, Text(in.decision_no, Path(field, "decision_no"), true));
  SUIJI_RPC_ASSIGN(authority, Text(in.authority, Path(field, "authority"), true));
  SUIJI_RPC_ASSIGN(decided_on, Day(in.decided_on, Path(field, "decided_on"), today));
  SUIJI_RPC_ASSIGN(reason, Text(in.reason, Path(field, "reason"), true));
  return RepairDecision{std::move(entity), in.list_name, std::move(decision_no), std::move(authority),
                        decided_on, in.granted, std::move(reason)};
}

Result<ExternalIndicator> ToIndicator(const thriftgen::ExternalIndicator& in, const std::string& field, Date today,
                                      const std::string& department) {
  SUIJI_RPC_ASSIGN(entity, ParseCode(in.entity_code, Path(field, "entity_code")));
  std::string nf = Path(field, "indicator");
  if (!IsIndicatorName(in.indicator))
    return Invalid(nf, QuoteForMessage(in.indicator) +
                           " is not an indicator name (1-64 characters a-z, 0-9, '_', '.')");
  if (!std::isfinite(in.value))
    return Invalid(Path(field, "value"), "is not a finite number");
  SUIJI_RPC_ASSIGN(as_of, Day(in.as_of, Path(field, "as_of"), today));
  SUIJI_RPC_ASSIGN(source, Text(in.source_department, Path(field, "source_department"), false));
  if (!source.empty() && source != department)
    return Error{kErrForbidden,
                 "a client of department " + department + " cannot push values on behalf of " + QuoteForMessage(source),
                 Path(field, "source_department")};
  return ExternalIndicator{std::move(entity), in.indicator, in.value, as_of, department};
}

#undef SUIJI_RPC_ASSIGN

}  // namespace suiji::rpc
