// Register schemas: the fields of each import format and the header labels (Chinese and English)
// that name them. MapHeader turns a file's header row into a column map and file-level findings.
//
// Header labels are compared after normalisation: trimmed, a leading '*' (required-field marker in
// government templates) dropped, full-width brackets made ASCII, ASCII lower-cased, inner spaces
// removed. So "* 统一社会信用代码", "统一社会信用代码" and "ID" all match. The full alias table is in
// docs/data-formats.md.
#pragma once
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "data/import/report.h"

namespace suiji::import {

enum class RegisterKind {
  kEntities,   // 检查对象名录库
  kOfficers,   // 执法检查人员名录库
  kItems,      // 抽查事项清单, one row per item
  kItemsGov,   // 抽查事项清单 as published: 编制单位名称/序号/.../检查依据 with merged cells
  kOrgUnits,   // 组织机构 / 执法单位: the org-unit hierarchy (docs/org-units.md)
};
const char* RegisterKindName(RegisterKind k);  // entities | officers | items | items_gov | org_units

struct FieldSpec {
  std::string name;                  // canonical (English) field name, also the English header
  std::string label;                 // the Chinese header exports use
  bool required = false;
  std::vector<std::string> aliases;  // other accepted labels (normalised form)
};

// The fields of a register, in canonical order. Field indices below index this vector.
const std::vector<FieldSpec>& Schema(RegisterKind kind);

namespace entity_field {
// kId is the USCC column, kRegNo the 注册号 column: a file needs at least one of them, and may have both.
enum : int { kId, kName, kRegion, kIndustry, kEntityType, kStatus, kEstablished, kAddress, kLegalRep, kSpecialRegisters,
             kRegNo, kEntityTypeCode, kAuthority, kOrgCode, kCount };
}
namespace officer_field {
enum : int { kCertNo, kName, kOrgUnit, kDepartment, kJurisdictions, kQualifications, kStatus, kConflicts, kCount };
}
namespace org_unit_field {
enum : int { kCode, kName, kLevel, kParent, kRegion, kDepartment, kCount };
}
namespace item_field {  // kItems and kItemsGov share these; kSeq exists only in the government shape
enum : int { kDepartment, kCode, kCategory, kName, kTarget, kItemClass, kMethods, kSubject, kLegalBasis, kIndustries, kQualification, kSeq, kCount };
}

std::string NormalizeHeaderLabel(std::string_view label);

// Which item shape a header is: the government shape has a 序号 column.
RegisterKind DetectItemKind(const std::vector<std::string>& header);

// The label rejects files append to the original header; MapHeader ignores it silently.
inline constexpr std::string_view kRejectReasonLabel = "错误原因";

struct HeaderMap {
  RegisterKind kind = RegisterKind::kEntities;
  const std::vector<FieldSpec>* schema = nullptr;  // the fields mapped (null: Schema(kind))
  std::vector<std::string> columns;  // the header as in the file
  std::vector<int> field_column;     // per schema field: column index or -1
  std::vector<int> column_field;     // per column: field index or -1 (ignored)
  int column_of(int field) const { return field_column[static_cast<std::size_t>(field)]; }
  // The label a user sees for a field: the file's own header when present, else the canonical name.
  std::string label(int field) const;
};

// Errors (file-level, row 1): header.empty, header.missing (names every missing required field and
// the labels that would satisfy it), header.duplicate (two columns for one field).
// Warnings appended to `warnings`: header.unknown for each column that maps to no field (ignored).
Result<HeaderMap> MapHeader(RegisterKind kind, const std::vector<std::string>& header, std::vector<RowError>& warnings);
// The same for any format (the record formats of record_import.h too): `schema` must outlive the map,
// `format` names it in messages; `also_missing` may add a requirement no single field states (an
// entity register needs one of two id columns). Known columns of real exports that suiji does not
// keep (联系电话, 注册资本, 序号, 备注, the rejects file's 错误原因, ...) are ignored without a warning.
Result<HeaderMap> MapColumns(const std::vector<FieldSpec>& schema, const std::string& format,
                             const std::vector<std::string>& header, std::vector<RowError>& warnings,
                             const std::function<std::string(const HeaderMap&)>& also_missing = {});

}  // namespace suiji::import
