// RecordImporter<T>: streaming CSV import of the credit records that refer to register entities:
// inspection results (抽查检查结果), administrative penalties (行政处罚决定), list decisions
// (经营异常名录 / 严重违法失信名单 列入·移出决定), external indicator feeds, credit-repair decisions
// (信用修复决定) and complaints and reports (投诉举报).
//
// Same behaviour as the register importer (importer.h) and the same report types:
//   * header labels in Chinese or English, normalised by NormalizeHeaderLabel; unknown columns warn;
//   * every bad cell is a RowError (row, column as in the file, value, code, reason); a row is
//     accepted only without errors; rows_read == rows_valid + rows_rejected;
//   * an entity id the register does not hold is an error (entity.unknown), so a result can never
//     point at nothing: the caller passes `known`, the register's ids;
//   * duplicate keys within the file: the first row wins, later rows are "<kind>.duplicate" errors
//     naming the first row. Keys: results (entity, department, date); penalties decision_no;
//     lists id; external (entity, source, name, as_of); annual reports (entity, year); repairs
//     decision_no; complaints reference_no.
//   * a repair names the membership it repairs, by id or by entity + list (the one membership of that
//     entity on that list in force on the decision date); the caller passes the stored memberships
//     with UseMemberships, and a membership that is unknown, ambiguous or contradicts the row is an
//     error of that row (membership.unknown, membership.ambiguous, membership.mismatch).
// Value vocabularies (result, penalty type, list kind) are listed in docs/data-formats.md.
// Pure apart from Open(), which reads the file.
#pragma once
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "data/import/importer.h"
#include "data/import/report.h"
#include "data/import/schema.h"

