// RegionTable: the GB/T 2260 administrative region codes shipped in data/reference/regions.csv
// (columns code,name). Codes are 6 digits: province (2) + city (2) + county (2); a code ending in
// 0000 is a province, in 00 a city. Covers(a, b) tells whether region a contains region b.
#pragma once
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "core/result.h"

namespace suiji {

class RegionTable {
 public:
  static Result<RegionTable> LoadCsv(const std::string& path);
  // Loads <data dir>/reference/regions.csv; the data dir is $SUIJI_DATA_DIR or the build default.
  static Result<RegionTable> LoadDefault();

  void Add(std::string code, std::string name);
  bool Contains(std::string_view code) const;
  const std::string* Name(std::string_view code) const;
  Status Validate(std::string_view code) const;  // shape + membership
  std::size_t size() const { return names_.size(); }
  const std::vector<std::string>& codes() const { return codes_; }  // in file order
  // County-level codes (not ending in 00), useful for generating registers.
  std::vector<std::string> CountyCodes() const;

  // True when `outer` is `inner` or an ancestor of it (province 510000 covers 510502).
  static bool Covers(std::string_view outer, std::string_view inner);

 private:
  std::unordered_map<std::string, std::string> names_;
  std::vector<std::string> codes_;
};

// The data directory: $SUIJI_DATA_DIR if set, else the compiled-in source data/ folder.
std::string DataDir();

}  // namespace suiji
