#include "core/entity_types.h"

#include <fstream>

#include "core/region.h"

namespace suiji {
namespace {

void ReplaceAll(std::string& s, std::string_view from, std::string_view to) {
  for (std::size_t p = 0; (p = s.find(from, p)) != std::string::npos; p += to.size()) s.replace(p, from.size(), to);
}

std::vector<std::string> Split(const std::string& line, char sep) {
  std::vector<std::string> out;
  std::size_t start = 0;
  for (;;) {
    auto p = line.find(sep, start);
    out.push_back(line.substr(start, p == std::string::npos ? std::string::npos : p - start));
    if (p == std::string::npos) return out;
    start = p + 1;
  }
}

}  // namespace

const std::vector<std::string>& EntityClasses() {
  static const std::vector<std::string> c{"company",         "branch",     "enterprise", "partnership",
                                          "sole_proprietorship", "sole_proprietor", "cooperative",
                                          "representative_office", "other"};
  return c;
}

std::string EntityTypeTable::LabelKey(std::string_view label) {
  std::string s(label);
  ReplaceAll(s, "\xEF\xBC\x88", "(");  // （
  ReplaceAll(s, "\xEF\xBC\x89", ")");  // ）
  for (std::string_view drop : {"\xEF\xBC\x8C" /*，*/, "\xE3\x80\x81" /*、*/, "\xE3\x80\x80" /*　*/, ",", " ", "\t"})
    ReplaceAll(s, drop, "");
  ReplaceAll(s, "台港澳", "港澳台");
  return s;
}

Result<EntityTypeTable> EntityTypeTable::LoadCsv(const std::string& path) {
  std::ifstream in(path);
  if (!in) return Error{"entity_type.table", "cannot open the entity type table " + path, path};
  EntityTypeTable t;
  std::string line;
  int n = 0;
  while (std::getline(in, line)) {
    ++n;
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.empty() || (n == 1 && line.rfind("code,", 0) == 0)) continue;
    auto cols = Split(line, ',');
    if (cols.size() < 3 || cols[1].empty())
      return Error{"entity_type.table", path + ":" + std::to_string(n) + ": expected code,label,class[,aliases]", path};
    bool known = false;
    for (const auto& c : EntityClasses()) known = known || c == cols[2];
    if (!known) return Error{"entity_type.table", path + ":" + std::to_string(n) + ": unknown class '" + cols[2] + "'", path};
    std::size_t i = t.entries_.size();
    t.entries_.push_back({cols[0], cols[1], cols[2]});
    if (!cols[0].empty() && !t.by_code_.emplace(cols[0], i).second)
      return Error{"entity_type.table", path + ":" + std::to_string(n) + ": code " + cols[0] + " appears twice", path};
    t.by_label_.emplace(LabelKey(cols[1]), i);  // a label already taken keeps its first (domestic) code
    if (cols.size() > 3)
      for (const auto& a : Split(cols[3], ';'))
        if (!a.empty()) t.by_label_.emplace(LabelKey(a), i);
  }
  return t;
}

const EntityTypeTable& EntityTypeTable::Default() {
  static const EntityTypeTable table = [] {
    auto t = LoadCsv(DataDir() + "/reference/entity_types.csv");
    if (t.ok()) return std::move(t).value();
    EntityTypeTable empty;
    empty.error_ = t.error().message;
    return empty;
  }();
  return table;
}

const EntityTypeEntry* EntityTypeTable::ByCode(std::string_view code) const {
  auto it = by_code_.find(std::string(code));
  return it == by_code_.end() ? nullptr : &entries_[it->second];
}

const EntityTypeEntry* EntityTypeTable::ByLabel(std::string_view label) const {
  auto it = by_label_.find(LabelKey(label));
  return it == by_label_.end() ? nullptr : &entries_[it->second];
}

}  // namespace suiji