namespace suiji::import {

enum class RecordKind { kResults, kPenalties, kLists, kExternal, kAnnualReports, kRepairs, kComplaints };
// results | penalties | lists | external | annual_reports | repairs | complaints
const char* RecordKindName(RecordKind k);
// The fields of a format, canonical order (the field enums below index it).
const std::vector<FieldSpec>& RecordSchema(RecordKind kind);

namespace result_field {
enum : int { kEntityId, kDepartment, kInspectedOn, kResult, kOfficers, kPlanId, kCount };
}
namespace penalty_field {
enum : int { kDecisionNo, kEntityId, kDepartment, kPenaltyType, kDecidedOn, kAmount, kLegalBasis, kCount };
}
namespace list_field {
enum : int { kId, kEntityId, kList, kReason, kListedOn, kAuthority, kCauseFixedOn, kRemovedOn, kRemovalReason, kRemovalAuthority, kCount };
}
namespace external_field {
enum : int { kEntityId, kSource, kName, kAsOf, kValue, kCount };
}

// One inspection result; stored in `inspections`.
struct ResultRow {
  std::string entity_id, department, inspected_on;
  std::string result;  // no_problem | problem | problem_corrected | not_found | no_activity | refused | other
  std::vector<std::string> officers;
  std::string plan_id;
  bool operator==(const ResultRow&) const = default;
};

struct PenaltyRow {
  std::string decision_no, entity_id, department;
  std::string penalty_type;  // warning | fine | confiscation | suspension | revocation | other
  std::string decided_on;
  std::string amount = "0";  // canonical decimal yuan: no separators, no leading or trailing zeros
  std::string legal_basis;
  bool operator==(const PenaltyRow&) const = default;
};

// A listing decision, possibly with its removal (a later row with the same id updates it).
struct ListDecisionRow {
  std::string id, entity_id;
  std::string list;  // abnormal | serious
  std::string reason, listed_on, authority, cause_fixed_on, removed_on, removal_reason, removal_authority;
  bool operator==(const ListDecisionRow&) const = default;
};

struct ExternalRow {
  std::string entity_id, source, name, as_of;
  std::string value;  // canonical decimal (may be negative)
  bool operator==(const ExternalRow&) const = default;
};

namespace annual_report_field {
enum : int { kEntityId, kYear, kFiledOn, kCount };
}
// An annual report filed for a report year (due by 30 June of the next year).
struct AnnualReportRow {
  std::string entity_id;
  std::string year;  // four digits
  std::string filed_on;
  bool operator==(const AnnualReportRow&) const = default;
};

namespace repair_field {
enum : int { kDecisionNo, kMembershipId, kEntityId, kList, kDecidedOn, kAuthority, kOutcome, kReason, kCount };
}
// A decided application for credit repair (信用修复): `granted` ends the membership early, subject to
// the list time rules (credit/lists.h: a serious-list repair before repair_min_years is refused with
// its reason); `refused` (不予修复) keeps it and is recorded with the authority's reason.
struct RepairRow {
  std::string decision_no;      // 信用修复决定书文号, the key
  std::string membership_id;    // as named, or resolved from entity + list on the decision date
  std::string entity_id, list;  // the membership's
  std::string decided_on, authority;
  std::string outcome = "granted";  // granted | refused
  std::string reason;               // required when refused
  bool operator==(const RepairRow&) const = default;
};

namespace complaint_field {
enum : int { kReferenceNo, kEntityId, kReceivedOn, kSubstantiated, kConcludedOn, kSource, kDepartment, kCount };
}
// A complaint or report (投诉举报) about an entity. It counts for indicator complaints_1y when
// substantiated, dated by its conclusion (办结日期) when known, else by its receipt: a finding is not
// known before it is made.
struct ComplaintRow {
  std::string reference_no;  // 投诉举报编号 / 工单号, the key
  std::string entity_id, received_on;
  std::string substantiated;  // yes | no | pending
  std::string concluded_on;   // '' while pending or unknown; never before received_on
  std::string source, department;
  bool operator==(const ComplaintRow&) const = default;
};

// A stored list membership, as a repair row may name it (removed_on '' while listed).
struct MembershipRef {
  std::string id, entity_id, list, listed_on, removed_on;
};

// Vocabularies (exposed for tests and the docs). Errors: result.unknown, penalty_type.unknown,
// list.unknown, amount.format, amount.negative, value.format.
Result<std::string> NormalizeInspectionResult(std::string_view cell);
// Several types in one cell ("罚款;没收违法所得") give the most severe one.
Result<std::string> NormalizePenaltyType(std::string_view cell);
Result<std::string> NormalizeListKind(std::string_view cell);
// "1,234.50" / "1234.5元" -> "1234.5"; empty -> "0".
Result<std::string> NormalizeAmount(std::string_view cell);
Result<std::string> NormalizeDecimal(std::string_view cell);
// 准予(信用)修复 / 同意 -> granted, 不予(信用)修复 / 驳回 -> refused. Errors: repair_outcome.unknown.
Result<std::string> NormalizeRepairOutcome(std::string_view cell);
// 属实 / 部分属实 / 是 -> yes, 不属实 / 查无实据 / 否 -> no, 处理中 / 核查中 -> pending.
// Errors: substantiated.unknown.
Result<std::string> NormalizeSubstantiated(std::string_view cell);

using KnownEntity = std::function<bool(std::string_view id)>;
// The primary id of the entity that `id` (a USCC, a registration number or an id it had before a
// re-registration) names, or nullopt when the register holds none. A row's entity_id is stored as
// the primary id, so records keyed by either identifier land on the same entity.
using ResolveEntity = std::function<std::optional<std::string>(std::string_view id)>;

template <typename T>
class RecordImporter {
 public:
  // Fails on the same file-level problems as Importer<T>::Open (csv.open, header.missing, ...).
  static Result<RecordImporter> Open(const std::string& path, KnownEntity known, ImportOptions options = {});
  static Result<RecordImporter> FromString(std::string csv, KnownEntity known, ImportOptions options = {});
  static Result<RecordImporter> Open(const std::string& path, ResolveEntity resolve, ImportOptions options = {});
  static Result<RecordImporter> FromString(std::string csv, ResolveEntity resolve, ImportOptions options = {});

  RecordImporter(RecordImporter&&) noexcept;
  RecordImporter& operator=(RecordImporter&&) noexcept;
  ~RecordImporter();

  void OnReject(std::function<void(const RejectedRow&)> sink);
  // Repairs: the memberships rows may name (call before the first NextBatch; without it every
  // repair row is membership.unknown). Ignored by the other formats.
  void UseMemberships(std::vector<MembershipRef> memberships);
  // Replaces `out` with up to `max_records` accepted values; false (and `out` empty) when done.
  bool NextBatch(std::vector<T>& out, std::size_t max_records = 10000);
  const ImportReport& report() const;
  const std::vector<std::string>& columns() const;  // the header as in the file

  struct Impl;

 private:
  explicit RecordImporter(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

using ResultImporter = RecordImporter<ResultRow>;
using PenaltyImporter = RecordImporter<PenaltyRow>;
using ListDecisionImporter = RecordImporter<ListDecisionRow>;
using ExternalImporter = RecordImporter<ExternalRow>;
using AnnualReportImporter = RecordImporter<AnnualReportRow>;
using RepairImporter = RecordImporter<RepairRow>;
using ComplaintImporter = RecordImporter<ComplaintRow>;

}  // namespace suiji::import
