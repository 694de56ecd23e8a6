// The domain vocabulary shared by every part: the three registers (一单两库) and org units.
// Plain values; validation lives beside the identifiers (identifiers.h) and in the importers.
#pragma once
#include <optional>
#include <string>
#include <vector>

#include "core/identifiers.h"

namespace suiji {

// An entry of the register of inspected entities (检查对象名录库).
struct Entity {
  EntityId id;                     // primary: the USCC when it has one, else registration number or legacy id
  std::string regno;               // 注册号 (15 digits, or a legacy number), a second indexed id; '' if none
  std::string name;                // 名称
  std::string entity_type;         // the plans' coarse class: company, branch, enterprise, partnership,
                                   // sole_proprietorship, sole_proprietor, cooperative,
                                   // representative_office, other (data/reference/entity_types.csv)
  std::string type_code;           // 企业类型代码 of the national table, '' when unknown
  std::string type_label;          // 企业类型 as the register names it (the table's label, else the raw one)
  std::string region;              // GB/T 2260 code of the registering authority's area
  std::string industry;            // GB/T 4754 code
  std::string status = "active";   // active | deregistered | revoked | abnormal | other (label kept in status_label)
  std::string status_label;        // 登记状态 as the register names it, kept when it maps to "other"
  std::string established;         // YYYY-MM-DD or empty
  std::string address;
  std::string legal_rep;           // 法定代表人
  std::vector<std::string> special_registers;  // 特殊名录, e.g. "food", "special_equipment"
  // What the import repaired or kept unmapped in this row (its provenance), e.g. "region.derived",
  // "name.from_operator", "id.excel_float", "entity_type.unmapped"; sorted, no repeats.
  std::vector<std::string> repairs;
  bool operator==(const Entity&) const = default;
};

// An entry of the register of enforcement officers (执法检查人员名录库).
struct Officer {
  std::string cert_no;             // 执法证号, the stable identifier
  std::string name;
  std::string org_unit;            // OrgUnit code
  std::string department;          // e.g. "SAMR", "MEE", "TAX"
  std::vector<std::string> jurisdictions;   // region codes the officer may inspect
  std::vector<std::string> qualifications;  // e.g. "FOOD", "DRUG", "SPECIAL_EQUIPMENT"
  std::string status = "active";   // active | suspended | retired
  std::vector<std::string> conflicts;       // entity ids the officer declared a conflict with
  bool operator==(const Officer&) const = default;
};

// An entry of the inspection-item list (抽查事项清单).
struct InspectionItem {
  std::string department;          // 编制单位 / department
  std::string code;                // 序号-derived or explicit stable code
  std::string category;            // 抽查类别
  std::string name;                // 抽查事项
  std::string target;              // 检查对象
  std::string item_class = "general";  // 事项类别: general (一般) | key (重点)
  std::vector<std::string> methods;    // 检查方式
  std::string subject;                 // 检查主体
  std::vector<std::string> legal_basis;  // 检查依据, one entry per law/article
  std::vector<std::string> industries;   // applicable GB/T 4754 codes (prefix match); empty = all
  std::string qualification;             // required officer qualification, empty = none
  bool operator==(const InspectionItem&) const = default;
};

// A node of the org-unit hierarchy (组织机构): national > province > city > county > station (监管所).
struct OrgUnit {
  std::string code;                // e.g. "510000-SAMR"
  std::string name;
  std::string level;               // national | province | city | county | station (core/org_units.h)
  std::string parent;              // empty for a root
  std::string region;              // GB/T 2260 code the unit governs ("" or 100000 for a national unit)
  std::string department = {};     // e.g. "SAMR", "MEE"; may be empty
  bool operator==(const OrgUnit&) const = default;
};

}  // namespace suiji
