#include "data/store/client_store.h"

#include <soci/soci.h>

#include "core/canonical_json.h"
#include "core/sha256.h"
#include "data/store/audit_log.h"
#include "data/store/dialect.h"

namespace suiji::store {
namespace {

template <typename F>
auto Guard(std::string_view code, F&& f) -> decltype(f()) {
  try {
    return f();
  } catch (const std::exception& e) {
    return StoreError(code, e);
  }
}

constexpr const char* kClientCols =
    "client_id, department, scopes, token_sha256, created_at, revoked_at, role, org_unit, officer, expires_at";

ClientRecord ClientFrom(const soci::row& r) {
  return ClientRecord{r.get<std::string>(0), r.get<std::string>(1), r.get<std::string>(2), r.get<std::string>(3),
                      r.get<std::string>(4), r.get<std::string>(5), r.get<std::string>(6), r.get<std::string>(7),
                      r.get<std::string>(8), r.get<std::string>(9)};
}

Result<std::vector<ClientRecord>> SelectClients(Database& db, bool active_only) {
  return Guard("api_client.list", [&]() -> Result<std::vector<ClientRecord>> {
    std::vector<ClientRecord> out;
    std::string sql = std::string("SELECT ") + kClientCols + " FROM api_clients" +
                      (active_only ? " WHERE revoked_at = ''" : "") + " ORDER BY client_id";
    soci::rowset<soci::row> rs = db.session().prepare << sql;
    for (const auto& r : rs) out.push_back(ClientFrom(r));
    return out;
  });
}

Json ClientPayload(const ClientRecord& c) {
  Json j{{"client_id", c.client_id}, {"department", c.department}, {"scopes", c.scopes}, {"role", c.role}};
  if (!c.org_unit.empty()) j["org_unit"] = c.org_unit;
  if (!c.officer.empty()) j["officer"] = c.officer;
  if (!c.expires_at.empty()) j["expires_at"] = c.expires_at;
  // Binds the event to the row's token hash without disclosing it to audit readers: a digest of the hash.
  j["token_binding"] = Sha256Hex("suiji api_client token v1\x1f" + c.token_sha256);
  return j;
}

}  // namespace

Result<ClientRecord> AddClient(Transaction& tx, ClientRecord client, std::string_view actor) {
  Database& db = tx.db();
  auto existing = GetClient(db, client.client_id);
  if (!existing) return existing.error();
  if (existing.value())
    return Error{"client.exists",
                 "client " + client.client_id +
                     (existing.value()->revoked_at.empty() ? " already exists" : " existed and was revoked; ids are not reused"),
                 "client_id"};
  auto st = Guard("api_client.add", [&]() -> Status {
    int taken = 0;
    db.session() << "SELECT COUNT(*) FROM api_clients WHERE token_sha256 = :h", soci::use(client.token_sha256),
        soci::into(taken);
    if (taken) return Error{"client.token_taken", "another client holds this token", "token"};
    client.created_at = db.Now();
    client.revoked_at.clear();
    db.session() << "INSERT INTO api_clients (" << kClientCols << ") VALUES (:a, :b, :c, :d, :e, :f, :g, :h, :i, :j)",
        soci::use(client.client_id), soci::use(client.department), soci::use(client.scopes),
        soci::use(client.token_sha256), soci::use(client.created_at), soci::use(client.revoked_at),
        soci::use(client.role), soci::use(client.org_unit), soci::use(client.officer), soci::use(client.expires_at);
    return OkStatus();
  });
  if (!st) return st.error();
  auto ev = AppendAuditEvent(tx, actor, "api_client.add", "api_clients/" + client.client_id, ClientPayload(client));
  if (!ev) return ev.error();
  return client;
}

Result<ClientRecord> RevokeClient(Transaction& tx, std::string_view client_id, std::string_view actor) {
  Database& db = tx.db();
  auto existing = GetClient(db, client_id);
  if (!existing) return existing.error();
  if (!existing.value()) return Error{"client.not_found", "no client " + std::string(client_id), "client_id"};
  ClientRecord c = *existing.value();
  if (!c.revoked_at.empty())
    return Error{"client.revoked", "client " + c.client_id + " was already revoked at " + c.revoked_at, "client_id"};
  c.revoked_at = db.Now();
  auto st = Guard("api_client.revoke", [&]() -> Status {
    db.session() << "UPDATE api_clients SET revoked_at = :r WHERE client_id = :id", soci::use(c.revoked_at),
        soci::use(c.client_id);
    return OkStatus();
  });
  if (!st) return st.error();
  Json payload = ClientPayload(c);
  payload["revoked_at"] = c.revoked_at;
  auto ev = AppendAuditEvent(tx, actor, "api_client.revoke", "api_clients/" + c.client_id, payload);
  if (!ev) return ev.error();
  return c;
}

Result<std::optional<ClientRecord>> GetClient(Database& db, std::string_view client_id) {
  return Guard("api_client.get", [&]() -> Result<std::optional<ClientRecord>> {
    std::string id(client_id);
    soci::rowset<soci::row> rs =
        (db.session().prepare << "SELECT " << kClientCols << " FROM api_clients WHERE client_id = :id", soci::use(id));
    for (const auto& r : rs) return std::optional<ClientRecord>(ClientFrom(r));
    return std::optional<ClientRecord>();
  });
}

Result<std::vector<ClientRecord>> ListClients(Database& db) { return SelectClients(db, false); }
Result<std::vector<ClientRecord>> ActiveClients(Database& db) { return SelectClients(db, true); }

Result<bool> MatchesAuditedAdd(Database& db, const ClientRecord& c) {
  return Guard("api_client.audit", [&]() -> Result<bool> {
    const std::string subject = "api_clients/" + c.client_id;
    std::string payload;
    soci::indicator ind = soci::i_null;
    db.session() << "SELECT payload FROM audit_log WHERE subject = :s AND action = 'api_client.add' "
                    "ORDER BY seq DESC LIMIT 1",
        soci::use(subject), soci::into(payload, ind);
    if (!db.session().got_data() || ind != soci::i_ok) return false;
    Json recorded = Json::parse(payload, nullptr, false);
    if (recorded.is_discarded() || !recorded.is_object()) return false;
    Json expected = ClientPayload(c);
    if (!recorded.contains("token_binding")) expected.erase("token_binding");  // recorded before the binding was
    return recorded == expected;
  });
}

Result<std::vector<std::optional<PushRecord>>> FindPushes(Database& db, std::string_view kind,
                                                          std::string_view department,
                                                          const std::vector<std::string>& keys) {
  return Guard("rpc_push.get", [&]() -> Result<std::vector<std::optional<PushRecord>>> {
    std::vector<std::optional<PushRecord>> out;
    out.reserve(keys.size());
    std::string k(kind), d(department), key, record_id, digest, client_id, pushed_at;
    soci::indicator ind = soci::i_ok;
    // One prepared statement, executed per key: no SQL text built from data.
    soci::statement st = (db.session().prepare << "SELECT record_id, digest, client_id, pushed_at FROM rpc_pushes "
                                                  "WHERE kind = :k AND department = :d AND push_key = :p",
                          soci::use(k), soci::use(d), soci::use(key), soci::into(record_id, ind), soci::into(digest),
                          soci::into(client_id), soci::into(pushed_at));
    for (const auto& one : keys) {
      key = one;
      if (st.execute(true) && ind != soci::i_null)
        out.emplace_back(PushRecord{k, d, key, record_id, digest, client_id, pushed_at});
      else
        out.emplace_back(std::nullopt);
    }
    return out;
  });
}

Status InsertPushes(Transaction& tx, std::vector<PushRecord> pushes) {
  if (pushes.empty()) return OkStatus();
  Database& db = tx.db();
  std::string now = db.Now();
  std::vector<Row> rows;
  rows.reserve(pushes.size());
  for (auto& p : pushes)
    rows.push_back({p.kind, p.department, p.push_key, p.record_id, p.digest, p.client_id, now});
  return Guard("rpc_push.insert", [&]() -> Status {
    db.dialect().BulkInsert(db, "rpc_pushes",
                            {"kind", "department", "push_key", "record_id", "digest", "client_id", "pushed_at"}, rows);
    return OkStatus();
  });
}

}  // namespace suiji::store
