// libFuzzer target: identifier checks (core/identifiers.h) and the region table (core/region.h) on any
// bytes. What it asserts:
//   1. NormalizeId is idempotent, and ParseEntityId's value is the normalised input; an accepted id
//      parses again to itself with the same kind (a fixed point).
//   2. An accepted USCC has 18 characters of the set, a digit region in characters 3-8 and the check
//      character UsccCheckChar recomputes; an accepted registration number has 15 digits and the
//      check digit RegNoCheckDigit recomputes.
//   3. Check characters from the input mapped into each alphabet: appending the computed check gives
//      a valid code (USCC: when characters 3-8 are digits), every other check character and every
//      single-character substitution in the body is refused (both schemes catch all single errors).
//   4. ValidateIndustryCode: an accepted code is a section letter A-T plus 0 or 2-4 digits, and its
//      shorter forms (the letter, the letter + division) are accepted too.
//   5. ValidateRegionCodeShape accepts exactly 6 digits; RegionTable::Covers is reflexive on 6-char
//      codes and a province/city covers what its prefix says; the input as a regions.csv either fails
//      to load or gives a table whose every code has the 6-digit shape and Validate()s.
// fuzz-sources: core/identifiers.cpp core/region.cpp
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <string>
#include <string_view>

#include "core/identifiers.h"
#include "core/region.h"
#include "tests/fuzz/fuzz_util.h"

