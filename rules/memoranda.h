// Memoranda: joint-punishment (联合惩戒) rules, read from a YAML rules file.
//
// A memorandum of understanding (合作备忘录) signed by several departments says: when an entity meets
// a trigger (it is on a list, or it received a penalty of some type), each signatory department
// applies a measure, on a legal basis, for a duration. credit/flags.h turns these rules plus list
// memberships and penalties into Flags.
//
//   version: "2024-01"
//   memoranda:
//     - id: serious-violation-2018
//       title: 关于对严重违法失信企业实施联合惩戒的合作备忘录
//       document: 发改财金〔2018〕xxx号          # optional
//       trigger: {list: serious}                # or {list: abnormal} or {penalty_type: revocation}
//       measures:
//         - id: procurement
//           measure: 限制参加政府采购活动
//           department: 财政部
//           legal_basis: 《中华人民共和国政府采购法》第二十二条
//           duration: while_listed               # or {years: 3}: from the trigger, ending early if
//                                                # the entity leaves the list
// Errors name file, line and field. Pure: ParseMemoranda works on text; LoadMemoranda reads a file.
#pragma once
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"

namespace suiji::rules {

// The two public lists.
enum class ListKind { kAbnormal, kSerious };
const char* ListKindName(ListKind k);  // "abnormal" (经营异常名录), "serious" (严重违法失信名单)
std::optional<ListKind> ParseListKind(std::string_view s);

struct Trigger {
  std::optional<ListKind> list;  // exactly one of list / penalty_type is set
  std::string penalty_type;      // e.g. "revocation", "suspension", "fine"
};

struct Measure {
  std::string id;  // unique within its memorandum
  std::string measure;
  std::string department;
  std::string legal_basis;
  bool while_listed = false;  // duration: while the trigger's list membership lasts
  int years = 0;              // duration in years when !while_listed (ends early on leaving the list)
  int line = 0;
};

struct Memorandum {
  std::string id;
  std::string title;
  std::string document;
  Trigger trigger;
  std::vector<Measure> measures;
  int line = 0;
};

struct Memoranda {
  std::string version;
  std::vector<Memorandum> memoranda;
  std::string digest;  // SHA-256 hex of the file text
};

Result<Memoranda> ParseMemoranda(std::string_view yaml_text, std::string_view file = "<memoranda>");
Result<Memoranda> LoadMemoranda(const std::string& path);

}  // namespace suiji::rules
