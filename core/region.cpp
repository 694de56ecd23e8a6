#include "core/region.h"

#include <cstdlib>
#include <fstream>

#include "core/identifiers.h"

#ifndef SUIJI_DATA_DIR_DEFAULT
#define SUIJI_DATA_DIR_DEFAULT "data"
#endif

namespace suiji {

std::string DataDir() {
  if (const char* d = std::getenv("SUIJI_DATA_DIR"); d && *d) return d;
  return SUIJI_DATA_DIR_DEFAULT;
}

Result<RegionTable> RegionTable::LoadCsv(const std::string& path) {
  std::ifstream in(path);
  if (!in) return Error{"region.table", "cannot open region table " + path, path};
  RegionTable t;
  std::string line;
  int n = 0;
  while (std::getline(in, line)) {
    ++n;
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (n == 1 && line.rfind("code", 0) == 0) continue;  // header
    if (line.empty()) continue;
    auto comma = line.find(',');
    std::string code = line.substr(0, comma);
    if (!ValidateRegionCodeShape(code).ok())
      return Error{"region.table", path + ":" + std::to_string(n) + ": bad region code '" + code + "'", path};
    t.Add(code, comma == std::string::npos ? "" : line.substr(comma + 1));
  }
  return t;
}

Result<RegionTable> RegionTable::LoadDefault() { return LoadCsv(DataDir() + "/reference/regions.csv"); }

void RegionTable::Add(std::string code, std::string name) {
  if (names_.emplace(code, std::move(name)).second) codes_.push_back(std::move(code));
}

bool RegionTable::Contains(std::string_view code) const { return names_.count(std::string(code)) > 0; }

const std::string* RegionTable::Name(std::string_view code) const {
  auto it = names_.find(std::string(code));
  return it == names_.end() ? nullptr : &it->second;
}

Status RegionTable::Validate(std::string_view code) const {
  if (auto st = ValidateRegionCodeShape(code); !st.ok()) return st;
  if (!Contains(code))
    return Error{"region.unknown", "'" + std::string(code) + "' is not a GB/T 2260 region code in data/reference/regions.csv", ""};
  return OkStatus();
}

std::vector<std::string> RegionTable::CountyCodes() const {
  std::vector<std::string> out;
  for (const auto& c : codes_)
    if (c.compare(4, 2, "00") != 0) out.push_back(c);
  return out;
}

bool RegionTable::Covers(std::string_view outer, std::string_view inner) {
  if (outer.size() != 6 || inner.size() != 6) return false;
  if (outer == inner) return true;
  if (outer.substr(2) == "0000") return inner.substr(0, 2) == outer.substr(0, 2);
  if (outer.substr(4) == "00") return inner.substr(0, 4) == outer.substr(0, 4);
  return false;
}

}  // namespace suiji