namespace {

using suiji::fuzz::Check;

constexpr std::string_view kUsccSet = "0123456789ABCDEFGHJKLMNPQRTUWXY";

bool Digits(std::string_view s) {
  for (char c : s)
    if (c < '0' || c > '9') return false;
  return true;
}

bool InSet(std::string_view s) {
  for (char c : s)
    if (kUsccSet.find(c) == std::string_view::npos) return false;
  return true;
}

void CheckParse(std::string_view raw) {
  const std::string norm = suiji::NormalizeId(raw);
  Check(suiji::NormalizeId(norm) == norm, "NormalizeId is not idempotent");
  auto r = suiji::ParseEntityId(raw);
  if (!r.ok()) {
    Check(!r.error().code.empty(), "an error without a code");
    return;
  }
  const suiji::EntityId& id = r.value();
  Check(id.value == norm, "ParseEntityId's value is not the normalised input");
  Check(!id.value.empty(), "an accepted empty id");
  auto again = suiji::ParseEntityId(id.value);
  Check(again.ok() && again.value() == id, "an accepted id does not parse to itself");
  if (id.kind == suiji::IdKind::kUscc) {
    Check(id.value.size() == 18 && InSet(id.value) && Digits(id.value.substr(2, 6)), "a malformed USCC accepted");
    Check(suiji::UsccCheckChar(id.value.substr(0, 17)) == id.value[17], "USCC check character disagrees");
    Check(suiji::ValidateUscc(id.value).ok(), "ValidateUscc refuses an accepted USCC");
  } else if (id.kind == suiji::IdKind::kRegistrationNumber) {
    Check(id.value.size() == 15 && Digits(id.value), "a malformed registration number accepted");
    Check(suiji::RegNoCheckDigit(id.value.substr(0, 14)) == id.value[14], "registration check digit disagrees");
    Check(suiji::ValidateRegNo(id.value).ok(), "ValidateRegNo refuses an accepted number");
  } else {
    // A legacy id is never something that looks like a code of either kind.
    Check(!(id.value.size() == 18 && InSet(id.value)), "an 18-character code-set id taken as legacy");
    Check(!(id.value.size() == 15 && Digits(id.value)), "a 15-digit id taken as legacy");
  }
}

void CheckUsccScheme(const std::uint8_t* data, std::size_t size) {
  if (size < 17) return;
  std::string body(17, '0');
  for (int i = 0; i < 17; ++i) body[i] = kUsccSet[data[i] % 31];
  char c = suiji::UsccCheckChar(body);
  Check(c != '\0' && kUsccSet.find(c) != std::string_view::npos, "no check character for a 17-character body");
  const bool region_ok = Digits(body.substr(2, 6));
  Check(suiji::ValidateUscc(body + c).ok() == region_ok, "a computed USCC is not valid");
  if (!region_ok) return;
  auto parsed = suiji::ParseEntityId(body + c);
  Check(parsed.ok() && parsed.value().kind == suiji::IdKind::kUscc, "ParseEntityId refuses a computed USCC");
  for (char other : kUsccSet)
    if (other != c) Check(!suiji::ValidateUscc(body + other).ok(), "a wrong USCC check character accepted");
  // One substitution in the body (position and new character from the input).
  if (size >= 19) {
    std::string bad = body + c;
    std::size_t pos = data[17] % 17;
    char repl = kUsccSet[data[18] % 31];
    if (repl != bad[pos]) {
      bad[pos] = repl;
      Check(!suiji::ValidateUscc(bad).ok(), "a single substitution in a USCC went unnoticed");
    }
  }
}

void CheckRegNoScheme(const std::uint8_t* data, std::size_t size) {
  if (size < 14) return;
  std::string body(14, '0');
  for (int i = 0; i < 14; ++i) body[i] = static_cast<char>('0' + data[i] % 10);
  char c = suiji::RegNoCheckDigit(body);
  Check(c >= '0' && c <= '9', "no check digit for 14 digits");
  Check(suiji::ValidateRegNo(body + c).ok(), "a computed registration number is not valid");
  auto parsed = suiji::ParseEntityId(body + c);
  Check(parsed.ok() && parsed.value().kind == suiji::IdKind::kRegistrationNumber,
        "ParseEntityId refuses a computed registration number");
  for (char other = '0'; other <= '9'; ++other)
    if (other != c) Check(!suiji::ValidateRegNo(body + other).ok(), "a wrong check digit accepted");
  if (size >= 16) {
    std::string bad = body + c;
    std::size_t pos = data[14] % 15;
    char repl = static_cast<char>('0' + data[15] % 10);
    if (repl != bad[pos]) {
      bad[pos] = repl;
      Check(!suiji::ValidateRegNo(bad).ok(), "a single substitution in a registration number went unnoticed");
    }
  }
}

void CheckIndustry(std::string_view s) {
  if (!suiji::ValidateIndustryCode(s).ok()) return;
  Check(!s.empty() && s[0] >= 'A' && s[0] <= 'T', "an industry code with a bad section accepted");
  auto digits = s.substr(1);
  Check(digits.empty() || (digits.size() >= 2 && digits.size() <= 4 && Digits(digits)),
        "an industry code with bad digits accepted");
  Check(suiji::ValidateIndustryCode(s.substr(0, 1)).ok(), "the section of an accepted code is refused");
  if (digits.size() > 2) Check(suiji::ValidateIndustryCode(s.substr(0, 3)).ok(), "the division of an accepted code is refused");
}

void CheckRegion(std::string_view s) {
  const bool shape = suiji::ValidateRegionCodeShape(s).ok();
  Check(shape == (s.size() == 6 && Digits(s)), "ValidateRegionCodeShape is not exactly 6 digits");
  if (s.size() == 6) {
    Check(suiji::RegionTable::Covers(s, s), "Covers is not reflexive");
    if (shape) {
      std::string prov = std::string(s.substr(0, 2)) + "0000", city = std::string(s.substr(0, 4)) + "00";
      Check(suiji::RegionTable::Covers(prov, s), "a province does not cover its code");
      Check(suiji::RegionTable::Covers(city, s), "a city does not cover its code");
    }
  }
}

void CheckRegionTable(const std::string& bytes) {
  static const std::string path = [] {
    std::string p = "/dev/shm/identifiers_fuzz_regions." + std::to_string(getpid()) + ".csv";
    std::atexit([] { std::remove(("/dev/shm/identifiers_fuzz_regions." + std::to_string(getpid()) + ".csv").c_str()); });
    return p;
  }();
  {
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  }
  auto t = suiji::RegionTable::LoadCsv(path);
  if (!t.ok()) return;
  for (const auto& code : t.value().codes()) {
    Check(suiji::ValidateRegionCodeShape(code).ok(), "a loaded region code without the 6-digit shape");
    Check(t.value().Validate(code).ok() && t.value().Name(code) != nullptr, "a loaded region does not validate");
  }
  Check(t.value().codes().size() == t.value().size(), "region codes and names disagree in number");
  (void)t.value().CountyCodes();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string bytes(reinterpret_cast<const char*>(data), size);
  CheckParse(bytes);
  CheckUsccScheme(data, size);
  CheckRegNoScheme(data, size);
  CheckIndustry(bytes);
  CheckRegion(bytes);
  if (size < 512) CheckRegionTable(bytes);
  return 0;
}
