// Credit use cases over the store: the glue between data/store, data/import and the pure credit/
// engine, called by the CLI (and later REST / Thrift).
//
//   Import*          CSV -> validated rows -> one transaction. All or nothing by default: any rejected
//                    row rolls everything back (committed == false, the report names every row);
//                    with skip_invalid the valid rows are written. Unknown entity ids are errors.
//                    Upsert by key, audit events per change plus one "import.<kind>" summary event.
//   ScoreRegister    every entity's indicators as of D -> ScoreAll -> one stored run (credit_store.h).
//   ExplainEntity    the stored score of an entity as of D, recomputed with the model and checked
//                    against the stored one (same input digest, same exact score).
//   BacktestRun      a stored run's classes vs. the inspections in the year after its as-of date.
//   UpdateFlags      list time rules (with the stored credit-repair decisions) up to D, then the
//                    memoranda's flags; memberships, list events, flags and feedback stored (ended,
//                    never deleted). Records that arrive late (a repair decided before the last
//                    advanced date) still get their events and lift requests, dated when they happened.
//   ClassificationAsOf / ClassificationOfRun: the classes a draw uses, and how the commitment names them.
#pragma once
#include <functional>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "core/date.h"
#include "core/domain.h"
#include "core/result.h"
#include "credit/backtest.h"
#include "credit/flags.h"
#include "credit/lists.h"
#include "credit/records.h"
#include "credit/score.h"
#include "data/import/record_import.h"
#include "data/store/credit_store.h"
#include "data/store/database.h"
#include "rules/credit_model.h"
#include "rules/memoranda.h"

namespace suiji::app {

// ---- Imports --------------------------------------------------------------------------------------------
struct RecordImportOptions {
  std::string path;
  std::string encoding = "auto";  // auto | utf-8 | gbk | gb18030
  bool skip_invalid = false;
  std::string actor = "cli";
  std::size_t batch = 20000;
  // Called once with the file's header before any row, then for every rejected row (rejects file).
  std::function<void(const std::vector<std::string>& header)> on_header;
  std::function<void(const import::RejectedRow&)> on_reject;
};

struct RecordImportOutcome {
  std::string kind;  // results | penalties | lists | external | annual_reports | repairs | complaints
  import::ImportReport report;
  store::UpsertCounts counts;
  bool committed = false;  // false: refused because rows were rejected and skip_invalid was off
};

// File-level problems (unreadable file, bad header) and store failures are errors; rejected rows are not.
Result<RecordImportOutcome> ImportResults(store::Database& db, const RecordImportOptions& o);
Result<RecordImportOutcome> ImportPenalties(store::Database& db, const RecordImportOptions& o);
Result<RecordImportOutcome> ImportListDecisions(store::Database& db, const RecordImportOptions& o);
Result<RecordImportOutcome> ImportExternal(store::Database& db, const RecordImportOptions& o);
Result<RecordImportOutcome> ImportAnnualReports(store::Database& db, const RecordImportOptions& o);
// Credit-repair decisions: each row's membership (by id, or entity + list) must be stored; they take
// effect at the next UpdateFlags.
Result<RecordImportOutcome> ImportRepairs(store::Database& db, const RecordImportOptions& o);
// Complaints and reports: read by indicator complaints_1y at the next ScoreRegister.
Result<RecordImportOutcome> ImportComplaints(store::Database& db, const RecordImportOptions& o);

// ---- Records ----------------------------------------------------------------------------------------------
// Inspection `result` -> credit outcome: problem and problem_corrected -> "problem", not_found ->
// "not_found", no_problem -> "no_problem", anything else -> "other".
std::string CreditOutcome(const std::string& result);

struct CreditData {
  std::vector<Entity> entities;  // the whole register, by id
  credit::CreditRecords records;
};
// Everything the indicators read, from the store. `entity_id` non-empty: that entity only.
Result<CreditData> LoadCreditData(store::Database& db, const std::string& entity_id = "");

// ---- Scores -------------------------------------------------------------------------------------------------
struct ScoreOutcome {
  store::CreditRunRecord run;
  std::vector<std::string> warnings;  // e.g. the model reads annual reports but none are stored
};
Result<ScoreOutcome> ScoreRegister(store::Database& db, const rules::CreditModel& model, Date as_of,
                                   const std::string& actor);

struct ExplainOutcome {
  credit::Explanation explanation;
  std::optional<store::CreditRunRecord> run;       // the run in force on the date, if any
  std::optional<store::CreditScoreRecord> stored;  // the entity's stored score in it
  bool matches_stored = false;  // same model digest, input digest, exact score and class
  std::string note;             // one line on how the explanation relates to the stored score
};
// Explains as of the in-force run's as_of date (or `as_of` when no run covers it).
Result<ExplainOutcome> ExplainEntity(store::Database& db, const rules::CreditModel& model, const std::string& entity_id,
                                     Date as_of);

struct BacktestOutcome {
  store::CreditRunRecord run;
  credit::Backtest backtest;
};
// The run in force on `as_of` (latest run when empty); window [from, to] defaults to the year after
// the run's as_of date.
Result<BacktestOutcome> BacktestRun(store::Database& db, std::optional<Date> as_of, std::optional<Date> from,
                                    std::optional<Date> to);

// ---- Lists and flags ---------------------------------------------------------------------------------------
struct FlagsOutcome {
  Date from, to;  // the window advanced: (from, to]
  // What this update recorded for the first time: the events of (from, to], plus any earlier ones
  // that late records (a backdated repair, a late listing) produced. Earlier dates are kept.
  std::vector<credit::ListEvent> list_events;
  std::vector<credit::FlagEvent> flag_events;
  std::vector<credit::Feedback> feedback;
  // Late records that could no longer change a recorded end (an end is never moved), one line each.
  std::vector<std::string> warnings;
  store::UpsertCounts memberships, flags;
  std::vector<store::FlagRecord> active;  // flags in force on `to`
};
// Refuses a date before the last advanced one ("credit.lists_behind"): the stored memberships
// already reflect it. The advanced-to date is the setting "credit.lists_advanced_to".
// Repairs: a granted one goes to credit::AdvanceLists (which ends the membership that day, or
// records repair_refused with the rule's reason when it is too early); a refused one is recorded as
// a repair_refused event carrying the authority's reason. Events are computed over the whole history
// and only those not yet stored are written, so a rerun for the same date writes nothing.
Result<FlagsOutcome> UpdateFlags(store::Database& db, const rules::Memoranda& memoranda, const rules::ListRules& rules,
                                 Date as_of, const std::string& actor);

// ---- Classes for draws ---------------------------------------------------------------------------------------
struct Classification {
  std::optional<store::CreditRunRecord> run;
  std::unordered_map<std::string, std::string> classes;  // entity id -> A|B|C|D
  // For a draw commitment: "run CR-... model ID version V digest HEX as_of DATE" or "none: ...".
  std::string Describe(Date as_of) const;
};
Result<Classification> ClassificationAsOf(store::Database& db, Date as_of);
// A pinned run ("" = no classification).
Result<Classification> ClassificationOfRun(store::Database& db, const std::string& run_id);

}  // namespace suiji::app
