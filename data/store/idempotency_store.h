// Idempotency keys (table idempotency_keys, migration 0010): the REST API's record of creating requests
// by (client, Idempotency-Key), so a retry returns the first answer.
//
//   Claim     inserts a pending row; false when the key is already there (then Get tells what it is).
//   Complete  keeps the response of a claimed key.
//   Release   forgets a claimed key whose request failed (5xx), so a retry runs again.
#pragma once
#include <optional>
#include <string>

#include "core/result.h"
#include "data/store/database.h"

namespace suiji::store {

struct IdempotencyRecord {
  std::string client_id, key, request_sha256;
  std::string state;  // pending | done
  int status = 0;
  std::string content_type, body, created_at;
};

Result<bool> ClaimIdempotencyKey(Database& db, const std::string& client_id, const std::string& key,
                                 const std::string& request_sha256);
Status CompleteIdempotencyKey(Database& db, const std::string& client_id, const std::string& key, int status,
                              const std::string& content_type, const std::string& body);
Status ReleaseIdempotencyKey(Database& db, const std::string& client_id, const std::string& key);
Result<std::optional<IdempotencyRecord>> GetIdempotencyKey(Database& db, const std::string& client_id,
                                                           const std::string& key);

}  // namespace suiji::store
