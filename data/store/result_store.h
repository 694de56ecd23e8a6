// Inspection results, their public change feed and objections (tables results, publications,
// objections; migration 0012). The workflow's rules live in api/app/results.h; this file only reads
// and writes rows, inside the caller's Transaction for every write.
//
// A result is identified by result_id (one per task: a drawn entity of a draw) and version. Update
// refuses a row already published (result.published): a published version is never changed, and a
// correction is Insert of the next version.
#pragma once
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/result.h"
#include "data/store/database.h"

namespace suiji::store {

struct Finding {
  std::string item;     // inspection-item code of the plan
  std::string outcome;  // no_problem | problem
  std::string note;     // the team's words; internal
  bool operator==(const Finding&) const = default;
};

struct FollowUp {
  std::string kind;      // "" | order_correction (责令改正) | transfer (移送) | penalty (立案查处)
  std::string deadline;  // YYYY-MM-DD, order_correction only
  std::string to;        // the department it goes to, transfer only
  bool operator==(const FollowUp&) const = default;
};

struct Evidence {
  std::string sha256, name;
  std::int64_t bytes = 0;
  bool operator==(const Evidence&) const = default;
};

struct ResultRecord {
  std::string result_id;
  std::int64_t version = 1;
  std::string draw_id, pairing_id, entity_id, plan_id, org_unit, department;
  std::string state;  // draft | submitted | returned | approved | published
  std::string result_code;
  std::vector<Finding> findings;
  std::string inspected_on, concluded_on;
  FollowUp follow_up;
  std::vector<Evidence> evidence;
  std::vector<std::string> team;        // cert_no of each officer of the task's team
  std::vector<std::string> signatures;  // cert_no of the officers who signed it
  std::string return_reason, reviewed_by, due_on, published_on, published_at, correction_reason;
  std::string objection_code_hash;
  std::string updated_at;
  bool operator==(const ResultRecord&) const = default;
};

struct PublicationRecord {
  std::int64_t seq = 0;
  std::string result_id;
  std::int64_t version = 0;
  std::string kind;  // published | corrected | objection_filed | objection_rejected | objection_upheld
  std::string entity_id, at;
};

struct ObjectionRecord {
  std::string receipt_no, result_id;
  std::int64_t version = 0;  // the version objected to
  std::string filed_at, reason, contact;
  std::string state;  // pending | rejected | upheld
  std::string decision_reason, decided_at, decided_by;
  std::int64_t corrected_version = 0;
};

// What the public may search by (every field optional).
struct PublicResultFilter {
  std::string name;         // entity name substring
  std::string entity_id;    // the entity's current id (resolved by the caller)
  std::string region;       // a region code: province, city or county
  std::string department, item, result_code;
  std::string from, to;     // inspected_on range, inclusive
};

class ResultStore {
 public:
  explicit ResultStore(Database& db) : db_(db) {}

  Status Insert(Transaction& tx, const ResultRecord& r);
  Status Update(Transaction& tx, const ResultRecord& r);
  Result<std::optional<ResultRecord>> Latest(const std::string& result_id);
  Result<std::vector<ResultRecord>> Versions(const std::string& result_id);  // oldest first
  // Every version of every result with first <= result_id <= last, by result_id then version: one
  // query for a page of records (the bulk export).
  Result<std::vector<ResultRecord>> VersionsIn(const std::string& first, const std::string& last);
  // The latest version of each result matching: draw (or every draw when empty), state when given.
  Result<std::vector<ResultRecord>> LatestWhere(const std::string& draw_id, const std::string& state);
  // Results not yet published (latest versions), by due date.
  Result<std::vector<ResultRecord>> Unpublished();

  // The current published version of each published result matching `f`, a keyset page by result_id,
  // and how many match in all.
  Result<std::vector<ResultRecord>> PublicPage(const PublicResultFilter& f, const std::string& after, std::int64_t limit);
  Result<std::int64_t> PublicCount(const PublicResultFilter& f);
  // Counts over the current published versions (by department, region, result code, month of
  // publication, item) and how many were first published by their deadline.
  struct Stats {
    std::int64_t published = 0, on_time = 0;
    std::map<std::string, std::int64_t> by_department, by_region, by_result, by_month, by_item;
  };
  Result<Stats> PublicStats();
  // Every published version of the entity's results, by result_id then version.
  Result<std::vector<ResultRecord>> PublishedForEntity(const std::string& entity_id);

  // The read model's row for a result's new current published version (public_results): the entity's
  // name and region as they are now.
  Status SetCurrentPublished(Transaction& tx, const ResultRecord& r);
  Result<std::int64_t> AppendPublication(Transaction& tx, const std::string& result_id, std::int64_t version,
                                         const std::string& kind, const std::string& entity_id);
  Result<std::vector<PublicationRecord>> Changes(std::int64_t since, std::int64_t limit);

  Status InsertObjection(Transaction& tx, const ObjectionRecord& o);
  Status UpdateObjection(Transaction& tx, const ObjectionRecord& o);
  Result<std::optional<ObjectionRecord>> Objection(const std::string& receipt_no);
  Result<std::vector<ObjectionRecord>> Objections(const std::string& result_id);  // by filed_at
  Result<std::vector<ObjectionRecord>> ObjectionsIn(const std::string& first, const std::string& last);  // by result_id, filed_at
  Result<std::vector<ObjectionRecord>> PendingObjections();

 private:
  Database& db_;
};

}  // namespace suiji::store
