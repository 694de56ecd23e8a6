// The inspection-results workflow (抽查检查结果) and its public record (一公开), over the store. Every
// adapter (CLI, REST) calls these; each transition is one transaction with its audit event.
//
//   A task is one drawn entity of a revealed draw with its team from the draw's latest revealed pairing
//   whose status is ok; its result_id is "R-" + 12 hex of SHA-256(draw_id|entity_id).
//
//   EnterResult    an officer of the task's team writes (or rewrites) the draft: the result from the
//                  vocabulary (data/reference/inspection_results.csv), one finding per item of the plan,
//                  the inspection and conclusion dates, the follow-up. The publication deadline is fixed
//                  here: 20 working days after the conclusion (《企业信息公示暂行条例》第六条、第七条).
//   SignResult     an officer of the team signs; once two different officers have signed, the result is
//                  submitted (a task is never concluded by one officer alone). Any edit clears signatures.
//   ReturnResult / ApproveResult   a reviewer (never one of the team) returns it with a reason (the
//                  team edits and signs again) or approves it.
//   PublishResult  approved -> published: immutable from then on; a publication in the change feed; the
//                  inspection history the sampler and the credit indicators read gets the inspection;
//                  a one-time objection code for the entity (only its SHA-256 is kept).
//   FileObjection  the entity, with that code, within the objection window after publication
//                  (data/reference/objection_windows.csv): a receipt number, the record shows it pending.
//   DecideObjection  rejected with a reason, or upheld with a corrected result: a new published version;
//                  the earlier one stays in the record's history with the reason and date of correction.
// Errors: result.unknown / task.unknown (404), result.forbidden (403: not of the team, a reviewer of
// the team), result.state (409: the transition is not allowed from the current state), result.invalid
// (422 naming the field), calendar.year_missing (422), objection.closed (409: window over).
#pragma once
#include <optional>
#include <string>
#include <vector>

#include "core/calendar.h"
#include "core/date.h"
#include "core/result.h"
#include "data/store/database.h"
#include "data/store/result_store.h"

namespace suiji::app {

inline constexpr int kPublicationWorkingDays = 20;

struct Task {
  std::string result_id, draw_id, pairing_id, plan_id, org_unit, department, entity_id;
  std::vector<std::string> items;  // the plan's inspection items
  std::vector<std::string> team;   // cert_no
  std::optional<store::ResultRecord> result;  // its latest version, once entered
};

// Every task of a revealed, paired draw (draw_id), or of every such draw (empty); `officer` non-empty:
// only the tasks whose team has that officer.
Result<std::vector<Task>> ListTasks(store::Database& db, const std::string& draw_id, const std::string& officer = "");
Result<Task> GetTask(store::Database& db, const std::string& result_id);

struct ResultInput {
  std::string result_code;  // a code or label of the vocabulary
  std::vector<store::Finding> findings;
  std::string inspected_on, concluded_on;  // YYYY-MM-DD
  store::FollowUp follow_up;
};

Result<store::ResultRecord> EnterResult(store::Database& db, const WorkingCalendar& cal, const std::string& draw_id,
                                        const std::string& entity_id, const ResultInput& in, const std::string& officer,
                                        const std::string& actor);
Result<store::ResultRecord> SignResult(store::Database& db, const std::string& result_id, const std::string& officer,
                                       const std::string& actor);
// `reviewer_officer`: the reviewer's own certificate when it has one (refused if of the team).
Result<store::ResultRecord> ReturnResult(store::Database& db, const std::string& result_id, const std::string& reason,
                                         const std::string& reviewer_officer, const std::string& actor);
Result<store::ResultRecord> ApproveResult(store::Database& db, const std::string& result_id,
                                          const std::string& reviewer_officer, const std::string& actor);

struct Publication {
  store::ResultRecord record;
  std::string objection_code;  // shown once: handed to the entity with the result notice
  bool on_time = true;
};
Result<Publication> PublishResult(store::Database& db, const std::string& result_id, const std::string& actor);

// Evidence: the file's bytes stored content-addressed under `dir` (DIR/ab/abcdef...), its digest, name
// and size added to the draft by an officer of the team.
Result<store::ResultRecord> AddEvidence(store::Database& db, const std::string& dir, const std::string& result_id,
                                        const std::string& name, const std::string& bytes, const std::string& officer,
                                        const std::string& actor);

// Where evidence goes unless configured: beside a SQLite database file (DIR/evidence), else ./evidence.
std::string DefaultEvidenceDir(const std::string& db_url);

// The objection window in working days for a department (data/reference/objection_windows.csv; the
// row '*' is the default).
Result<int> ObjectionWindow(const std::string& department);

Result<store::ObjectionRecord> FileObjection(store::Database& db, const WorkingCalendar& cal, const std::string& result_id,
                                             const std::string& code, const std::string& reason,
                                             const std::string& contact);
struct Decision {
  store::ObjectionRecord objection;
  std::optional<store::ResultRecord> corrected;  // upheld: the new published version
};
// decision "rejected" (reason) or "upheld" (reason and the corrected result).
Result<Decision> DecideObjection(store::Database& db, const WorkingCalendar& cal, const std::string& receipt_no,
                                 const std::string& decision, const std::string& reason,
                                 const std::optional<ResultInput>& correction, const std::string& actor);

struct DueResult {
  store::ResultRecord record;
  int working_days_left = 0;  // negative: overdue by that many working days
};
// Unpublished results due within `within` working days of `today` (overdue ones included).
Result<std::vector<DueResult>> DueResults(store::Database& db, const WorkingCalendar& cal, Date today, int within);

// What the public record says of a result: its versions, objections; nullopt when unpublished.
struct PublicRecord {
  std::vector<store::ResultRecord> versions;  // published versions, oldest first
  std::vector<store::ObjectionRecord> objections;
  const store::ResultRecord& current() const { return versions.back(); }
};
Result<std::optional<PublicRecord>> GetPublicRecord(store::Database& db, const std::string& result_id);
// The public records of the results with first <= result_id <= last, by result_id: two queries in all.
Result<std::vector<PublicRecord>> GetPublicRecords(store::Database& db, const std::string& first, const std::string& last);

}  // namespace suiji::app
