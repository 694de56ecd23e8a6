// Credit storage (tables from 0003_credit.sql and 0006_repairs_complaints.sql): penalties, list
// memberships and their events, credit-repair decisions, complaints, external feeds, scoring runs with
// their scores, joint-punishment flags and department feedback.
//
// Contract:
//  - Plain string records, the columns as stored; api/app/credit.* converts them to credit/ records.
//  - Penalties, memberships, list events, feeds, flags and feedback are Repositories (table.h): bulk
//    upsert by key, one audit event per inserted or changed row, nothing for unchanged rows.
//  - Nothing is deleted. A membership or a flag is ENDED, never reopened: SaveMemberships and
//    SaveFlags refuse ("credit.reopen") a row that would clear or move a stored end date. The one
//    exception is a flag's PLANNED end (a fixed-term measure, stored ahead of time): an end after
//    SaveFlags' `planned_after` date may be brought forward (e.g. by credit repair), never cleared
//    or postponed.
//  - A scoring run is written at once: the run row plus every score (bulk: COPY on PostgreSQL) and ONE
//    audit event "credit_run.insert" carrying the counts and `scores_digest`, the SHA-256 of
//        for each score in entity order: entity_id \t class \t score \t input_digest \n
//    so a score edited later no longer matches its run (VerifyRun recomputes it).
//  - "The class of E as of D" is the score in the latest run with as_of <= D (ties: the newest
//    created_at, then run_id): RunAsOf / ClassesOfRun.
#pragma once
#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "core/result.h"
#include "data/store/repository.h"

