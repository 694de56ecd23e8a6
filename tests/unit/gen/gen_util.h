#pragma once
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>
#include <string>

#include "core/region.h"

namespace suiji::gen::testing {

inline const RegionTable& Regions() {
  static const RegionTable t = [] {
    auto r = RegionTable::LoadCsv(std::string(SUIJI_SOURCE_DIR) + "/data/reference/regions.csv");
    EXPECT_TRUE(r.ok());
    return r.ok() ? r.value() : RegionTable{};
  }();
  return t;
}

inline std::string Fixture(const std::string& name) {
  return std::string(SUIJI_SOURCE_DIR) + "/data/examples/registers/" + name;
}

inline std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

}  // namespace suiji::gen::testing
