// Helpers shared by the import tests.
#pragma once
#include <gtest/gtest.h>

#include <string>

#include "core/identifiers.h"
#include "core/region.h"

namespace suiji::import::testing {

inline const RegionTable& Regions() {
  static const RegionTable t = [] {
    auto r = RegionTable::LoadCsv(std::string(SUIJI_SOURCE_DIR) + "/data/reference/regions.csv");
    EXPECT_TRUE(r.ok());
    return r.ok() ? r.value() : RegionTable{};
  }();
  return t;
}

// A valid USCC from its first 17 characters.
inline std::string Uscc(const std::string& first17) { return first17 + UsccCheckChar(first17); }
inline std::string RegNo(const std::string& first14) { return first14 + RegNoCheckDigit(first14); }

inline std::string Fixture(const std::string& name) {
  return std::string(SUIJI_SOURCE_DIR) + "/data/examples/registers/" + name;
}

}  // namespace suiji::import::testing
