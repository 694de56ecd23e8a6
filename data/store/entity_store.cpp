#include "data/store/entity_store.h"

#include "data/store/like.h"

#include <soci/soci.h>

#include "core/canonical_json.h"
#include "data/store/audit_log.h"
#include "data/store/soci_rows.h"
#include "data/store/timeouts.h"

namespace suiji::store {

const TableSpec& EntityCodec::Spec() {
  static const TableSpec spec{"entities",
                              {"id", "id_kind", "name", "entity_type", "region", "industry", "status", "established",
                               "address", "legal_rep", "special_registers", "regno", "type_code", "type_label",
                               "status_label", "repairs"},
                              1,
                              {"special_registers", "repairs"},
                              "updated_at",
                              "entity",
                              true,
                              {"regno", "type_code", "type_label", "status_label", "repairs"}};
  return spec;
}

Row EntityCodec::ToRow(const Entity& e) {
  return {e.id.value,  IdKindName(e.id.kind), e.name,    e.entity_type, e.region,
          e.industry,  e.status,              e.established, e.address, e.legal_rep,
          EncodeList(e.special_registers), e.regno, e.type_code, e.type_label, e.status_label, EncodeList(e.repairs)};
}

Row EntityCodec::ToRow(Entity&& e) {
  Row r;
  r.reserve(Spec().columns.size() + 3);  // + the stamp and provenance values the store appends
  r.push_back(std::move(e.id.value));
  r.emplace_back(IdKindName(e.id.kind));
  for (std::string* f : {&e.name, &e.entity_type, &e.region, &e.industry, &e.status, &e.established, &e.address,
                         &e.legal_rep})
    r.push_back(std::move(*f));
  r.push_back(EncodeList(e.special_registers));
  for (std::string* f : {&e.regno, &e.type_code, &e.type_label, &e.status_label}) r.push_back(std::move(*f));
  r.push_back(EncodeList(e.repairs));
  return r;
}

Result<Entity> EntityCodec::FromRow(const Row& r) {
  Entity e;
  e.id.value = r[0];
  if (r[1] == IdKindName(IdKind::kUscc)) e.id.kind = IdKind::kUscc;
  else if (r[1] == IdKindName(IdKind::kRegistrationNumber)) e.id.kind = IdKind::kRegistrationNumber;
  else if (r[1] == IdKindName(IdKind::kLegacy)) e.id.kind = IdKind::kLegacy;
  else return Error{"store.decode", "entity " + r[0] + " has unknown id_kind '" + r[1] + "'", "id_kind"};
  e.name = r[2];
  e.entity_type = r[3];
  e.region = r[4];
  e.industry = r[5];
  e.status = r[6];
  e.established = r[7];
  e.address = r[8];
  e.legal_rep = r[9];
  auto regs = DecodeList(r[10], "special_registers");
  if (!regs) return regs.error();
  e.special_registers = std::move(regs).value();
  e.regno = r[11];
  e.type_code = r[12];
  e.type_label = r[13];
  e.status_label = r[14];
  auto repairs = DecodeList(r[15], "repairs");
  if (!repairs) return repairs.error();
  e.repairs = std::move(repairs).value();
  return e;
}

namespace {
constexpr std::size_t kIdCol = 0, kKindCol = 1, kRegNoCol = 11;
constexpr std::size_t kChunk = 400;  // bound parameters per statement (SQLite's limit is 999 on old builds)

// Primary ids among `ids` that are stored, by one statement per chunk with bound parameters.
std::vector<std::string> StoredIds(Database& db, const std::vector<std::string>& ids, const char* column) {
  std::vector<std::string> found;
  for (std::size_t i = 0; i < ids.size(); i += kChunk) {
    std::size_t n = std::min(kChunk, ids.size() - i);
    std::string sql = std::string("SELECT id FROM entities WHERE ") + column + " IN (";
    for (std::size_t j = 0; j < n; ++j) sql += (j ? ",:p" : ":p") + std::to_string(j);
    sql += ")";
    std::vector<std::string> params(ids.begin() + static_cast<std::ptrdiff_t>(i),
                                    ids.begin() + static_cast<std::ptrdiff_t>(i + n));
    std::vector<std::string> out(n + 1);
    soci::statement st(db.session());
    st.exchange(soci::into(out));
    for (std::size_t j = 0; j < n; ++j) st.exchange(soci::use(params[j], "p" + std::to_string(j)));
    st.alloc();
    st.prepare(sql);
    st.define_and_bind();
    st.execute();
    while (st.fetch()) {
      found.insert(found.end(), out.begin(), out.end());
      out.resize(n + 1);
    }
  }
  return found;
}
}  // namespace

const std::vector<std::string>& EntityHistoryTables() {
  static const std::vector<std::string> t{"inspections",    "penalties",   "list_memberships", "list_events",
                                          "annual_reports", "external_indicators", "credit_scores", "flags",
                                          "flag_feedback",  "credit_repairs", "complaints", "recusal_requests"};
  return t;
}

Result<std::vector<Reregistration>> EntityStore::Reregister(Transaction& tx, const PreparedRows& batch,
                                                            std::string_view actor) {
  std::map<std::string, std::string> to_of;  // registration number -> USCC, for rows that have both
  for (const Row& r : batch.rows)
    if (r.size() > kRegNoCol && r[kKindCol] == IdKindName(IdKind::kUscc) && !r[kRegNoCol].empty())
      to_of.emplace(r[kRegNoCol], r[kIdCol]);
  std::vector<Reregistration> out;
  if (to_of.empty()) return out;
  Database& db = tx.db();
  try {
    std::vector<std::string> keys;
    for (const auto& [from, to] : to_of) keys.push_back(from);
    for (const std::string& from : StoredIds(db, keys, "id")) {
      Reregistration rr{from, to_of.at(from), 0, ""};
      if (rr.from == rr.to) continue;
      auto moved = table_.Rekey(tx, {rr.from}, {rr.to}, actor, "re-registration (换照): registration number " + rr.from +
                                                                  " now has the unified social credit code " + rr.to);
      if (!moved) {
        if (moved.error().code != "store.rekey_conflict") return moved.error();
        rr.conflict = moved.error().message;
        out.push_back(std::move(rr));
        continue;
      }
      Json counts = Json::object();
      for (const auto& t : EntityHistoryTables()) {
        soci::statement st = (db.session().prepare << "UPDATE " + t + " SET entity_id = :to WHERE entity_id = :from",
                              soci::use(rr.to, "to"), soci::use(rr.from, "from"));
        st.execute(true);
        long long n = st.get_affected_rows();
        if (n > 0) counts[t] = n;
        rr.records_moved += n;
      }
      auto ev = AppendAuditEvent(tx, actor, "entity.reregister", "entities/" + rr.to,
                                 Json{{"from", rr.from}, {"to", rr.to}, {"moved", counts}});
      if (!ev) return ev.error();
      std::string at = ev.value().at;
      long long seq = ev.value().seq;
      db.session() << "INSERT INTO entity_renames (old_id, new_id, renamed_at, audit_seq) VALUES (:o, :n, :a, :s)",
          soci::use(rr.from, "o"), soci::use(rr.to, "n"), soci::use(at, "a"), soci::use(seq, "s");
      // An id renamed earlier to `from` now resolves to `to` as well.
      db.session() << "UPDATE entity_renames SET new_id = :n WHERE new_id = :o AND old_id <> :o2", soci::use(rr.to, "n"),
          soci::use(rr.from, "o"), soci::use(rr.from, "o2");
      out.push_back(std::move(rr));
    }
  } catch (const std::exception& e) {
    NoteIfStatementTimeout(e);
    return Error{"store.reregister", std::string("re-registration: ") + e.what(), "entities"};
  }
  return out;
}

Result<std::optional<std::string>> EntityStore::Resolve(std::string_view raw) {
  std::string id(raw);
  try {
    Database& db = table_.db();
    for (const char* column : {"id", "regno"}) {
      auto found = StoredIds(db, {id}, column);
      if (!found.empty()) return std::optional<std::string>(found.front());
    }
    std::string to;
    soci::indicator ind = soci::i_null;
    db.session() << "SELECT new_id FROM entity_renames WHERE old_id = :o", soci::into(to, ind), soci::use(id, "o");
    if (db.session().got_data() && ind == soci::i_ok) return std::optional<std::string>(to);
  } catch (const std::exception& e) {
    NoteIfStatementTimeout(e);
    return Error{"store.resolve", std::string("resolving entity ") + id + ": " + e.what(), "id"};
  }
  return std::optional<std::string>();
}

Result<std::map<std::string, std::string>> EntityStore::Renamed(const std::vector<std::string>& ids) {
  std::map<std::string, std::string> out;
  try {
    Database& db = table_.db();
    for (const auto& id : ids) {
      std::string to;
      soci::indicator ind = soci::i_null;
      std::string key = id;
      db.session() << "SELECT new_id FROM entity_renames WHERE old_id = :o", soci::into(to, ind), soci::use(key, "o");
      if (db.session().got_data() && ind == soci::i_ok) out[id] = to;
    }
  } catch (const std::exception& e) {
    NoteIfStatementTimeout(e);
    return Error{"store.resolve", std::string("entity renames: ") + e.what(), "id"};
  }
  return out;
}


Result<std::vector<Entity>> EntityStore::Page(const Filter& f, const std::string& after, std::int64_t limit) {
  std::string where;
  std::vector<std::string> params;
  auto add = [&](const std::string& cond, std::string value) {
    where += (where.empty() ? "" : " AND ") + cond + std::to_string(params.size()) + " ESCAPE '\\'";
    params.push_back(std::move(value));
  };
  if (!f.region.empty()) add("region LIKE :p", LikeEscaped(RegionPrefix(f.region)) + "%");
  if (!f.industry.empty()) add("industry LIKE :p", LikeEscaped(f.industry) + "%");
  if (!f.name.empty()) add("name LIKE :p", "%" + LikeEscaped(f.name) + "%");
  auto eq = [&](const std::string& column, const std::string& value) {
    where += (where.empty() ? "" : " AND ") + column + " = :p" + std::to_string(params.size());
    params.push_back(value);
  };
  if (!f.status.empty()) eq("status", f.status);
  if (!f.entity_type.empty()) eq("entity_type", f.entity_type);
  auto rows = table_.SelectPage(where, std::move(params), after, limit);
  if (!rows) return rows.error();
  std::vector<Entity> out;
  out.reserve(rows->size());
  for (const auto& r : rows.value()) {
    auto e = EntityCodec::FromRow(r);
    if (!e) return e.error();
    out.push_back(std::move(e).value());
  }
  return out;
}

Result<std::map<std::string, std::string>> EntityStore::AllRenames() {
  std::map<std::string, std::string> out;
  try {
    soci::rowset<soci::row> rs = (table_.db().session().prepare << "SELECT old_id, new_id FROM entity_renames");
    for (const auto& r : rs) out[r.get<std::string>(0)] = r.get<std::string>(1);
  } catch (const std::exception& e) {
    NoteIfStatementTimeout(e);
    return Error{"store.resolve", std::string("entity renames: ") + e.what(), "id"};
  }
  return out;
}

}  // namespace suiji::store

namespace suiji::store {

Result<std::map<std::string, std::int64_t>> EntityStore::CountByRegion() {
  return Guard("store.entity_count", [&]() -> Result<std::map<std::string, std::int64_t>> {
    std::map<std::string, std::int64_t> out;
    soci::rowset<soci::row> rows = table_.db().session().prepare << "SELECT region, COUNT(*) FROM entities GROUP BY region";
    for (const auto& r : rows) out[RowText(r, 0)] = RowInt(r, 1);
    return out;
  });
}

}  // namespace suiji::store
