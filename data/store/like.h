// SQL LIKE patterns built from user input, for bound parameters (never spliced into SQL text).
#pragma once
#include <string>

namespace suiji::store {

// LIKE with '\' as the escape character (write `LIKE :p ESCAPE '\'`): a user's % and _ match themselves.
inline std::string LikeEscaped(const std::string& s) {
  std::string out;
  for (char c : s) {
    if (c == '%' || c == '_' || c == '\\') out += '\\';
    out += c;
  }
  return out;
}

// The code prefix a region covers: 510000 -> "51", 510100 -> "5101", 510104 -> "510104".
inline std::string RegionPrefix(const std::string& code) {
  if (code.size() == 6 && code.compare(2, 4, "0000") == 0) return code.substr(0, 2);
  if (code.size() == 6 && code.compare(4, 2, "00") == 0) return code.substr(0, 4);
  return code;
}

// The pattern matching every region `code` covers ("" matches everything).
inline std::string RegionLike(const std::string& code) { return code.empty() ? "%" : LikeEscaped(RegionPrefix(code)) + "%"; }

}  // namespace suiji::store
