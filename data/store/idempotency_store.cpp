#include "data/store/idempotency_store.h"

#include <soci/soci.h>

#include "data/store/dialect.h"

namespace suiji::store {

Result<bool> ClaimIdempotencyKey(Database& db, const std::string& client_id, const std::string& key,
                                 const std::string& request_sha256) {
  try {
    std::string c = client_id, k = key, h = request_sha256, now = db.Now();
    int taken = 0;
    // The primary key decides a race: of two concurrent claims one INSERT fails.
    db.session() << "SELECT COUNT(*) FROM idempotency_keys WHERE client_id = :c AND idem_key = :k", soci::use(c, "c"),
        soci::use(k, "k"), soci::into(taken);
    if (taken) return false;
    try {
      db.session() << "INSERT INTO idempotency_keys (client_id, idem_key, request_sha256, state, created_at) "
                      "VALUES (:c, :k, :h, 'pending', :t)",
          soci::use(c, "c"), soci::use(k, "k"), soci::use(h, "h"), soci::use(now, "t");
    } catch (const std::exception&) {
      return false;  // inserted by a concurrent request between the SELECT and here
    }
    return true;
  } catch (const std::exception& e) {
    return StoreError("idempotency.claim", e);
  }
}

Status CompleteIdempotencyKey(Database& db, const std::string& client_id, const std::string& key, int status,
                              const std::string& content_type, const std::string& body) {
  try {
    std::string c = client_id, k = key, ct = content_type, b = body;
    int s = status;
    db.session() << "UPDATE idempotency_keys SET state = 'done', status = :s, content_type = :ct, body = :b "
                    "WHERE client_id = :c AND idem_key = :k",
        soci::use(s, "s"), soci::use(ct, "ct"), soci::use(b, "b"), soci::use(c, "c"), soci::use(k, "k");
    return OkStatus();
  } catch (const std::exception& e) {
    return StoreError("idempotency.complete", e);
  }
}

Status ReleaseIdempotencyKey(Database& db, const std::string& client_id, const std::string& key) {
  try {
    std::string c = client_id, k = key;
    db.session() << "DELETE FROM idempotency_keys WHERE client_id = :c AND idem_key = :k AND state = 'pending'",
        soci::use(c, "c"), soci::use(k, "k");
    return OkStatus();
  } catch (const std::exception& e) {
    return StoreError("idempotency.release", e);
  }
}

Result<std::optional<IdempotencyRecord>> GetIdempotencyKey(Database& db, const std::string& client_id,
                                                           const std::string& key) {
  try {
    std::string c = client_id, k = key;
    soci::rowset<soci::row> rs =
        (db.session().prepare << "SELECT request_sha256, state, status, content_type, body, created_at "
                                 "FROM idempotency_keys WHERE client_id = :c AND idem_key = :k",
         soci::use(c, "c"), soci::use(k, "k"));
    for (const auto& r : rs) {
      IdempotencyRecord rec{client_id, key, r.get<std::string>(0), r.get<std::string>(1), 0,
                            r.get<std::string>(3), r.get<std::string>(4), r.get<std::string>(5)};
      // SQLite hands INTEGER back as int, PostgreSQL as int too for INTEGER; long long guards both.
      if (r.get_properties(2).get_data_type() == soci::dt_long_long) rec.status = static_cast<int>(r.get<long long>(2));
      else rec.status = r.get<int>(2);
      return std::optional<IdempotencyRecord>(std::move(rec));
    }
    return std::optional<IdempotencyRecord>();
  } catch (const std::exception& e) {
    return StoreError("idempotency.get", e);
  }
}

}  // namespace suiji::store