namespace suiji::store {

// ---- Penalties --------------------------------------------------------------------------------------
struct PenaltyRecord {
  std::string decision_no;   // 决定书文号
  std::string entity_id;
  std::string department;    // deciding authority
  std::string penalty_type;  // warning | fine | confiscation | suspension | revocation | other
  std::string decided_on;    // YYYY-MM-DD
  std::string amount = "0";  // yuan, exact decimal text
  std::string legal_basis;
  bool operator==(const PenaltyRecord&) const = default;
};
struct PenaltyCodec {
  using Value = PenaltyRecord;
  static const TableSpec& Spec();
  static Row ToRow(const PenaltyRecord& p);
  static Result<PenaltyRecord> FromRow(const Row& r);
};
class PenaltyStore : public Repository<PenaltyCodec> {
 public:
  using Repository::Repository;
  Result<std::optional<PenaltyRecord>> Get(std::string_view decision_no) { return GetByKey({std::string(decision_no)}); }
  Result<std::vector<PenaltyRecord>> ForEntity(std::string_view entity_id);
};

// ---- List memberships and their events ---------------------------------------------------------------
struct ListMembershipRecord {
  std::string id;
  std::string entity_id;
  std::string list;            // abnormal | serious
  std::string reason;
  std::string listed_on;
  std::string authority;
  std::string cause_fixed_on;  // '' when not fixed
  std::string removed_on;      // '' while listed
  std::string removal_reason;
  std::string removal_authority;
  std::string moved_from;
  bool operator==(const ListMembershipRecord&) const = default;
};
struct ListMembershipCodec {
  using Value = ListMembershipRecord;
  static const TableSpec& Spec();
  static Row ToRow(const ListMembershipRecord& m);
  static Result<ListMembershipRecord> FromRow(const Row& r);
};
class ListMembershipStore : public Repository<ListMembershipCodec> {
 public:
  using Repository::Repository;
  Result<std::optional<ListMembershipRecord>> Get(std::string_view id) { return GetByKey({std::string(id)}); }
  Result<std::vector<ListMembershipRecord>> ForEntity(std::string_view entity_id);
  // Upsert that refuses to reopen or re-date an ended membership (credit.reopen, nothing written).
  Result<UpsertCounts> SaveMemberships(Transaction& tx, const std::vector<ListMembershipRecord>& v,
                                       std::string_view actor);
};

struct ListEventRecord {
  std::string membership_id, kind, event_on, entity_id, list, detail;
  bool operator==(const ListEventRecord&) const = default;
};
struct ListEventCodec {
  using Value = ListEventRecord;
  static const TableSpec& Spec();
  static Row ToRow(const ListEventRecord& e);
  static Result<ListEventRecord> FromRow(const Row& r);
};
class ListEventStore : public Repository<ListEventCodec> {
 public:
  using Repository::Repository;
  Result<std::vector<ListEventRecord>> ForMembership(std::string_view membership_id);  // by kind, date
};

// ---- Credit repair decisions (信用修复决定) ---------------------------------------------------------------
struct RepairRecord {
  std::string decision_no;    // the key
  std::string membership_id;  // the membership repaired
  std::string entity_id, list;
  std::string decided_on, authority;
  std::string outcome;  // granted | refused
  std::string reason;
  bool operator==(const RepairRecord&) const = default;
};
struct RepairCodec {
  using Value = RepairRecord;
  static const TableSpec& Spec();
  static Row ToRow(const RepairRecord& r);
  static Result<RepairRecord> FromRow(const Row& r);
};
class RepairStore : public Repository<RepairCodec> {
 public:
  using Repository::Repository;
  Result<std::optional<RepairRecord>> Get(std::string_view decision_no) { return GetByKey({std::string(decision_no)}); }
  Result<std::vector<RepairRecord>> ForEntity(std::string_view entity_id);
  Result<std::vector<RepairRecord>> ForMembership(std::string_view membership_id);
};

// ---- Complaints and reports (投诉举报) ---------------------------------------------------------------------
struct ComplaintRecord {
  std::string reference_no;  // the key
  std::string entity_id, received_on;
  std::string substantiated;  // yes | no | pending
  std::string concluded_on;   // '' when not concluded
  std::string source, department;
  bool operator==(const ComplaintRecord&) const = default;
};
struct ComplaintCodec {
  using Value = ComplaintRecord;
  static const TableSpec& Spec();
  static Row ToRow(const ComplaintRecord& c);
  static Result<ComplaintRecord> FromRow(const Row& r);
};
class ComplaintStore : public Repository<ComplaintCodec> {
 public:
  using Repository::Repository;
  Result<std::optional<ComplaintRecord>> Get(std::string_view reference_no) { return GetByKey({std::string(reference_no)}); }
  Result<std::vector<ComplaintRecord>> ForEntity(std::string_view entity_id);
};

// ---- External feeds ------------------------------------------------------------------------------------
struct ExternalIndicatorRecord {
  std::string entity_id, source, name, as_of;
  std::string value;  // exact decimal text
  bool operator==(const ExternalIndicatorRecord&) const = default;
};
struct ExternalIndicatorCodec {
  using Value = ExternalIndicatorRecord;
  static const TableSpec& Spec();
  static Row ToRow(const ExternalIndicatorRecord& e);
  static Result<ExternalIndicatorRecord> FromRow(const Row& r);
};
class ExternalIndicatorStore : public Repository<ExternalIndicatorCodec> {
 public:
  using Repository::Repository;
  Result<std::vector<ExternalIndicatorRecord>> ForEntity(std::string_view entity_id);
};

// ---- Annual reports -------------------------------------------------------------------------------------
struct AnnualReportRecord {
  std::string entity_id, report_year, filed_on;
  bool operator==(const AnnualReportRecord&) const = default;
};
struct AnnualReportCodec {
  using Value = AnnualReportRecord;
  static const TableSpec& Spec();
  static Row ToRow(const AnnualReportRecord& a);
  static Result<AnnualReportRecord> FromRow(const Row& r);
};
using AnnualReportStore = Repository<AnnualReportCodec>;

// ---- Flags and feedback --------------------------------------------------------------------------------
struct FlagRecord {
  std::string flag_id, entity_id, memorandum, memorandum_title, document;
  std::string measure_id, measure, department, legal_basis;
  std::string trigger_kind;  // list:serious | list:abnormal | penalty:<type>
  std::string trigger_id;
  std::string start_on;
  std::string end_on;  // '' while open
  bool operator==(const FlagRecord&) const = default;
};
struct FlagCodec {
  using Value = FlagRecord;
  static const TableSpec& Spec();
  static Row ToRow(const FlagRecord& f);
  static Result<FlagRecord> FromRow(const Row& r);
};
class FlagStore : public Repository<FlagCodec> {
 public:
  using Repository::Repository;
  Result<std::optional<FlagRecord>> Get(std::string_view flag_id) { return GetByKey({std::string(flag_id)}); }
  Result<std::vector<FlagRecord>> ForEntity(std::string_view entity_id);
  // Flags in force on `date` (start_on <= date < end_on or open), by key.
  Result<std::vector<FlagRecord>> ActiveOn(std::string_view date);
  // A keyset page by flag id: in force on `on` (empty: every flag), entity in `region` (a region code,
  // empty: all), memorandum and department when given.
  struct Filter {
    std::string on, region, memorandum, department;
  };
  Result<std::vector<FlagRecord>> Page(const Filter& f, const std::string& after, std::int64_t limit);
  // Upsert that refuses to reopen or re-date an ended flag (credit.reopen, nothing written). A stored
  // end later than `planned_after` (YYYY-MM-DD; empty = none) is a plan and may be brought forward.
  Result<UpsertCounts> SaveFlags(Transaction& tx, const std::vector<FlagRecord>& v, std::string_view actor,
                                 std::string_view planned_after = {});
};

struct FlagFeedbackRecord {
  std::string flag_id, action, event_on, department, entity_id, measure, legal_basis;
  std::string status = "pending";
  bool operator==(const FlagFeedbackRecord&) const = default;
};
struct FlagFeedbackCodec {
  using Value = FlagFeedbackRecord;
  static const TableSpec& Spec();
  static Row ToRow(const FlagFeedbackRecord& f);
  static Result<FlagFeedbackRecord> FromRow(const Row& r);
};
using FlagFeedbackStore = Repository<FlagFeedbackCodec>;

// ---- Scoring runs ----------------------------------------------------------------------------------------
struct CreditScoreRecord {
  std::string entity_id;
  std::string score;  // exact decimal text
  std::string cls;    // A | B | C | D
  std::string input_digest;
  bool operator==(const CreditScoreRecord&) const = default;
};

struct CreditRunRecord {
  std::string run_id;  // "CR-" + 12 hex, see CreditRunId
  std::string model_id, model_version, model_digest;
  std::string as_of;       // YYYY-MM-DD
  std::string created_at;  // database clock
  std::int64_t entities = 0;
  std::array<std::int64_t, 4> class_counts{};  // A, B, C, D
  std::string scores_digest;
  bool operator==(const CreditRunRecord&) const = default;
};

// SHA-256 hex of the score rows as described above (scores in the given order).
std::string ScoresDigest(const std::vector<CreditScoreRecord>& scores);
// "CR-" + 12 hex of SHA-256(model_digest|as_of|scores_digest|created_at).
std::string CreditRunId(const CreditRunRecord& run);

class CreditRunStore {
 public:
  explicit CreditRunStore(Database& db) : db_(db) {}

