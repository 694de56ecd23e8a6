// The plain records credit decisions are made from. Storage, importers and feeds fill them; the
// credit engines only read them. Dates are civil dates (core/date.h); amounts are yuan.
#pragma once
#include <optional>
#include <string>
#include <vector>

#include "core/date.h"
#include "rules/memoranda.h"

namespace suiji::credit {

using rules::ListKind;

// One inspection of one entity (a result of a draw, or any other inspection).
struct InspectionResult {
  std::string entity_id;
  Date date;
  std::string department;
  std::string item_code;           // inspection item, see core InspectionItem::code
  std::string outcome = "no_problem";  // no_problem | problem | not_found (查无下落) | other
  int findings = 0;                // problems found; > 0 counts as a problem whatever the outcome says
  bool HasProblem() const { return outcome == "problem" || findings > 0; }
};

// An administrative penalty decision (行政处罚决定).
struct Penalty {
  std::string entity_id;
  std::string decision_no;         // 处罚决定书文号, the stable identifier
  Date date;                       // decision date
  std::string type;                // warning | fine | confiscation | suspension | revocation | other
  double amount_yuan = 0;          // fine plus confiscated income
  std::string authority;
  bool Severe() const { return type == "suspension" || type == "revocation"; }
};

// The end of a list membership: nothing is deleted, a membership is ended.
struct Removal {
  Date date;
  std::string reason;
  std::string authority;
};

// A membership of the abnormal-operations list (经营异常名录) or the serious-violation list.
struct ListMembership {
  std::string id;                  // stable, e.g. the listing decision number
  std::string entity_id;
  ListKind list = ListKind::kAbnormal;
  std::string reason;              // e.g. "未按规定报送年度报告" (列入事由)
  Date listed;                     // listing date
  std::string authority;           // deciding authority (作出决定机关)
  std::optional<Date> cause_fixed; // abnormal list: the day the entity fixed the cause (e.g. filed the report)
  std::optional<Removal> removal;
  std::string moved_from;          // serious list: the abnormal membership it was moved from, if any
  bool ActiveOn(Date d) const { return listed <= d && (!removal || d < removal->date); }
};

// A substantiated or unsubstantiated complaint or report (投诉举报).
struct Complaint {
  std::string entity_id;
  Date date;
  bool substantiated = false;
};

// An annual report (年度报告) for a report year; due by 30 June of the following year.
struct AnnualReport {
  std::string entity_id;
  int year = 0;
  Date filed;
};

// A value from another department's feed (tax grade, social-security arrears, court judgments...).
// Indicator name: "ext.<source>.<name>"; the latest value dated on or before the as-of date is used.
struct ExternalIndicator {
  std::string entity_id;
  std::string source;  // e.g. "tax", "social_security", "court"
  std::string name;    // e.g. "arrears_months"
  double value = 0;
  Date as_of;
};

struct CreditRecords {
  std::vector<InspectionResult> inspections;
  std::vector<Penalty> penalties;
  std::vector<ListMembership> lists;
  std::vector<Complaint> complaints;
  std::vector<AnnualReport> annual_reports;
  std::vector<ExternalIndicator> external;
};

}  // namespace suiji::credit
