// Cell-level normalisation shared by the register validators: trimming, multi-valued cells,
// dates as people type them, and the closed vocabularies (status, entity type, item class).
// Every function is pure; errors carry a stable code (see docs/data-formats.md).
#pragma once
#include <string>
#include <string_view>
#include <vector>

#include "core/entity_types.h"
#include "core/result.h"

namespace suiji::import {

// Trims ASCII white space, U+3000 (ideographic space) and U+00A0 (no-break space) at both ends.
std::string_view Trim(std::string_view s);

// Splits a multi-valued cell on ';' '；' '|' '、' ',' '，' and line breaks; trims, drops empty parts
// and repeats (first occurrence wins, order kept).
std::vector<std::string> SplitList(std::string_view cell);
// The same without '、' and commas, for legal citations ("《产品质量法》第十五条、第四十九条" is one).
std::vector<std::string> SplitCitations(std::string_view cell);

// Dates: 2015-03-07, 2015/3/7, 2015.3.7, 20150307, 2015年3月7日, "2015/3/7 0:00" (Excel date-time)
// -> "2015-03-07". An Excel serial number (e.g. 42070) is converted too, with `*excel_serial` set so
// the caller can flag it. Errors: date.format.
Result<std::string> NormalizeDate(std::string_view cell, bool* excel_serial = nullptr);

// Entity status: active | deregistered | revoked | abnormal; Chinese register wording accepted
// (存续/在业/开业 -> active, 注销 -> deregistered, 吊销 -> revoked, 经营异常 -> abnormal).
// Empty -> active. Errors: status.unknown.
Result<std::string> NormalizeEntityStatus(std::string_view cell);
// Entity type: company | branch | partnership | sole_proprietorship | sole_proprietor | cooperative |
// other, from English names or the Chinese 企业类型 wording (有限责任公司 -> company, 分公司 -> branch,
// 合伙企业 -> partnership, 个人独资企业 -> sole_proprietorship, 个体工商户 -> sole_proprietor,
// 农民专业合作社 -> cooperative). Empty stays empty. Errors: entity_type.unknown.
Result<std::string> NormalizeEntityType(std::string_view cell);
// The entity type of a row from its 企业类型 label and/or 企业类型代码 (either may be empty), over the
// national table (core/entity_types.h): a code in the table wins, else a label (or spelling variant) in
// the table; a label in no table is kept as it is, its class from its wording by NormalizeEntityType's
// rules, else "other" (in_table false: the caller flags entity_type.unmapped). Never an error.
struct EntityTypeMatch {
  std::string cls, code, label;
  bool in_table = false;
  bool code_unknown = false;  // a code was given but is not in the table
  bool disagree = false;      // code and label both in the table but name different types
};
EntityTypeMatch ClassifyEntityType(std::string_view label, std::string_view code);

// Officer status: active | suspended | retired (在职/在岗, 暂停/停用, 退休/离职/调离). Empty -> active.
Result<std::string> NormalizeOfficerStatus(std::string_view cell);
// Item class: general | key (一般 / 重点). Empty -> general. Errors: item_class.unknown.
Result<std::string> NormalizeItemClass(std::string_view cell);

// Org-unit level: national | province | city | county | station, from English or Chinese
// (国家, 省级, 市级, 县级, 所/监管所/市场监管所, and the common variants). Errors: level.unknown
// (an empty cell too: a unit must say its level).
Result<std::string> NormalizeOrgLevel(std::string_view cell);

// ASCII upper-case (qualification and department codes).
std::string UpperAscii(std::string_view s);

}  // namespace suiji::import
