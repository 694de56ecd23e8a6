// EntityTypeTable: the national market-entity type code table (企业类型代码: 内资公司 1xxx, 内资分公司
// 2xxx, 非公司企业法人 3xxx, 非法人企业 and 合伙/个人独资 4xxx, 外商投资 5xxx, 港澳台投资 6xxx, 外国(地区)
// 企业 7xxx, 农民专业合作社 9xxx), kept in data/reference/entity_types.csv with code, Chinese label, the
// coarse class plans filter on, and common spelling variants.
//
// Lookups compare labels after normalisation (LabelKey): spaces dropped, full-width brackets and
// commas made ASCII then brackets kept and commas, '、' and '，' dropped, 台港澳 and 港、澳、台 read
// as 港澳台, 外国（地区） as 外国(地区). So "有限责任公司（自然人投资或控股）" finds 1130.
#pragma once
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "core/result.h"

namespace suiji {

struct EntityTypeEntry {
  std::string code;   // 4 digits; '' for 个体工商户 (registered outside the enterprise code table)
  std::string label;  // the table's label
  std::string cls;    // company | branch | enterprise | partnership | sole_proprietorship |
                      // sole_proprietor | cooperative | representative_office | other
};

class EntityTypeTable {
 public:
  // Columns code,label,class,aliases (aliases separated by ';'). Errors: entity_type.table.
  static Result<EntityTypeTable> LoadCsv(const std::string& path);
  // <data dir>/reference/entity_types.csv, loaded once per process; an unreadable file leaves the
  // table empty (every label then goes to the wording rules of the caller) and the error in error().
  static const EntityTypeTable& Default();

  const EntityTypeEntry* ByCode(std::string_view code) const;
  const EntityTypeEntry* ByLabel(std::string_view label) const;  // label or alias, normalised
  const std::vector<EntityTypeEntry>& entries() const { return entries_; }
  const std::string& error() const { return error_; }

  static std::string LabelKey(std::string_view label);

 private:
  std::vector<EntityTypeEntry> entries_;
  std::unordered_map<std::string, std::size_t> by_code_, by_label_;
  std::string error_;
};

// The coarse classes, for validating plans and documents.
const std::vector<std::string>& EntityClasses();

}  // namespace suiji
