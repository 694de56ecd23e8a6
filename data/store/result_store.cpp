#include "data/store/result_store.h"

#include <functional>

#include <nlohmann/json.hpp>
#include <soci/soci.h>

#include "data/store/like.h"
#include "data/store/soci_rows.h"

namespace suiji::store {
namespace {

using nlohmann::json;

const char* const kColumns[] = {"result_id",    "version",      "draw_id",      "pairing_id",  "entity_id",
                                "plan_id",      "org_unit",     "department",   "state",       "result_code",
                                "findings",     "items",        "inspected_on", "concluded_on", "follow_up",
                                "evidence",     "team",         "signatures",   "return_reason", "reviewed_by",
                                "due_on",       "published_on", "published_at", "correction_reason",
                                "objection_code_hash", "updated_at"};
constexpr std::size_t kNumColumns = sizeof kColumns / sizeof kColumns[0];

std::string ColumnList(const std::string& alias = "") {
  std::string s;
  for (std::size_t i = 0; i < kNumColumns; ++i) s += (i ? ", " : "") + alias + kColumns[i];
  return s;
}

// Runs `sql` with text parameters bound as :p0, :p1, ...; `fn` sees each row of a SELECT.
void Run(Database& db, const std::string& sql, std::vector<std::string>& params,
         const std::function<void(const soci::row&)>& fn = nullptr) {
  soci::statement st(db.session());
  soci::row row;
  if (fn) st.exchange(soci::into(row));
  for (std::size_t i = 0; i < params.size(); ++i) st.exchange(soci::use(params[i], "p" + std::to_string(i)));
  st.alloc();
  st.prepare(sql);
  st.define_and_bind();
  if (!fn) {
    st.execute(true);
    return;
  }
  if (st.execute(true)) {
    do fn(row);
    while (st.fetch());
  }
}

std::string Items(const std::vector<Finding>& f) {
  std::string s = ",";
  for (const auto& x : f) s += x.item + ",";
  return s;
}

std::vector<std::string> ToRow(const ResultRecord& r) {
  json findings = json::array(), evidence = json::array();
  for (const auto& f : r.findings) findings.push_back({{"item", f.item}, {"outcome", f.outcome}, {"note", f.note}});
  for (const auto& e : r.evidence) evidence.push_back({{"sha256", e.sha256}, {"name", e.name}, {"bytes", e.bytes}});
  json follow{{"kind", r.follow_up.kind}, {"deadline", r.follow_up.deadline}, {"to", r.follow_up.to}};
  auto dump = [](const json& j) { return j.dump(-1, ' ', false, json::error_handler_t::strict); };
  return {r.result_id,     std::to_string(r.version), r.draw_id,         r.pairing_id,      r.entity_id,
          r.plan_id,       r.org_unit,               r.department,      r.state,           r.result_code,
          dump(findings),  Items(r.findings),        r.inspected_on,    r.concluded_on,    dump(follow),
          dump(evidence),  dump(json(r.team)),       dump(json(r.signatures)), r.return_reason, r.reviewed_by,
          r.due_on,        r.published_on,           r.published_at,    r.correction_reason,
          r.objection_code_hash, r.updated_at};
}

ResultRecord FromRow(const soci::row& row) {
  auto t = [&](std::size_t i) { return RowText(row, i); };
  ResultRecord r;
  r.result_id = t(0);
  r.version = RowInt(row, 1);
  r.draw_id = t(2);
  r.pairing_id = t(3);
  r.entity_id = t(4);
  r.plan_id = t(5);
  r.org_unit = t(6);
  r.department = t(7);
  r.state = t(8);
  r.result_code = t(9);
  for (const auto& f : json::parse(t(10)))
    r.findings.push_back({f.value("item", ""), f.value("outcome", ""), f.value("note", "")});
  r.inspected_on = t(12);
  r.concluded_on = t(13);
  auto follow = json::parse(t(14));
  r.follow_up = {follow.value("kind", ""), follow.value("deadline", ""), follow.value("to", "")};
  for (const auto& e : json::parse(t(15)))
    r.evidence.push_back({e.value("sha256", ""), e.value("name", ""), e.value("bytes", std::int64_t{0})});
  r.team = json::parse(t(16)).get<std::vector<std::string>>();
  r.signatures = json::parse(t(17)).get<std::vector<std::string>>();
  r.return_reason = t(18);
  r.reviewed_by = t(19);
  r.due_on = t(20);
  r.published_on = t(21);
  r.published_at = t(22);
  r.correction_reason = t(23);
  r.objection_code_hash = t(24);
  r.updated_at = t(25);
  return r;
}

Result<std::vector<ResultRecord>> Select(Database& db, const std::string& where, std::vector<std::string> params,
                                         const std::string& order, const std::string& code) {
  return Guard(code, [&]() -> Result<std::vector<ResultRecord>> {
    std::vector<ResultRecord> out;
    Run(db, "SELECT " + ColumnList("r.") + " FROM results r WHERE " + where + " ORDER BY " + order, params,
        [&](const soci::row& row) { out.push_back(FromRow(row)); });
    return out;
  });
}

constexpr const char* kLatest = "r.version = (SELECT MAX(q.version) FROM results q WHERE q.result_id = r.result_id)";

// The WHERE clause over public_results p and its parameters for a public search.
std::string PublicWhere(const PublicResultFilter& f, std::vector<std::string>& p) {
  std::string w = "1 = 1";
  auto add = [&](const std::string& cond, const std::string& value) {
    std::string c = cond;
    c.replace(c.find('?'), 1, ":p" + std::to_string(p.size()));
    p.push_back(value);
    w += " AND " + c;
  };
  if (!f.entity_id.empty()) add("p.entity_id = ?", f.entity_id);
  if (!f.name.empty()) add("p.entity_name LIKE ? ESCAPE '\\'", "%" + LikeEscaped(f.name) + "%");
  if (!f.region.empty()) {
    // A region covers the codes with its prefix: a range, so the index serves it whatever the collation.
    const std::string prefix = RegionPrefix(f.region);
    std::string next = prefix;
    next.back() = static_cast<char>(next.back() + 1);
    add("p.region >= ?", prefix);
    add("p.region < ?", next);
  }
  if (!f.department.empty()) add("p.department = ?", f.department);
  if (!f.item.empty()) add("p.items LIKE ? ESCAPE '\\'", "%," + LikeEscaped(f.item) + ",%");
  if (!f.result_code.empty()) add("p.result_code = ?", f.result_code);
  if (!f.from.empty()) add("p.inspected_on >= ?", f.from);
  if (!f.to.empty()) add("p.inspected_on <= ?", f.to);
  return w;
}

std::string Placeholders(std::size_t n) {
  std::string s;
  for (std::size_t i = 0; i < n; ++i) s += (i ? ", :p" : ":p") + std::to_string(i);
  return s;
}

ObjectionRecord ObjectionFromRow(const soci::row& row) {
  auto t = [&](std::size_t i) { return RowText(row, i); };
  return {t(0), t(1), RowInt(row, 2), t(3), t(4), t(5), t(6), t(7), t(8), t(9), RowInt(row, 10)};
}
constexpr const char* kObjectionColumns =
    "receipt_no, result_id, version, filed_at, reason, contact, state, decision_reason, decided_at, decided_by, "
    "corrected_version";

}  // namespace

Status ResultStore::Insert(Transaction& tx, const ResultRecord& r) {
  return Guard("result.insert", [&]() -> Status {
    auto p = ToRow(r);
    Run(tx.db(), "INSERT INTO results (" + ColumnList() + ") VALUES (" + Placeholders(kNumColumns) + ")", p);
    return OkStatus();
  });
}

Status ResultStore::Update(Transaction& tx, const ResultRecord& r) {
  return Guard("result.update", [&]() -> Status {
    auto p = ToRow(r);
    std::string sql = "UPDATE results SET ";
    for (std::size_t i = 2; i < kNumColumns; ++i) sql += std::string(i > 2 ? ", " : "") + kColumns[i] + " = :p" + std::to_string(i);
    sql += " WHERE result_id = :p0 AND version = :p1 AND state <> 'published'";
    int before = 0;
    std::string id = r.result_id;
    long long v = r.version;
    tx.db().session() << "SELECT COUNT(*) FROM results WHERE result_id = :id AND version = :v AND state <> 'published'",
        soci::use(id, "id"), soci::use(v, "v"), soci::into(before);
    if (!before)
      return Error{"result.published", "result " + r.result_id + " version " + std::to_string(r.version) +
                                           " is published (or gone): a published result is never changed",
                   "result_id"};
    Run(tx.db(), sql, p);
    return OkStatus();
  });
}

Result<std::optional<ResultRecord>> ResultStore::Latest(const std::string& result_id) {
  auto v = Versions(result_id);
  if (!v) return v.error();
  if (v->empty()) return std::optional<ResultRecord>();
  return std::optional<ResultRecord>(v->back());
}

Result<std::vector<ResultRecord>> ResultStore::Versions(const std::string& result_id) {
  return Select(db_, "r.result_id = :p0", {result_id}, "r.version", "result.get");
}

Result<std::vector<ResultRecord>> ResultStore::VersionsIn(const std::string& first, const std::string& last) {
  return Select(db_, "r.result_id >= :p0 AND r.result_id <= :p1", {first, last}, "r.result_id, r.version", "result.get");
}

Result<std::vector<ResultRecord>> ResultStore::LatestWhere(const std::string& draw_id, const std::string& state) {
  std::vector<std::string> p;
  std::string w = kLatest;
  if (!draw_id.empty()) {
    w += " AND r.draw_id = :p" + std::to_string(p.size());
    p.push_back(draw_id);
  }
  if (!state.empty()) {
    w += " AND r.state = :p" + std::to_string(p.size());
    p.push_back(state);
  }
  return Select(db_, w, p, "r.result_id", "result.list");
}

Result<std::vector<ResultRecord>> ResultStore::Unpublished() {
  return Select(db_, std::string(kLatest) + " AND r.state <> 'published'", {}, "r.due_on, r.result_id", "result.list");
}

Result<std::vector<ResultRecord>> ResultStore::PublicPage(const PublicResultFilter& f, const std::string& after,
                                                          std::int64_t limit) {
  return Guard("result.search", [&]() -> Result<std::vector<ResultRecord>> {
    std::vector<std::string> p;
    std::string w = PublicWhere(f, p);
    if (!after.empty()) {
      w += " AND p.result_id > :p" + std::to_string(p.size());
      p.push_back(after);
    }
    std::vector<ResultRecord> out;
    Run(db_,
        "SELECT " + ColumnList("r.") +
            " FROM public_results p JOIN results r ON r.result_id = p.result_id AND r.version = p.version WHERE " + w +
            " ORDER BY p.result_id LIMIT " + std::to_string(std::max<std::int64_t>(0, limit)),
        p, [&](const soci::row& row) { out.push_back(FromRow(row)); });
    return out;
  });
}

Result<std::int64_t> ResultStore::PublicCount(const PublicResultFilter& f) {
  return Guard("result.search", [&]() -> Result<std::int64_t> {
    std::vector<std::string> p;
    std::string w = PublicWhere(f, p);
    std::int64_t n = 0;
    Run(db_, "SELECT COUNT(*) FROM public_results p WHERE " + w, p, [&](const soci::row& row) { n = RowInt(row, 0); });
    return n;
  });
}

Result<ResultStore::Stats> ResultStore::PublicStats() {
  return Guard("result.stats", [&]() -> Result<Stats> {
    Stats s;
    std::vector<std::string> none;
    auto group = [&](const std::string& expr, std::map<std::string, std::int64_t>& out) {
      Run(db_, "SELECT " + expr + ", COUNT(*) FROM public_results GROUP BY " + expr, none,
          [&](const soci::row& r) { out[RowText(r, 0)] = RowInt(r, 1); });
    };
    group("department", s.by_department);
    group("region", s.by_region);
    group("result_code", s.by_result);
    group("SUBSTR(published_on, 1, 7)", s.by_month);
    Run(db_, "SELECT items, COUNT(*) FROM public_results GROUP BY items", none, [&](const soci::row& r) {
      const std::string items = RowText(r, 0);
      const std::int64_t n = RowInt(r, 1);
      std::size_t at = 1;
      while (at < items.size()) {
        std::size_t comma = items.find(',', at);
        if (comma == std::string::npos) break;
        if (comma > at) s.by_item[items.substr(at, comma - at)] += n;
        at = comma + 1;
      }
    });
    for (const auto& [k, v] : s.by_department) s.published += v;
    Run(db_, "SELECT COUNT(*) FROM results WHERE version = 1 AND state = 'published' AND published_on <= due_on", none,
        [&](const soci::row& r) { s.on_time = RowInt(r, 0); });
    return s;
  });
}

Status ResultStore::SetCurrentPublished(Transaction& tx, const ResultRecord& r) {
  return Guard("result.public", [&]() -> Status {
    std::vector<std::string> p{r.result_id};
    Run(tx.db(), "DELETE FROM public_results WHERE result_id = :p0", p);
    std::vector<std::string> q{r.result_id, std::to_string(r.version), r.entity_id, r.department, r.result_code,
                               Items(r.findings), r.inspected_on, r.published_on, r.entity_id, r.entity_id};
    Run(tx.db(),
        "INSERT INTO public_results (result_id, version, entity_id, entity_name, region, department, result_code, items, "
        "inspected_on, published_on) SELECT :p0, :p1, :p2, COALESCE((SELECT name FROM entities WHERE id = :p8), ''), "
        "COALESCE((SELECT region FROM entities WHERE id = :p9), ''), :p3, :p4, :p5, :p6, :p7",
        q);
    return OkStatus();
  });
}

Result<std::vector<ResultRecord>> ResultStore::PublishedForEntity(const std::string& entity_id) {
  return Select(db_, "r.entity_id = :p0 AND r.state = 'published'", {entity_id}, "r.result_id, r.version", "result.entity");
}

Result<std::int64_t> ResultStore::AppendPublication(Transaction& tx, const std::string& result_id, std::int64_t version,
                                                    const std::string& kind, const std::string& entity_id) {
  return Guard("result.publication", [&]() -> Result<std::int64_t> {
    long long seq = 0;
    soci::indicator ind = soci::i_ok;
    tx.db().session() << "SELECT MAX(seq) FROM publications", soci::into(seq, ind);
    seq = ind == soci::i_null ? 1 : seq + 1;  // under the transaction's write lock: no race
    std::vector<std::string> p{std::to_string(seq), result_id, std::to_string(version), kind, entity_id, tx.db().Now()};
    Run(tx.db(), "INSERT INTO publications (seq, result_id, version, kind, entity_id, at) VALUES (" + Placeholders(6) + ")", p);
    return static_cast<std::int64_t>(seq);
  });
}

Result<std::vector<PublicationRecord>> ResultStore::Changes(std::int64_t since, std::int64_t limit) {
  return Guard("result.changes", [&]() -> Result<std::vector<PublicationRecord>> {
    std::vector<PublicationRecord> out;
    std::vector<std::string> p{std::to_string(since)};
    Run(db_, "SELECT seq, result_id, version, kind, entity_id, at FROM publications WHERE seq > :p0 ORDER BY seq LIMIT " +
                 std::to_string(std::max<std::int64_t>(0, limit)),
        p, [&](const soci::row& r) {
          out.push_back({RowInt(r, 0), RowText(r, 1), RowInt(r, 2), RowText(r, 3), RowText(r, 4), RowText(r, 5)});
        });
    return out;
  });
}

Status ResultStore::InsertObjection(Transaction& tx, const ObjectionRecord& o) {
  return Guard("objection.insert", [&]() -> Status {
    std::vector<std::string> p{o.receipt_no, o.result_id,  std::to_string(o.version), o.filed_at,
                               o.reason,     o.contact,    o.state,                   o.decision_reason,
                               o.decided_at, o.decided_by, std::to_string(o.corrected_version)};
    Run(tx.db(), std::string("INSERT INTO objections (") + kObjectionColumns + ") VALUES (" + Placeholders(11) + ")", p);
    return OkStatus();
  });
}

Status ResultStore::UpdateObjection(Transaction& tx, const ObjectionRecord& o) {
  return Guard("objection.update", [&]() -> Status {
    std::vector<std::string> p{o.receipt_no, o.state, o.decision_reason, o.decided_at, o.decided_by,
                               std::to_string(o.corrected_version)};
    Run(tx.db(),
        "UPDATE objections SET state = :p1, decision_reason = :p2, decided_at = :p3, decided_by = :p4, "
        "corrected_version = :p5 WHERE receipt_no = :p0 AND state = 'pending'",
        p);
    return OkStatus();
  });
}

Result<std::optional<ObjectionRecord>> ResultStore::Objection(const std::string& receipt_no) {
  return Guard("objection.get", [&]() -> Result<std::optional<ObjectionRecord>> {
    std::optional<ObjectionRecord> out;
    std::vector<std::string> p{receipt_no};
    Run(db_, std::string("SELECT ") + kObjectionColumns + " FROM objections WHERE receipt_no = :p0", p,
        [&](const soci::row& r) { out = ObjectionFromRow(r); });
    return out;
  });
}

Result<std::vector<ObjectionRecord>> ResultStore::Objections(const std::string& result_id) {
  return Guard("objection.list", [&]() -> Result<std::vector<ObjectionRecord>> {
    std::vector<ObjectionRecord> out;
    std::vector<std::string> p{result_id};
    Run(db_, std::string("SELECT ") + kObjectionColumns + " FROM objections WHERE result_id = :p0 ORDER BY filed_at, receipt_no",
        p, [&](const soci::row& r) { out.push_back(ObjectionFromRow(r)); });
    return out;
  });
}

Result<std::vector<ObjectionRecord>> ResultStore::ObjectionsIn(const std::string& first, const std::string& last) {
  return Guard("objection.list", [&]() -> Result<std::vector<ObjectionRecord>> {
    std::vector<ObjectionRecord> out;
    std::vector<std::string> p{first, last};
    Run(db_, std::string("SELECT ") + kObjectionColumns +
                 " FROM objections WHERE result_id >= :p0 AND result_id <= :p1 ORDER BY result_id, filed_at, receipt_no",
        p, [&](const soci::row& r) { out.push_back(ObjectionFromRow(r)); });
    return out;
  });
}

Result<std::vector<ObjectionRecord>> ResultStore::PendingObjections() {
  return Guard("objection.list", [&]() -> Result<std::vector<ObjectionRecord>> {
    std::vector<ObjectionRecord> out;
    std::vector<std::string> p;
    Run(db_, std::string("SELECT ") + kObjectionColumns + " FROM objections WHERE state = 'pending' ORDER BY filed_at, receipt_no",
        p, [&](const soci::row& r) { out.push_back(ObjectionFromRow(r)); });
    return out;
  });
}

}  // namespace suiji::store
