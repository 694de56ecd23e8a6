// Input checks of the Thrift service: wire values in, validated backend values (or an Error) out.
//
// Pure functions, no I/O. Errors carry code "invalid" (or "forbidden" for a push on behalf of another
// department), a message that names the offending value (without the field: the service prefixes
// "field: "), and `field`, the argument path given by the caller (e.g. "penalties[2]") extended by the
// field name ("penalties[2].decided_on").
//
// Text rules: every string must be valid UTF-8 without control characters (they are stored and served
// again, and every Thrift language expects UTF-8); required strings must be non-empty after trimming;
// at most kMaxTextLength bytes. Dates are YYYY-MM-DD, not before 1949-10-01 and not after `today`.
#pragma once
#include <string>
#include <string_view>

#include "api/thrift/credit_backend.h"
#include "thriftgen/suiji_types.h"

namespace suiji::rpc {

inline constexpr std::size_t kMaxCodeLength = 64;    // bytes; the longest real legacy ids are ~30
inline constexpr std::size_t kMaxTextLength = 4096;  // bytes, any other string field
inline constexpr const char* kErrForbidden = "forbidden";

// For an error message: at most 64 bytes of `raw` in single quotes, bytes that are not printable
// ASCII or part of valid UTF-8 escaped as \xNN, "..." when truncated.
std::string QuoteForMessage(std::string_view raw);

bool IsValidUtf8(std::string_view s);

// An entity code as the caller sent it -> the parsed id (core ParseEntityId, after the text rules).
Result<EntityId> ParseCode(std::string_view raw, const std::string& field);

Result<Penalty> ToPenalty(const thriftgen::Penalty& in, const std::string& field, Date today);
Result<ListDecision> ToListDecision(const thriftgen::ListDecision& in, const std::string& field, Date today);
Result<RepairDecision> ToRepair(const thriftgen::RepairDecision& in, const std::string& field, Date today);
// `department` is the caller's: an empty source_department takes it, a different one is forbidden.
Result<ExternalIndicator> ToIndicator(const thriftgen::ExternalIndicator& in, const std::string& field, Date today,
                                      const std::string& department);

}  // namespace suiji::rpc
