#include "data/store/credit_store.h"

#include "data/store/like.h"
#include "data/store/soci_rows.h"

#include <openssl/evp.h>
#include <soci/soci.h>

#include <map>

#include "core/canonical_json.h"
#include "core/sha256.h"
#include "data/store/audit_log.h"

namespace suiji::store {
namespace {

constexpr const char* kRunCols =
    "run_id, model_id, model_version, model_digest, as_of, created_at, entities, count_a, count_b, count_c, "
    "count_d, scores_digest";
CreditRunRecord RunFrom(const soci::row& r) {
  CreditRunRecord run;
  run.run_id = RowText(r, 0);
  run.model_id = RowText(r, 1);
  run.model_version = RowText(r, 2);
  run.model_digest = RowText(r, 3);
  run.as_of = RowText(r, 4);
  run.created_at = RowText(r, 5);
  run.entities = RowInt(r, 6);
  for (std::size_t k = 0; k < 4; ++k) run.class_counts[k] = RowInt(r, 7 + k);
  run.scores_digest = RowText(r, 11);
  return run;
}

int ClassIndex(const std::string& cls) {
  if (cls.size() != 1 || cls[0] < 'A' || cls[0] > 'D') return -1;
  return cls[0] - 'A';
}

// Refuses rows that would reopen or re-date a stored end (column `end_col`), naming the first. A stored
// end after `planned_after` (non-empty) is a plan: it may be brought forward, not cleared or postponed.
Status CheckNoReopen(Table& table, const std::vector<Row>& rows, std::size_t end_col, const std::string& noun,
                     const std::string& planned_after = "") {
  auto ended = table.Select(QuoteIdent(table.spec().columns[end_col]) + " <> :p0", {""});
  if (!ended) return ended.error();
  std::map<std::string, std::string> ends;  // key (first column) -> end date
  for (const Row& r : ended.value()) ends.emplace(r[0], r[end_col]);
  for (std::size_t i = 0; i < rows.size(); ++i) {
    auto it = ends.find(rows[i][0]);
    if (it == ends.end() || rows[i][end_col] == it->second) continue;
    const std::string& now = rows[i][end_col];
    if (!planned_after.empty() && it->second > planned_after && !now.empty() && now < it->second) continue;
    return Error{"credit.reopen",
                 noun + " " + rows[i][0] + " ended on " + it->second + "; an end is never undone or moved (got '" +
                     rows[i][end_col] + "'): record a new " + noun + " instead",
                 table.spec().columns[end_col]};
  }
  return OkStatus();
}

}  // namespace

// ---- Codecs ---------------------------------------------------------------------------------------------

const TableSpec& PenaltyCodec::Spec() {
  static const TableSpec spec{
      "penalties",
      {"decision_no", "entity_id", "department", "penalty_type", "decided_on", "amount", "legal_basis"},
      1, {}, "updated_at", "penalty"};
  return spec;
}
Row PenaltyCodec::ToRow(const PenaltyRecord& p) {
  return {p.decision_no, p.entity_id, p.department, p.penalty_type, p.decided_on, p.amount, p.legal_basis};
}
Result<PenaltyRecord> PenaltyCodec::FromRow(const Row& r) { return PenaltyRecord{r[0], r[1], r[2], r[3], r[4], r[5], r[6]}; }

Result<std::vector<PenaltyRecord>> PenaltyStore::ForEntity(std::string_view entity_id) {
  auto rows = table_.Select("\"entity_id\" = :p0", {std::string(entity_id)});
  if (!rows) return rows.error();
  return Decode(rows.value());
}

const TableSpec& ListMembershipCodec::Spec() {
  static const TableSpec spec{"list_memberships",
                              {"id", "entity_id", "list", "reason", "listed_on", "authority", "cause_fixed_on",
                               "removed_on", "removal_reason", "removal_authority", "moved_from"},
                              1, {}, "", "list_membership"};
  return spec;
}
Row ListMembershipCodec::ToRow(const ListMembershipRecord& m) {
  return {m.id,         m.entity_id,  m.list,           m.reason,            m.listed_on, m.authority,
          m.cause_fixed_on, m.removed_on, m.removal_reason, m.removal_authority, m.moved_from};
}
Result<ListMembershipRecord> ListMembershipCodec::FromRow(const Row& r) {
  return ListMembershipRecord{r[0], r[1], r[2], r[3], r[4], r[5], r[6], r[7], r[8], r[9], r[10]};
}

Result<std::vector<ListMembershipRecord>> ListMembershipStore::ForEntity(std::string_view entity_id) {
  auto rows = table_.Select("\"entity_id\" = :p0", {std::string(entity_id)});
  if (!rows) return rows.error();
  return Decode(rows.value());
}

Result<UpsertCounts> ListMembershipStore::SaveMemberships(Transaction& tx, const std::vector<ListMembershipRecord>& v,
                                                          std::string_view actor) {
  std::vector<Row> rows;
  rows.reserve(v.size());
  for (const auto& m : v) rows.push_back(ListMembershipCodec::ToRow(m));
  if (auto st = CheckNoReopen(table_, rows, 7, "list membership"); !st) return st.error();
  return table_.Upsert(tx, std::move(rows), actor);
}

const TableSpec& ListEventCodec::Spec() {
  static const TableSpec spec{"list_events", {"membership_id", "kind", "event_on", "entity_id", "list", "detail"},
                              3, {}, "", "list_event"};
  return spec;
}
Row ListEventCodec::ToRow(const ListEventRecord& e) {
  return {e.membership_id, e.kind, e.event_on, e.entity_id, e.list, e.detail};
}
Result<ListEventRecord> ListEventCodec::FromRow(const Row& r) {
  return ListEventRecord{r[0], r[1], r[2], r[3], r[4], r[5]};
}

Result<std::vector<ListEventRecord>> ListEventStore::ForMembership(std::string_view membership_id) {
  auto rows = table_.Select("\"membership_id\" = :p0", {std::string(membership_id)});
  if (!rows) return rows.error();
  return Decode(rows.value());
}

const TableSpec& RepairCodec::Spec() {
  static const TableSpec spec{"credit_repairs",
                              {"decision_no", "membership_id", "entity_id", "list", "decided_on", "authority",
                               "outcome", "reason"},
                              1, {}, "", "credit_repair"};
  return spec;
}
Row RepairCodec::ToRow(const RepairRecord& r) {
  return {r.decision_no, r.membership_id, r.entity_id, r.list, r.decided_on, r.authority, r.outcome, r.reason};
}
Result<RepairRecord> RepairCodec::FromRow(const Row& r) {
  return RepairRecord{r[0], r[1], r[2], r[3], r[4], r[5], r[6], r[7]};
}

Result<std::vector<RepairRecord>> RepairStore::ForEntity(std::string_view entity_id) {
  auto rows = table_.Select("\"entity_id\" = :p0", {std::string(entity_id)});
  if (!rows) return rows.error();
  return Decode(rows.value());
}

Result<std::vector<RepairRecord>> RepairStore::ForMembership(std::string_view membership_id) {
  auto rows = table_.Select("\"membership_id\" = :p0", {std::string(membership_id)});
  if (!rows) return rows.error();
  return Decode(rows.value());
}

const TableSpec& ComplaintCodec::Spec() {
  static const TableSpec spec{"complaints",
                              {"reference_no", "entity_id", "received_on", "substantiated", "concluded_on", "source",
                               "department"},
                              1, {}, "", "complaint"};
  return spec;
}
Row ComplaintCodec::ToRow(const ComplaintRecord& c) {
  return {c.reference_no, c.entity_id, c.received_on, c.substantiated, c.concluded_on, c.source, c.department};
}
Result<ComplaintRecord> ComplaintCodec::FromRow(const Row& r) {
  return ComplaintRecord{r[0], r[1], r[2], r[3], r[4], r[5], r[6]};
}

Result<std::vector<ComplaintRecord>> ComplaintStore::ForEntity(std::string_view entity_id) {
  auto rows = table_.Select("\"entity_id\" = :p0", {std::string(entity_id)});
  if (!rows) return rows.error();
  return Decode(rows.value());
}

const TableSpec& ExternalIndicatorCodec::Spec() {
  static const TableSpec spec{"external_indicators", {"entity_id", "source", "name", "as_of", "value"},
                              4, {}, "", "external_indicator"};
  return spec;
}
Row ExternalIndicatorCodec::ToRow(const ExternalIndicatorRecord& e) { return {e.entity_id, e.source, e.name, e.as_of, e.value}; }
Result<ExternalIndicatorRecord> ExternalIndicatorCodec::FromRow(const Row& r) {
  return ExternalIndicatorRecord{r[0], r[1], r[2], r[3], r[4]};
}

Result<std::vector<ExternalIndicatorRecord>> ExternalIndicatorStore::ForEntity(std::string_view entity_id) {
  auto rows = table_.Select("\"entity_id\" = :p0", {std::string(entity_id)});
  if (!rows) return rows.error();
  return Decode(rows.value());
}

const TableSpec& AnnualReportCodec::Spec() {
  static const TableSpec spec{"annual_reports", {"entity_id", "report_year", "filed_on"}, 2, {}, "", "annual_report"};
  return spec;
}
Row AnnualReportCodec::ToRow(const AnnualReportRecord& a) { return {a.entity_id, a.report_year, a.filed_on}; }
Result<AnnualReportRecord> AnnualReportCodec::FromRow(const Row& r) { return AnnualReportRecord{r[0], r[1], r[2]}; }

const TableSpec& FlagCodec::Spec() {
  static const TableSpec spec{"flags",
                              {"flag_id", "entity_id", "memorandum", "memorandum_title", "document", "measure_id",
                               "measure", "department", "legal_basis", "trigger_kind", "trigger_id", "start_on",
                               "end_on"},
                              1, {}, "", "flag"};
  return spec;
}
Row FlagCodec::ToRow(const FlagRecord& f) {
  return {f.flag_id, f.entity_id,   f.memorandum,   f.memorandum_title, f.document,  f.measure_id, f.measure,
          f.department, f.legal_basis, f.trigger_kind, f.trigger_id,       f.start_on, f.end_on};
}
Result<FlagRecord> FlagCodec::FromRow(const Row& r) {
  return FlagRecord{r[0], r[1], r[2], r[3], r[4], r[5], r[6], r[7], r[8], r[9], r[10], r[11], r[12]};
}

Result<std::vector<FlagRecord>> FlagStore::ForEntity(std::string_view entity_id) {
  auto rows = table_.Select("\"entity_id\" = :p0", {std::string(entity_id)});
  if (!rows) return rows.error();
  return Decode(rows.value());
}

Result<std::vector<FlagRecord>> FlagStore::ActiveOn(std::string_view date) {
  std::string d(date);
  auto rows = table_.Select("\"start_on\" <= :p0 AND (\"end_on\" = '' OR \"end_on\" > :p1)", {d, d});
  if (!rows) return rows.error();
  return Decode(rows.value());
}

Result<std::vector<FlagRecord>> FlagStore::Page(const Filter& f, const std::string& after, std::int64_t limit) {
  std::string where;
  std::vector<std::string> params;
  auto add = [&](const std::string& cond, const std::string& value, int uses = 1) {
    std::string c = cond;
    for (int i = 0; i < uses; ++i) {
      auto at = c.find("?");
      c.replace(at, 1, ":p" + std::to_string(params.size()));
      params.push_back(value);
    }
    where += (where.empty() ? "" : " AND ") + c;
  };
  if (!f.on.empty()) add("\"start_on\" <= ? AND (\"end_on\" = '' OR \"end_on\" > ?)", f.on, 2);
  if (!f.region.empty()) add("\"entity_id\" IN (SELECT id FROM entities WHERE region LIKE ? ESCAPE '\\')", RegionLike(f.region));
  if (!f.memorandum.empty()) add("\"memorandum\" = ?", f.memorandum);
  if (!f.department.empty()) add("\"department\" = ?", f.department);
  auto rows = table_.SelectPage(where, std::move(params), after, limit);
  if (!rows) return rows.error();
  return Decode(rows.value());
}

Result<UpsertCounts> FlagStore::SaveFlags(Transaction& tx, const std::vector<FlagRecord>& v, std::string_view actor,
                                          std::string_view planned_after) {
  std::vector<Row> rows;
  rows.reserve(v.size());
  for (const auto& f : v) rows.push_back(FlagCodec::ToRow(f));
  if (auto st = CheckNoReopen(table_, rows, 12, "flag", std::string(planned_after)); !st) return st.error();
  return table_.Upsert(tx, std::move(rows), actor);
}

const TableSpec& FlagFeedbackCodec::Spec() {
  static const TableSpec spec{
      "flag_feedback",
      {"flag_id", "action", "event_on", "department", "entity_id", "measure", "legal_basis", "status"},
      3, {}, "", "flag_feedback"};
  return spec;
}
Row FlagFeedbackCodec::ToRow(const FlagFeedbackRecord& f) {
  return {f.flag_id, f.action, f.event_on, f.department, f.entity_id, f.measure, f.legal_basis, f.status};
}
Result<FlagFeedbackRecord> FlagFeedbackCodec::FromRow(const Row& r) {
  return FlagFeedbackRecord{r[0], r[1], r[2], r[3], r[4], r[5], r[6], r[7]};
}

// ---- Runs ---------------------------------------------------------------------------------------------------

std::string ScoresDigest(const std::vector<CreditScoreRecord>& scores) {
  // Streamed: a register of millions never builds the whole text.
  std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> ctx(EVP_MD_CTX_new(), &EVP_MD_CTX_free);
  EVP_DigestInit_ex(ctx.get(), EVP_sha256(), nullptr);
  std::string line;
  for (const auto& s : scores) {
    line.clear();
    line.append(s.entity_id).append("\t").append(s.cls).append("\t").append(s.score).append("\t");
    line.append(s.input_digest).append("\n");
    EVP_DigestUpdate(ctx.get(), line.data(), line.size());
  }
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned int n = 0;
  EVP_DigestFinal_ex(ctx.get(), md, &n);
  return ToHex(md, n);
}

std::string CreditRunId(const CreditRunRecord& run) {
  return "CR-" + Sha256Hex(run.model_digest + "|" + run.as_of + "|" + run.scores_digest + "|" + run.created_at)
                     .substr(0, 12);
}

Result<CreditRunRecord> CreditRunStore::InsertRun(Transaction& tx, CreditRunRecord run,
                                                  const std::vector<CreditScoreRecord>& scores, std::string_view actor) {
  run.entities = static_cast<std::int64_t>(scores.size());
  run.class_counts = {};
  for (std::size_t i = 0; i < scores.size(); ++i) {
    int k = ClassIndex(scores[i].cls);
    if (k < 0)
      return Error{"credit_run.class", "score of " + scores[i].entity_id + " has class '" + scores[i].cls + "'", "class"};
    ++run.class_counts[static_cast<std::size_t>(k)];
    if (i > 0 && !(scores[i - 1].entity_id < scores[i].entity_id))
      return Error{"credit_run.order", "scores must be sorted by entity id without repeats (at " + scores[i].entity_id + ")",
                   "entity_id"};
  }
  run.created_at = tx.db().Now();
  run.scores_digest = ScoresDigest(scores);
  run.run_id = CreditRunId(run);
  auto st = Guard("credit_run.insert", [&]() -> Status {
    auto& s = tx.db().session();
    long long n = run.entities, a = run.class_counts[0], b = run.class_counts[1], c = run.class_counts[2],
              d = run.class_counts[3];
    s << "INSERT INTO credit_runs (" << kRunCols << ") VALUES (:a, :b, :c, :d, :e, :f, :g, :h, :i, :j, :k, :l)",
        soci::use(run.run_id), soci::use(run.model_id), soci::use(run.model_version), soci::use(run.model_digest),
        soci::use(run.as_of), soci::use(run.created_at), soci::use(n), soci::use(a), soci::use(b), soci::use(c),
        soci::use(d), soci::use(run.scores_digest);
    const std::size_t kChunk = 50000;
    std::vector<Row> rows;
    for (std::size_t i = 0; i < scores.size(); i += kChunk) {
      rows.clear();
      for (std::size_t j = i; j < std::min(scores.size(), i + kChunk); ++j)
        rows.push_back({run.run_id, scores[j].entity_id, scores[j].score, scores[j].cls, scores[j].input_digest});
      tx.db().dialect().BulkInsert(tx.db(), "credit_scores", {"run_id", "entity_id", "score", "class", "input_digest"},
                                   rows);
    }
    return OkStatus();
  });
  if (!st) return st.error();
  Json payload = {{"run_id", run.run_id},
                  {"model_id", run.model_id},
                  {"model_version", run.model_version},
                  {"model_digest", run.model_digest},
                  {"as_of", run.as_of},
                  {"entities", run.entities},
                  {"class_counts",
                   {{"A", run.class_counts[0]}, {"B", run.class_counts[1]}, {"C", run.class_counts[2]}, {"D", run.class_counts[3]}}},
                  {"scores_digest", run.scores_digest}};
  auto ev = AppendAuditEvent(tx, actor, "credit_run.insert", "credit_runs/" + run.run_id, payload);
  if (!ev) return ev.error();
  return run;
}

Result<std::optional<CreditRunRecord>> CreditRunStore::GetRun(const std::string& run_id) {
  return Guard("credit_run.get", [&]() -> Result<std::optional<CreditRunRecord>> {
    soci::rowset<soci::row> rs =
        (db_.session().prepare << "SELECT " << kRunCols << " FROM credit_runs WHERE run_id = :id", soci::use(run_id));
    for (const auto& r : rs) return std::optional<CreditRunRecord>(RunFrom(r));
    return std::optional<CreditRunRecord>();
  });
}

Result<std::optional<CreditRunRecord>> CreditRunStore::RunAsOf(const std::string& date) {
  return Guard("credit_run.get", [&]() -> Result<std::optional<CreditRunRecord>> {
    soci::rowset<soci::row> rs =
        (db_.session().prepare << "SELECT " << kRunCols
                               << " FROM credit_runs WHERE as_of <= :d "
                                  "ORDER BY as_of DESC, created_at DESC, run_id DESC LIMIT 1",
         soci::use(date));
    for (const auto& r : rs) return std::optional<CreditRunRecord>(RunFrom(r));
    return std::optional<CreditRunRecord>();
  });
}

Result<std::vector<CreditRunRecord>> CreditRunStore::ListRuns() {
  return Guard("credit_run.list", [&]() -> Result<std::vector<CreditRunRecord>> {
    std::vector<CreditRunRecord> out;
    soci::rowset<soci::row> rs =
        (db_.session().prepare << "SELECT " << kRunCols << " FROM credit_runs ORDER BY as_of, created_at, run_id");
    for (const auto& r : rs) out.push_back(RunFrom(r));
    return out;
  });
}

Result<std::vector<CreditScoreRecord>> CreditRunStore::Scores(const std::string& run_id) {
  return Guard("credit_run.scores", [&]() -> Result<std::vector<CreditScoreRecord>> {
    std::vector<CreditScoreRecord> out;
    soci::rowset<soci::row> rs = (db_.session().prepare << "SELECT entity_id, score, class, input_digest FROM "
                                                           "credit_scores WHERE run_id = :id ORDER BY entity_id",
                                  soci::use(run_id));
    for (const auto& r : rs) out.push_back({RowText(r, 0), RowText(r, 1), RowText(r, 2), RowText(r, 3)});
    return out;
  });
}

Result<std::optional<CreditScoreRecord>> CreditRunStore::Score(const std::string& run_id, const std::string& entity_id) {
  return Guard("credit_run.scores", [&]() -> Result<std::optional<CreditScoreRecord>> {
    soci::rowset<soci::row> rs = (db_.session().prepare << "SELECT entity_id, score, class, input_digest FROM "
                                                           "credit_scores WHERE run_id = :id AND entity_id = :e",
                                  soci::use(run_id), soci::use(entity_id));
    for (const auto& r : rs) return std::optional<CreditScoreRecord>(CreditScoreRecord{RowText(r, 0), RowText(r, 1), RowText(r, 2), RowText(r, 3)});
    return std::optional<CreditScoreRecord>();
  });
}

Result<std::vector<CreditRunStore::ClassRow>> CreditRunStore::ClassPage(const std::string& run_id, const std::string& cls,
                                                                       const std::string& region,
                                                                       const std::string& after, std::int64_t limit) {
  return Guard("credit_run.scores", [&]() -> Result<std::vector<ClassRow>> {
    std::string run = run_id, c = cls, like = RegionLike(region), a = after;
    long long n = limit;
    std::vector<ClassRow> out;
    // Empty filters match everything, so one statement with every parameter bound serves all queries.
    soci::rowset<soci::row> rs =
        (db_.session().prepare << "SELECT s.entity_id, e.name, e.region, s.score, s.class FROM credit_scores s "
                                  "JOIN entities e ON e.id = s.entity_id WHERE s.run_id = :run "
                                  "AND (:c1 = '' OR s.class = :c2) AND e.region LIKE :like ESCAPE '\\' "
                                  "AND s.entity_id > :after ORDER BY s.entity_id LIMIT :n",
         soci::use(run, "run"), soci::use(c, "c1"), soci::use(c, "c2"), soci::use(like, "like"), soci::use(a, "after"),
         soci::use(n, "n"));
    for (const auto& r : rs) out.push_back({RowText(r, 0), RowText(r, 1), RowText(r, 2), RowText(r, 3), RowText(r, 4)});
    return out;
  });
}

Result<std::unordered_map<std::string, std::string>> CreditRunStore::ClassesOfRun(const std::string& run_id) {
  return Guard("credit_run.scores", [&]() -> Result<std::unordered_map<std::string, std::string>> {
    std::unordered_map<std::string, std::string> out;
    soci::rowset<soci::row> rs =
        (db_.session().prepare << "SELECT entity_id, class FROM credit_scores WHERE run_id = :id", soci::use(run_id));
    for (const auto& r : rs) out.emplace(RowText(r, 0), RowText(r, 1));
    return out;
  });
}

Status CreditRunStore::VerifyRun(const std::string& run_id) {
  auto run = GetRun(run_id);
  if (!run) return run.error();
  if (!run.value()) return Error{"credit_run.unknown", "no scoring run " + run_id, "run_id"};
  auto scores = Scores(run_id);
  if (!scores) return scores.error();
  std::array<std::int64_t, 4> counts{};
  for (const auto& s : scores.value()) {
    int k = ClassIndex(s.cls);
    if (k < 0) return Error{"credit_run.tampered", "score of " + s.entity_id + " has class '" + s.cls + "'", "class"};
    ++counts[static_cast<std::size_t>(k)];
  }
  const auto& r = *run.value();
  if (static_cast<std::int64_t>(scores->size()) != r.entities || counts != r.class_counts)
    return Error{"credit_run.tampered",
                 "run " + run_id + " records " + std::to_string(r.entities) + " scores but " +
                     std::to_string(scores->size()) + " are stored (or the class counts differ)",
                 "scores"};
  std::string digest = ScoresDigest(scores.value());
  if (digest != r.scores_digest)
    return Error{"credit_run.tampered",
                 "the stored scores of run " + run_id + " hash to " + digest + ", the run recorded " + r.scores_digest,
                 "scores_digest"};
  return OkStatus();
}

}  // namespace suiji::store
