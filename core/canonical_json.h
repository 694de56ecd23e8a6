// Canonical JSON: the byte form that digests and commitments are computed over.
// Rules: object keys sorted by UTF-8 bytes (nlohmann::json's std::map order), no insignificant
// whitespace, strings as UTF-8 (not \u-escaped), integers only (no floating point in anything hashed).
#pragma once
#include <nlohmann/json.hpp>
#include <string>

namespace suiji {

using Json = nlohmann::json;

inline std::string CanonicalJson(const Json& j) {
  return j.dump(-1, ' ', /*ensure_ascii=*/false, Json::error_handler_t::strict);
}

}  // namespace suiji
