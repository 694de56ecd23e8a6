// A small valid plan the tests edit one field at a time.
#pragma once
#include <gtest/gtest.h>

#include <string>

namespace suiji::rules::testing {

inline const char* kMinimalPlan = R"(id: T-1
title: test plan
org_unit: 511702-SAMR
year: 2026
departments:
  - code: SAMR
    officers: 2
items: [I-1]
filter:
  regions: [511702]
strata:
  - class: A
    ratio_bp: 500
  - class: B
    ratio_bp: 1000
  - class: C
    ratio_bp: 3000
  - class: D
    ratio_bp: 8000
  - class: unclassified
    ratio_bp: 500
schedule:
  start: 2026-10-01
  end: 2026-12-31
entropy:
  source: dice
  digits: 20
)";

// kMinimalPlan with the first occurrence of `from` replaced by `to`.
inline std::string Edit(const std::string& from, const std::string& to, std::string base = kMinimalPlan) {
  auto pos = base.find(from);
  if (pos == std::string::npos) {
    ADD_FAILURE() << "edit target not found: " << from;
    return base;
  }
  return base.replace(pos, from.size(), to);
}

}  // namespace suiji::rules::testing