  // Stores the run (run_id, created_at, entities, counts and scores_digest are filled in here from
  // `scores`, which must be sorted by entity id without repeats) plus its audit event. Returns the run.
  Result<CreditRunRecord> InsertRun(Transaction& tx, CreditRunRecord run, const std::vector<CreditScoreRecord>& scores,
                                    std::string_view actor);
  Result<std::optional<CreditRunRecord>> GetRun(const std::string& run_id);
  // The latest run with as_of <= date (YYYY-MM-DD), if any.
  Result<std::optional<CreditRunRecord>> RunAsOf(const std::string& date);
  Result<std::vector<CreditRunRecord>> ListRuns();  // by as_of, created_at
  Result<std::vector<CreditScoreRecord>> Scores(const std::string& run_id);  // by entity id
  Result<std::optional<CreditScoreRecord>> Score(const std::string& run_id, const std::string& entity_id);
  // A keyset page by entity id of the run's scores, with each entity's name and region: class `cls`
  // when given, entities in `region` (a region code; empty: all).
  struct ClassRow {
    std::string entity_id, name, region, score, cls;
  };
  Result<std::vector<ClassRow>> ClassPage(const std::string& run_id, const std::string& cls, const std::string& region,
                                          const std::string& after, std::int64_t limit);
  // entity id -> class for every entity the run scored.
  Result<std::unordered_map<std::string, std::string>> ClassesOfRun(const std::string& run_id);
  // Recomputes the run's scores_digest and counts from its stored scores; error credit_run.tampered
  // naming what differs.
  Status VerifyRun(const std::string& run_id);

 private:
  Database& db_;
};

}  // namespace suiji::store
