// Internal: strict field access for parsing commitment documents and bundles. Every failure names
// the JSON path and what was expected, so a bad document is refused with a precise reason.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "core/canonical_json.h"
#include "core/result.h"

namespace suiji::sampler::internal {

inline Error FieldError(const std::string& path, const std::string& what) {
  return Error{"document.field", path + ": " + what, path};
}

inline Status ReadString(const Json& j, const char* key, const std::string& path, std::string& out) {
  if (!j.is_object() || !j.contains(key)) return FieldError(path + "." + key, "missing");
  if (!j[key].is_string()) return FieldError(path + "." + key, "expected a string");
  out = j[key].get<std::string>();
  return OkStatus();
}

inline Status ReadInt(const Json& j, const char* key, const std::string& path, std::int64_t& out) {
  if (!j.is_object() || !j.contains(key)) return FieldError(path + "." + key, "missing");
  if (!j[key].is_number_integer()) return FieldError(path + "." + key, "expected an integer");
  out = j[key].get<std::int64_t>();
  return OkStatus();
}

inline Status ReadStrings(const Json& j, const char* key, const std::string& path,
                          std::vector<std::string>& out) {
  if (!j.is_object() || !j.contains(key)) return FieldError(path + "." + key, "missing");
  if (!j[key].is_array()) return FieldError(path + "." + key, "expected an array of strings");
  out.clear();
  out.reserve(j[key].size());
  for (std::size_t i = 0; i < j[key].size(); ++i) {
    if (!j[key][i].is_string())
      return FieldError(path + "." + key + "[" + std::to_string(i) + "]", "expected a string");
    out.push_back(j[key][i].get<std::string>());
  }
  return OkStatus();
}

inline bool IsLowerHex(const std::string& s, std::size_t n) {
  if (s.size() != n) return false;
  for (char c : s)
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  return true;
}

// Canonical bytes, or an error if a string is not valid UTF-8 (nlohmann throws; we do not).
inline Result<std::string> TryCanonical(const Json& j) {
  try {
    return CanonicalJson(j);
  } catch (const std::exception& e) {
    return Error{"document.utf8", std::string("cannot serialise: ") + e.what(), ""};
  }
}

}  // namespace suiji::sampler::internal
