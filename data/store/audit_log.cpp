#include "data/store/audit_log.h"

#include <soci/soci.h>

#include <algorithm>

#include "core/sha256.h"
#include "data/store/dialect.h"
#include "data/store/json_text.h"

namespace suiji::store {
namespace {

const std::vector<std::string> kColumns = {"seq", "at", "actor", "action", "subject", "payload", "prev_hash", "hash"};
const char* kSelect = "SELECT seq, at, actor, action, subject, payload, prev_hash, hash FROM audit_log ";

// Reads events in batches from a prepared statement bound to the given vectors.
struct EventColumns {
  std::vector<long long> seq;
  std::vector<std::string> at, actor, action, subject, payload, prev_hash, hash;
  void Resize(size_t n) {
    seq.resize(n);
    for (auto* v : {&at, &actor, &action, &subject, &payload, &prev_hash, &hash}) v->resize(n);
  }
  AuditEvent Get(size_t i) const {
    return AuditEvent{seq[i], at[i], actor[i], action[i], subject[i], payload[i], prev_hash[i], hash[i]};
  }
};

constexpr size_t kFetch = 1000;

// Every row of a statement prepared into `c` (sized kFetch).
std::vector<AuditEvent> FetchAll(soci::statement& st, EventColumns& c) {
  std::vector<AuditEvent> out;
  st.execute();
  while (st.fetch()) {
    for (size_t i = 0; i < c.seq.size(); ++i) out.push_back(c.Get(i));
    c.Resize(kFetch);
  }
  return out;
}

std::vector<AuditEvent> Query(soci::session& s, const std::string& sql, long long p1, long long p2) {
  EventColumns c;
  c.Resize(kFetch);
  soci::statement st = (s.prepare << sql, soci::into(c.seq), soci::into(c.at), soci::into(c.actor),
                        soci::into(c.action), soci::into(c.subject), soci::into(c.payload), soci::into(c.prev_hash),
                        soci::into(c.hash), soci::use(p1, "p1"), soci::use(p2, "p2"));
  return FetchAll(st, c);
}

std::string HashOf(const AuditEvent& e) { return Sha256Hex(AuditRecordText(e)); }

}  // namespace

std::string AuditRecordText(const AuditEvent& e) {
  std::string out;
  out.reserve(e.payload.size() + 256);
  out += "{\"action\":";
  AppendJsonString(out, e.action);
  out += ",\"actor\":";
  AppendJsonString(out, e.actor);
  out += ",\"at\":";
  AppendJsonString(out, e.at);
  out += ",\"payload\":";
  out += e.payload;
  out += ",\"prev_hash\":";
  AppendJsonString(out, e.prev_hash);
  out += ",\"seq\":";
  out += std::to_string(e.seq);
  out += ",\"subject\":";
  AppendJsonString(out, e.subject);
  out += '}';
  return out;
}

Result<std::int64_t> AuditHeadSeq(Transaction& tx) {
  if (!tx.open()) return Error{"audit.tx", "reading the audit head needs an open transaction", ""};
  try {
    long long seq = 0;
    soci::indicator ind = soci::i_ok;
    soci::session& s = tx.db().session();
    s << "SELECT seq FROM audit_log ORDER BY seq DESC LIMIT 1", soci::into(seq, ind);
    if (!s.got_data()) seq = 0;
    return static_cast<std::int64_t>(seq);
  } catch (const std::exception& e) {
    return StoreError("audit.head", e);
  }
}

Result<std::vector<AuditEvent>> AppendAudit(Transaction& tx, std::string_view actor, std::vector<AuditDraft> drafts) {
  if (!tx.open()) return Error{"audit.tx", "audit append needs an open transaction", ""};
  for (const AuditDraft& d : drafts)
    if (!ValidUtf8(d.action) || !ValidUtf8(d.subject) || !ValidUtf8(d.payload) || !ValidUtf8(actor))
      return Error{"audit.utf8", "audit event text is not valid UTF-8", d.subject};
  Database& db = tx.db();
  try {
    soci::session& s = db.session();
    long long seq = 0;
    std::string prev(kGenesisHash);
    soci::indicator ind = soci::i_ok;
    std::string head_hash;
    s << "SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1", soci::into(seq, ind), soci::into(head_hash);
    if (!s.got_data()) seq = 0;
    else prev = head_hash;

    std::string at = db.Now();
    std::vector<AuditEvent> events;
    events.reserve(drafts.size());
    std::vector<Row> rows;
    rows.reserve(drafts.size());
    for (AuditDraft& d : drafts) {
      AuditEvent e{++seq, at, std::string(actor), std::move(d.action), std::move(d.subject), std::move(d.payload),
                   prev, ""};
      e.hash = HashOf(e);
      prev = e.hash;
      rows.push_back(Row{std::to_string(e.seq), e.at, e.actor, e.action, e.subject, e.payload, e.prev_hash, e.hash});
      events.push_back(std::move(e));
    }
    db.dialect().BulkInsert(db, "audit_log", kColumns, rows);
    return events;
  } catch (const std::exception& e) {
    return StoreError("audit.append", e);
  }
}

Result<AuditEvent> AppendAuditEvent(Transaction& tx, std::string_view actor, std::string_view action,
                                    std::string_view subject, const Json& payload) {
  std::string text;
  try {
    text = CanonicalJson(payload);
  } catch (const std::exception& e) {
    return Error{"audit.payload", std::string("payload is not valid JSON text: ") + e.what(), std::string(subject)};
  }
  auto r = AppendAudit(tx, actor, {AuditDraft{std::string(action), std::string(subject), std::move(text)}});
  if (!r) return r.error();
  return r.value().front();
}

Result<ChainReport> VerifyAuditChain(Database& db, std::int64_t batch) {
  ChainReport rep;
  rep.head = std::string(kGenesisHash);
  std::int64_t expected_seq = 1;
  auto fail = [&](std::int64_t seq, std::string problem, std::string expected, std::string found, std::string msg) {
    rep.ok = false;
    rep.seq = seq;
    rep.problem = std::move(problem);
    rep.expected = std::move(expected);
    rep.found = std::move(found);
    rep.message = std::move(msg);
    return rep;
  };
  try {
    long long after = 0;
    for (;;) {
      auto events = Query(db.session(), std::string(kSelect) + "WHERE seq > :p1 ORDER BY seq LIMIT :p2", after, batch);
      if (events.empty()) break;
      for (const AuditEvent& e : events) {
        if (e.seq != expected_seq)
          return fail(expected_seq, "gap", "seq " + std::to_string(expected_seq), "seq " + std::to_string(e.seq),
                      "event(s) " + std::to_string(expected_seq) + ".." + std::to_string(e.seq - 1) +
                          " are missing (deleted rows)");
        // Recompute independently of the fast writer: parse, re-canonicalise, hash.
        Json payload = Json::parse(e.payload, nullptr, /*allow_exceptions=*/false);
        if (payload.is_discarded())
          return fail(e.seq, "edited", "canonical JSON payload", e.payload, "payload is not valid JSON (edited row)");
        Json record = {{"seq", e.seq},         {"at", e.at},           {"actor", e.actor},
                       {"action", e.action},   {"subject", e.subject}, {"payload", payload},
                       {"prev_hash", e.prev_hash}};
        std::string want;
        try {
          want = Sha256Hex(CanonicalJson(record));
        } catch (const std::exception&) {
          return fail(e.seq, "edited", "valid UTF-8", "invalid text", "row holds invalid UTF-8 (edited row)");
        }
        if (want != e.hash)
          return fail(e.seq, "edited", want, e.hash, "content does not match its hash (edited row)");
        if (e.prev_hash != rep.head)
          return fail(e.seq, "relinked", rep.head, e.prev_hash,
                      "prev_hash is not the previous event's hash (reordered, inserted or re-hashed rows)");
        rep.head = e.hash;
        ++rep.events;
        ++expected_seq;
        after = e.seq;
      }
    }
  } catch (const std::exception& e) {
    return StoreError("audit.verify", e);
  }
  return rep;
}

Result<std::vector<AuditEvent>> ListAudit(Database& db, std::int64_t after_seq, std::int64_t limit) {
  try {
    return Query(db.session(), std::string(kSelect) + "WHERE seq > :p1 ORDER BY seq LIMIT :p2", after_seq, limit);
  } catch (const std::exception& e) {
    return StoreError("audit.list", e);
  }
}

Result<std::vector<AuditEvent>> TailAudit(Database& db, std::int64_t limit) {
  try {
    auto v = Query(db.session(), std::string(kSelect) + "WHERE seq > :p1 ORDER BY seq DESC LIMIT :p2", 0, limit);
    std::reverse(v.begin(), v.end());
    return v;
  } catch (const std::exception& e) {
    return StoreError("audit.list", e);
  }
}

Result<std::vector<AuditEvent>> SubjectAudit(Database& db, const std::string& subject) {
  try {
    EventColumns c;
    c.Resize(kFetch);
    std::string subject_in = subject;
    soci::statement st = (db.session().prepare << std::string(kSelect) + "WHERE subject = :s ORDER BY seq",
                          soci::into(c.seq), soci::into(c.at), soci::into(c.actor), soci::into(c.action),
                          soci::into(c.subject), soci::into(c.payload), soci::into(c.prev_hash), soci::into(c.hash),
                          soci::use(subject_in, "s"));
    return FetchAll(st, c);
  } catch (const std::exception& e) {
    return StoreError("audit.list", e);
  }
}

}  // namespace suiji::store
