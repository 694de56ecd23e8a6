// Shared by the libFuzzer targets (tests/fuzz/*_fuzz.cpp): a failed invariant aborts with its reason (the
// fuzzer then saves the input), and files of the repository are found from this header's own path
// (run.sh compiles with absolute paths).
#pragma once
#include <cstdio>
#include <cstdlib>
#include <string>

#include "core/region.h"

namespace suiji::fuzz {

inline void Check(bool ok, const char* what) {
  if (!ok) {
    std::fprintf(stderr, "fuzz invariant failed: %s\n", what);
    std::abort();
  }
}

// A path from the repository root, e.g. RepoPath("docs/openapi.yaml").
inline std::string RepoPath(const std::string& relative) {
  std::string here = __FILE__;
  return here.substr(0, here.rfind('/')) + "/../../" + relative;
}

// data/reference/regions.csv, the table the product ships; loaded once.
inline const RegionTable& ShippedRegions() {
  static const RegionTable table = [] {
    auto r = RegionTable::LoadCsv(RepoPath("data/reference/regions.csv"));
    Check(r.ok(), "cannot load data/reference/regions.csv");
    return r.value();
  }();
  return table;
}

}  // namespace suiji::fuzz
