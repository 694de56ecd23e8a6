#include "core/identifiers.h"

#include <array>
#include <cctype>
#include <string>

namespace suiji {
namespace {

constexpr std::string_view kUsccChars = "0123456789ABCDEFGHJKLMNPQRTUWXY";
constexpr std::array<int, 17> kUsccWeights = {1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28};

int UsccValue(char c) {
  auto p = kUsccChars.find(c);
  return p == std::string_view::npos ? -1 : static_cast<int>(p);
}

bool AllDigits(std::string_view s) {
  for (char c : s)
    if (c < '0' || c > '9') return false;
  return !s.empty();
}

// "9.14690062012665e+17", "9.1469E+17", "914690062012665000.0": what Excel does to a long code.
bool LooksLikeExcelFloat(std::string_view s) {
  // An exponent needs digits after it: "91510104000000031E" is a valid USCC, not a float.
  bool digit = false, dot = false, exp = false, exp_digit = false;
  for (std::size_t i = 0; i < s.size(); ++i) {
    char c = s[i];
    if (c >= '0' && c <= '9') { digit = true; exp_digit = exp; }
    else if (c == '.' && !dot && !exp) dot = true;
    else if ((c == 'E' || c == 'e') && digit && !exp) {
      exp = true;
      if (i + 1 < s.size() && (s[i + 1] == '+' || s[i + 1] == '-')) ++i;
    } else return false;
  }
  return digit && (exp ? exp_digit : dot);
}

}  // namespace

const char* IdKindName(IdKind k) {
  switch (k) {
    case IdKind::kUscc: return "uscc";
    case IdKind::kRegistrationNumber: return "regno";
    case IdKind::kLegacy: return "legacy";
  }
  return "?";
}

std::string NormalizeId(std::string_view raw) {
  // Trim ASCII whitespace and U+3000 (ideographic space, E3 80 80) at both ends.
  auto is_space_at = [&](std::size_t i, std::size_t& len) {
    unsigned char c = raw[i];
    if (c == ' ' || c == '\t' || c == '\r' || c == '\n') { len = 1; return true; }
    if (c == 0xE3 && i + 2 < raw.size() + 0 && (unsigned char)raw[i + 1] == 0x80 && (unsigned char)raw[i + 2] == 0x80) {
      len = 3; return true;
    }
    return false;
  };
  std::size_t b = 0, len = 0;
  while (b < raw.size() && is_space_at(b, len)) b += len;
  std::size_t e = raw.size();
  while (e > b) {
    if (e - b >= 3 && (unsigned char)raw[e - 3] == 0xE3 && (unsigned char)raw[e - 2] == 0x80 &&
        (unsigned char)raw[e - 1] == 0x80) { e -= 3; continue; }
    unsigned char c = raw[e - 1];
    if (c == ' ' || c == '\t' || c == '\r' || c == '\n') { --e; continue; }
    break;
  }
  std::string out(raw.substr(b, e - b));
  for (char& c : out)
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
  return out;
}

char UsccCheckChar(std::string_view first17) {
  if (first17.size() != 17) return '\0';
  int sum = 0;
  for (int i = 0; i < 17; ++i) {
    int v = UsccValue(first17[i]);
    if (v < 0) return '\0';
    sum += v * kUsccWeights[i];
  }
  int c = 31 - sum % 31;
  return kUsccChars[c == 31 ? 0 : c];
}

Status ValidateUscc(std::string_view code) {
  if (code.size() != 18)
    return Error{"uscc.length", "a unified social credit code has 18 characters, this has " + std::to_string(code.size()), ""};
  for (std::size_t i = 0; i < code.size(); ++i) {
    if (UsccValue(code[i]) < 0)
      return Error{"uscc.charset",
                   "character " + std::to_string(i + 1) + " '" + std::string(1, code[i]) +
                       "' is not allowed in a unified social credit code (I, O, S, V, Z and non-alphanumerics never occur)",
                   ""};
  }
  if (!AllDigits(code.substr(2, 6)))
    return Error{"uscc.region", "characters 3-8 of a unified social credit code are a 6-digit region code", ""};
  char want = UsccCheckChar(code.substr(0, 17));
  if (code[17] != want)
    return Error{"uscc.check",
                 std::string("check character is '") + code[17] + "' but the first 17 characters give '" + want + "'", ""};
  return OkStatus();
}

char RegNoCheckDigit(std::string_view first14) {
  if (first14.size() != 14 || !AllDigits(first14)) return '\0';
  int p = 10;
  for (char ch : first14) {
    int s = (p + (ch - '0')) % 10;
    if (s == 0) s = 10;
    p = (s * 2) % 11;
  }
  return static_cast<char>('0' + (11 - p) % 10);
}

Status ValidateRegNo(std::string_view number) {
  if (number.size() != 15 || !AllDigits(number))
    return Error{"regno.format", "a registration number is 15 digits", ""};
  char want = RegNoCheckDigit(number.substr(0, 14));
  if (number[14] != want)
    return Error{"regno.check",
                 std::string("check digit is '") + number[14] + "' but ISO 7064 MOD 11,10 over the first 14 digits gives '" + want + "'",
                 ""};
  return OkStatus();
}

Result<EntityId> ParseEntityId(std::string_view raw) {
  std::string id = NormalizeId(raw);
  if (id.empty()) return Error{"id.empty", "the identifier is empty", ""};
  // A valid USCC wins over the float heuristic: "91510100000000E125" is a code, not 9.15e+139.
  if (id.size() == 18 && ValidateUscc(id).ok()) return EntityId{id, IdKind::kUscc};
  if (LooksLikeExcelFloat(id))
    return Error{"id.excel_float",
                 "'" + id + "' is a number Excel converted to floating point: digits were lost; re-export the column as text", ""};
  bool all_code_chars = id.size() == 18;
  for (char c : id)
    if (UsccValue(c) < 0) all_code_chars = false;
  if (all_code_chars) {
    auto st = ValidateUscc(id);
    if (!st.ok()) return st.error();
    return EntityId{id, IdKind::kUscc};
  }
  if (id.size() == 18 && AllDigits(id.substr(0, 17)))  // 18 long but a forbidden letter at the end
    return Error{"uscc.charset", "'" + id + "' has 18 characters but is not a valid unified social credit code", ""};
  if (id.size() == 15 && AllDigits(id)) {
    auto st = ValidateRegNo(id);
    if (!st.ok()) return st.error();
    return EntityId{id, IdKind::kRegistrationNumber};
  }
  return EntityId{id, IdKind::kLegacy};
}

// GB/T 4754-2017: the divisions (first two digits) of each section A..T, as [first, last].
constexpr int kSectionDivisions[20][2] = {
    {1, 5},   {6, 12},  {13, 43}, {44, 46}, {47, 50}, {51, 52}, {53, 60}, {61, 62}, {63, 65}, {66, 69},
    {70, 70}, {71, 72}, {73, 75}, {76, 79}, {80, 82}, {83, 83}, {84, 85}, {86, 90}, {91, 96}, {97, 97}};

Status ValidateIndustryCode(std::string_view code) {
  if (code.empty() || code[0] < 'A' || code[0] > 'T')
    return Error{"industry.section", "an industry code starts with a GB/T 4754 section letter A-T", ""};
  auto digits = code.substr(1);
  if (!digits.empty() && (digits.size() < 2 || digits.size() > 4 || !AllDigits(digits)))
    return Error{"industry.format", "after the section letter an industry code has 2 to 4 digits", ""};
  if (!digits.empty()) {
    int division = (digits[0] - '0') * 10 + (digits[1] - '0');
    const int* range = kSectionDivisions[code[0] - 'A'];
    if (division < range[0] || division > range[1]) {
      auto two = [](int d) { return std::string(d < 10 ? "0" : "") + std::to_string(d); };
      std::string owner = "no section";
      for (int s = 0; s < 20; ++s)
        if (division >= kSectionDivisions[s][0] && division <= kSectionDivisions[s][1])
          owner = std::string("section ") + static_cast<char>('A' + s);
      return Error{"industry.division",
                   "GB/T 4754 division " + two(division) + " belongs to " + owner + ", not section " +
                       std::string(1, code[0]) + " (divisions " + two(range[0]) + "-" + two(range[1]) + ")",
                   ""};
    }
  }
  return OkStatus();
}

Status ValidateRegionCodeShape(std::string_view code) {
  if (code.size() != 6 || !AllDigits(code))
    return Error{"region.format", "a region code is 6 digits (GB/T 2260)", ""};
  return OkStatus();
}

}  // namespace suiji
