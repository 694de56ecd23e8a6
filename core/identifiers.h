// Identifiers of market entities and places, and their validation.
//
// - Unified social credit code (统一社会信用代码, GB 32100-2015): 18 characters from the 31-character
//   set 0-9 A-H J-N P-R T U W-Y (no I, O, S, V, Z); the 18th is a weighted MOD 31 check character.
//   Characters 3-8 are the administrative region code of the registering authority.
// - Registration number (注册号, GS 15-2006): 15 digits, the last an ISO 7064 MOD 11,10 check digit;
//   digits 1-6 are the region code.
// - Legacy identifiers: anything else a real register holds for entities that never received a code
//   (e.g. 企独琼总字第008245号, 469006NA000129X). Accepted, flagged, never validated beyond non-emptiness.
//
// Normalisation trims ASCII and full-width spaces and upper-cases ASCII letters.
#pragma once
#include <string>
#include <string_view>

#include "core/result.h"

namespace suiji {

enum class IdKind { kUscc, kRegistrationNumber, kLegacy };
const char* IdKindName(IdKind k);  // "uscc", "regno", "legacy"

struct EntityId {
  std::string value;  // normalised
  IdKind kind = IdKind::kUscc;
  bool operator==(const EntityId&) const = default;
};

std::string NormalizeId(std::string_view raw);

// The check character for the first 17 characters of a USCC, or '\0' if one is outside the set.
char UsccCheckChar(std::string_view first17);
// Validates an already-normalised 18-character code; errors: uscc.length, uscc.charset, uscc.check.
Status ValidateUscc(std::string_view code);

// The check digit for the first 14 digits of a registration number.
char RegNoCheckDigit(std::string_view first14);
Status ValidateRegNo(std::string_view number);

// Classifies and validates a raw identifier as found in a register:
//  - 18 characters of the USCC set -> must be a valid USCC (a bad check character is an error,
//    not a legacy id: it is almost always a typo);
//  - 15 digits -> must be a valid registration number;
//  - looks like a number Excel turned into a float ("9.14690062012665e+17") -> error id.excel_float;
//  - anything else non-empty -> legacy.
Result<EntityId> ParseEntityId(std::string_view raw);

// GB/T 4754 industry code: a section letter A-T optionally followed by 2-4 digits ("C", "C13", "C1310")
// whose first two (the division) belong to that section in GB/T 4754-2017 (C: 13-43, F: 51-52, ...).
Status ValidateIndustryCode(std::string_view code);

// Shape check for a GB/T 2260 region code (6 digits); membership is RegionTable's job.
Status ValidateRegionCodeShape(std::string_view code);

}  // namespace suiji
