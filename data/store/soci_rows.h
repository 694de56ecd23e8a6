// Internal to data/store: reading SOCI dynamic rows as text whatever type a backend reports (SQLite
// and PostgreSQL disagree on integer widths), and turning exceptions into Result errors.
#pragma once
#include <soci/soci.h>

#include <cstdint>
#include <string>
#include <string_view>

#include "data/store/database.h"

namespace suiji::store {

inline std::string RowText(const soci::row& r, std::size_t i) {
  if (r.get_indicator(i) == soci::i_null) return "";
  switch (r.get_properties(i).get_data_type()) {
    case soci::dt_string: return r.get<std::string>(i);
    case soci::dt_integer: return std::to_string(r.get<int>(i));
    case soci::dt_long_long: return std::to_string(r.get<long long>(i));
    case soci::dt_unsigned_long_long: return std::to_string(r.get<unsigned long long>(i));
    default: return r.get<std::string>(i);
  }
}
inline std::int64_t RowInt(const soci::row& r, std::size_t i) { return std::stoll(RowText(r, i)); }

// Runs f; any exception (SOCI error, bad_alloc) becomes an Error with `code`.
template <typename F>
auto Guard(std::string_view code, F&& f) -> decltype(f()) {
  try {
    return f();
  } catch (const std::exception& e) {
    return StoreError(code, e);
  }
}

}  // namespace suiji::store
