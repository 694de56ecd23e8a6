#include "data/store/draw_store.h"
#include "data/store/soci_rows.h"

#include <soci/soci.h>

namespace suiji::store {
namespace {

constexpr const char* kDrawCols =
    "draw_id, plan_id, plan_digest, plan_text, commitment, commitment_digest, state, entropy, seed_hash, "
    "committed_at, revealed_at, supersedes, reason";
DrawRecord DrawFrom(const soci::row& r) {
  return DrawRecord{RowText(r, 0), RowText(r, 1), RowText(r, 2), RowText(r, 3), RowText(r, 4), RowText(r, 5), RowText(r, 6),
                    RowText(r, 7), RowText(r, 8), RowText(r, 9), RowText(r, 10), RowText(r, 11), RowText(r, 12)};
}

constexpr const char* kPairCols =
    "pairing_id, draw_id, attempt, commitment, commitment_digest, state, entropy, seed_hash, status, "
    "committed_at, revealed_at";
PairingRecord PairingFrom(const soci::row& r) {
  return PairingRecord{RowText(r, 0), RowText(r, 1), RowInt(r, 2), RowText(r, 3), RowText(r, 4), RowText(r, 5),
                       RowText(r, 6), RowText(r, 7), RowText(r, 8), RowText(r, 9), RowText(r, 10)};
}


// Runs a conditional UPDATE and fails with `code` unless exactly one row changed.
template <typename Bind>
Status UpdateOne(Database& db, const std::string& sql, Bind bind, const std::string& code, const std::string& why) {
  soci::statement st(db.session());
  st.alloc();
  st.prepare(sql);
  bind(st);
  st.define_and_bind();
  st.execute(true);
  if (st.get_affected_rows() != 1) return Error{code, why, ""};
  return OkStatus();
}

}  // namespace

Status DrawStore::InsertDraw(Transaction& tx, const DrawRecord& d) {
  return Guard("draw.insert", [&]() -> Status {
    auto& s = tx.db().session();
    s << "INSERT INTO draws (" << kDrawCols
      << ") VALUES (:a, :b, :c, :d, :e, :f, :g, :h, :i, :j, :k, :l, :m)",
        soci::use(d.draw_id), soci::use(d.plan_id), soci::use(d.plan_digest), soci::use(d.plan_text),
        soci::use(d.commitment), soci::use(d.commitment_digest), soci::use(d.state), soci::use(d.entropy),
        soci::use(d.seed_hash), soci::use(d.committed_at), soci::use(d.revealed_at), soci::use(d.supersedes),
        soci::use(d.reason);
    return OkStatus();
  });
}

Result<std::optional<DrawRecord>> DrawStore::GetDraw(const std::string& draw_id) {
  return Guard("draw.get", [&]() -> Result<std::optional<DrawRecord>> {
    soci::rowset<soci::row> rs = (db_.session().prepare << "SELECT " << kDrawCols
                                                         << " FROM draws WHERE draw_id = :id",
                                  soci::use(draw_id));
    for (const auto& r : rs) return std::optional<DrawRecord>(DrawFrom(r));
    return std::optional<DrawRecord>();
  });
}

Result<std::vector<DrawRecord>> DrawStore::ActiveDraws(const std::string& plan_id) {
  return Guard("draw.list", [&]() -> Result<std::vector<DrawRecord>> {
    std::vector<DrawRecord> out;
    soci::rowset<soci::row> rs =
        (db_.session().prepare << "SELECT " << kDrawCols
                               << " FROM draws WHERE plan_id = :p AND state <> 'superseded' "
                                  "ORDER BY committed_at DESC, draw_id DESC",
         soci::use(plan_id));
    for (const auto& r : rs) out.push_back(DrawFrom(r));
    return out;
  });
}

Result<std::vector<DrawRecord>> DrawStore::ListDraws() {
  return Guard("draw.list", [&]() -> Result<std::vector<DrawRecord>> {
    std::vector<DrawRecord> out;
    soci::rowset<soci::row> rs =
        (db_.session().prepare << "SELECT " << kDrawCols << " FROM draws ORDER BY committed_at, draw_id");
    for (const auto& r : rs) out.push_back(DrawFrom(r));
    return out;
  });
}

Status DrawStore::MarkRevealed(Transaction& tx, const std::string& draw_id, const std::string& entropy,
                               const std::string& seed_hash, const std::string& at) {
  return Guard("draw.reveal", [&]() -> Status {
    return UpdateOne(
        tx.db(),
        "UPDATE draws SET state = 'revealed', entropy = :e, seed_hash = :s, revealed_at = :a "
        "WHERE draw_id = :id AND state = 'committed'",
        [&](soci::statement& st) {
          st.exchange(soci::use(entropy));
          st.exchange(soci::use(seed_hash));
          st.exchange(soci::use(at));
          st.exchange(soci::use(draw_id));
        },
        "draw.state", "draw " + draw_id + " is not in state 'committed' (already revealed or superseded)");
  });
}

Status DrawStore::MarkSuperseded(Transaction& tx, const std::string& draw_id) {
  return Guard("draw.supersede", [&]() -> Status {
    return UpdateOne(
        tx.db(), "UPDATE draws SET state = 'superseded' WHERE draw_id = :id AND state <> 'superseded'",
        [&](soci::statement& st) { st.exchange(soci::use(draw_id)); }, "draw.state",
        "draw " + draw_id + " is already superseded");
  });
}

Status DrawStore::InsertSubstitution(Transaction& tx, const SubstitutionRecord& s) {
  return Guard("draw.substitution", [&]() -> Status {
    auto& ses = tx.db().session();
    long long next = 0;
    soci::indicator ind;
    ses << "SELECT MAX(seq) FROM draw_substitutions WHERE draw_id = :d", soci::use(s.draw_id),
        soci::into(next, ind);
    long long seq = ind == soci::i_null ? 1 : next + 1;
    ses << "INSERT INTO draw_substitutions (draw_id, seq, stratum, out_id, in_id, reason, at) "
           "VALUES (:d, :q, :s, :o, :i, :r, :a)",
        soci::use(s.draw_id), soci::use(seq), soci::use(s.stratum), soci::use(s.out_id), soci::use(s.in_id),
        soci::use(s.reason), soci::use(s.at);
    return OkStatus();
  });
}

Result<std::vector<SubstitutionRecord>> DrawStore::Substitutions(const std::string& draw_id) {
  return Guard("draw.substitution", [&]() -> Result<std::vector<SubstitutionRecord>> {
    std::vector<SubstitutionRecord> out;
    soci::rowset<soci::row> rs =
        (db_.session().prepare << "SELECT draw_id, seq, stratum, out_id, in_id, reason, at "
                                  "FROM draw_substitutions WHERE draw_id = :d ORDER BY seq",
         soci::use(draw_id));
    for (const auto& r : rs)
      out.push_back({RowText(r, 0), RowInt(r, 1), RowText(r, 2), RowText(r, 3), RowText(r, 4), RowText(r, 5), RowText(r, 6)});
    return out;
  });
}

Status DrawStore::InsertPairing(Transaction& tx, const PairingRecord& p) {
  return Guard("pairing.insert", [&]() -> Status {
    long long attempt = p.attempt;
    tx.db().session() << "INSERT INTO pairings (" << kPairCols
                      << ") VALUES (:a, :b, :c, :d, :e, :f, :g, :h, :i, :j, :k)",
        soci::use(p.pairing_id), soci::use(p.draw_id), soci::use(attempt), soci::use(p.commitment),
        soci::use(p.commitment_digest), soci::use(p.state), soci::use(p.entropy), soci::use(p.seed_hash),
        soci::use(p.status), soci::use(p.committed_at), soci::use(p.revealed_at);
    return OkStatus();
  });
}

Result<std::optional<PairingRecord>> DrawStore::GetPairing(const std::string& pairing_id) {
  return Guard("pairing.get", [&]() -> Result<std::optional<PairingRecord>> {
    soci::rowset<soci::row> rs = (db_.session().prepare << "SELECT " << kPairCols
                                                         << " FROM pairings WHERE pairing_id = :id",
                                  soci::use(pairing_id));
    for (const auto& r : rs) return std::optional<PairingRecord>(PairingFrom(r));
    return std::optional<PairingRecord>();
  });
}

Result<std::vector<PairingRecord>> DrawStore::Pairings(const std::string& draw_id) {
  return Guard("pairing.list", [&]() -> Result<std::vector<PairingRecord>> {
    std::vector<PairingRecord> out;
    soci::rowset<soci::row> rs = (db_.session().prepare << "SELECT " << kPairCols
                                                         << " FROM pairings WHERE draw_id = :d ORDER BY attempt",
                                  soci::use(draw_id));
    for (const auto& r : rs) out.push_back(PairingFrom(r));
    return out;
  });
}

Status DrawStore::MarkPairingRevealed(Transaction& tx, const std::string& pairing_id, const std::string& entropy,
                                      const std::string& seed_hash, const std::string& status,
                                      const std::string& at) {
  return Guard("pairing.reveal", [&]() -> Status {
    return UpdateOne(
        tx.db(),
        "UPDATE pairings SET state = 'revealed', entropy = :e, seed_hash = :s, status = :t, revealed_at = :a "
        "WHERE pairing_id = :id AND state = 'committed'",
        [&](soci::statement& st) {
          st.exchange(soci::use(entropy));
          st.exchange(soci::use(seed_hash));
          st.exchange(soci::use(status));
          st.exchange(soci::use(at));
          st.exchange(soci::use(pairing_id));
        },
        "pairing.state", "pairing " + pairing_id + " is not in state 'committed' (already revealed)");
  });
}

Status DrawStore::PutRecusal(Transaction& tx, const RecusalRequest& r) {
  return Guard("recusal.put", [&]() -> Status {
    auto& s = tx.db().session();
    s << "DELETE FROM recusal_requests WHERE entity_id = :e AND cert_no = :c", soci::use(r.entity_id),
        soci::use(r.cert_no);
    s << "INSERT INTO recusal_requests (entity_id, cert_no, reason, requested_on) VALUES (:e, :c, :r, :d)",
        soci::use(r.entity_id), soci::use(r.cert_no), soci::use(r.reason), soci::use(r.requested_on);
    return OkStatus();
  });
}

Result<std::vector<RecusalRequest>> DrawStore::Recusals() {
  return Guard("recusal.list", [&]() -> Result<std::vector<RecusalRequest>> {
    std::vector<RecusalRequest> out;
    soci::rowset<soci::row> rs = (db_.session().prepare << "SELECT entity_id, cert_no, reason, requested_on "
                                                           "FROM recusal_requests ORDER BY entity_id, cert_no");
    for (const auto& r : rs) out.push_back({RowText(r, 0), RowText(r, 1), RowText(r, 2), RowText(r, 3)});
    return out;
  });
}

Result<std::optional<std::string>> DrawStore::GetSetting(const std::string& name) {
  return Guard("setting.get", [&]() -> Result<std::optional<std::string>> {
    soci::rowset<soci::row> rs =
        (db_.session().prepare << "SELECT value FROM settings WHERE name = :n", soci::use(name));
    for (const auto& r : rs) return std::optional<std::string>(RowText(r, 0));
    return std::optional<std::string>();
  });
}

Status DrawStore::PutSetting(Transaction& tx, const std::string& name, const std::string& value) {
  return Guard("setting.put", [&]() -> Status {
    auto& s = tx.db().session();
    s << "DELETE FROM settings WHERE name = :n", soci::use(name);
    s << "INSERT INTO settings (name, value) VALUES (:n, :v)", soci::use(name), soci::use(value);
    return OkStatus();
  });
}

}  // namespace suiji::store
