// Row validators: one CSV row (already split and decoded) -> one domain value, or the complete list
// of what is wrong with it. Pure functions; the streaming, duplicates and counting live in importer.h.
//
// Every problem becomes a RowError naming row, column (the file's own header label), value, code and
// reason; a row is accepted only when it has no errors. Warnings (e.g. id.legacy) do not reject.
#pragma once
#include <string>
#include <string_view>
#include <unordered_set>
#include <vector>

#include "core/domain.h"
#include "core/region.h"
#include "data/import/report.h"
#include "data/import/schema.h"

namespace suiji::import {

// A row seen through its header map.
struct RowView {
  const HeaderMap* map = nullptr;
  const std::vector<std::string>* fields = nullptr;
  std::int64_t row = 0;
  // The trimmed cell of a field; empty when the column is absent. An Excel text formula ="..." is
  // unwrapped to its text.
  std::string_view cell(int field) const;
};

struct Findings {
  std::vector<RowError> errors;
  std::vector<RowError> warnings;
  void Error(const RowView& r, int field, std::string_view value, std::string code, std::string reason);
  void Warn(const RowView& r, int field, std::string_view value, std::string code, std::string reason);
};

struct EntityRowOptions {
  std::string default_region;  // `--region CODE`: the region of rows that have none (already validated)
};

// Fills `out` and returns true when the row has no errors.
// Entities (docs/data-formats.md, "Entities as real exports have them"): the primary id is the USCC
// when the row has a valid one, else its registration number, else a legacy id; a cell holding no
// valid id (an Excel float, a bad check character) is a warning when another gives the row an id.
// A missing region comes from --region, a 6-digit 登记机关 code, or the USCC / registration number
// (region.derived); a sole trader with no name is named after its operator (name.from_operator);
// types and statuses in no table are kept (entity_type.unmapped, status.unmapped). Each such repair
// is listed in Entity::repairs.
bool ValidateEntityRow(const RowView& row, const RegionTable& regions, Entity& out, Findings& f,
                       const EntityRowOptions& opt = {});
struct OfficerRowOptions {
  // The stored org units' codes: when non-empty, an officer's org unit must be one of them
  // (org_unit.unknown). Empty (no org units loaded): not checked, as before org units existed.
  const std::unordered_set<std::string>* org_units = nullptr;
};
bool ValidateOfficerRow(const RowView& row, const RegionTable& regions, Officer& out, Findings& f,
                        const OfficerRowOptions& opt = {});
// One org unit on its own (docs/org-units.md): code, name and level required, the level in English
// or Chinese (level.unknown), the region in the table (a national unit: 100000 or empty), the
// department upper-cased. The tree (parents, roots, cycles, levels and regions against the parent)
// is checked over the whole file and the stored units by the importer (core/org_units.h).
bool ValidateOrgUnitRow(const RowView& row, const RegionTable& regions, OrgUnit& out, Findings& f);
// Simple item shape (one row per item). For the government shape `legal_basis` holds the citations
// gathered from the item's continuation rows and `code` is derived from 编制单位名称 + 序号.
bool ValidateItemRow(const RowView& row, InspectionItem& out, Findings& f);

// "四川省市场监督管理局" + "3." -> "四川省市场监督管理局-3": the code of a government-list item with no
// 事项编码 column. Trailing '.', '、' and spaces are dropped from 序号.
std::string DerivedItemCode(std::string_view department, std::string_view seq);

}  // namespace suiji::import
