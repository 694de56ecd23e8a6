// Thrift service clients (table api_clients) and the push ledger (table rpc_pushes), 0004_api_clients.sql.
//
// Contract:
//  - A client's token is never stored or returned: only token_sha256, the lowercase hex SHA-256 of it.
//  - Clients are added and revoked, never deleted or reactivated: an id names one client forever.
//    AddClient refuses a taken id ("client.exists", also for a revoked one) or hash ("client.token_taken");
//    RevokeClient refuses an unknown ("client.not_found") or already revoked ("client.revoked") id.
//    Both write one audit event ("api_client.add" / "api_client.revoke") in the caller's Transaction;
//    the payload names department and scopes, never the token or its hash.
//  - The push ledger maps (kind, department, push_key) to the record it created and a digest of the
//    pushed content, so the service can tell an identical re-push from a conflicting one.
#pragma once
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "data/store/database.h"

namespace suiji::store {

struct ClientRecord {
  std::string client_id;
  std::string department;
  std::string scopes;        // comma-separated, e.g. "read_public,push"
  std::string token_sha256;  // 64 lowercase hex digits
  std::string created_at;    // database clock; filled in by AddClient
  std::string revoked_at;    // '' while active
  std::string role = "integration";  // admin | planner | officer | reviewer | auditor | integration
  std::string org_unit;      // '' = every unit (national, integration)
  std::string officer;       // role officer: the officer's certificate number
  std::string expires_at;    // '' = never; else compared with the server clock (ISO 8601 UTC)
  bool operator==(const ClientRecord&) const = default;
};

// Inserts the client (created_at stamped from the database clock) and its audit event.
Result<ClientRecord> AddClient(Transaction& tx, ClientRecord client, std::string_view actor);
// Stamps revoked_at and writes the audit event.
Result<ClientRecord> RevokeClient(Transaction& tx, std::string_view client_id, std::string_view actor);
Result<std::optional<ClientRecord>> GetClient(Database& db, std::string_view client_id);
// Every client (active and revoked), by id.
Result<std::vector<ClientRecord>> ListClients(Database& db);
// Clients not revoked, by id: what a token store loads.
Result<std::vector<ClientRecord>> ActiveClients(Database& db);
// Whether `c` is what its latest api_client.add audit event recorded: id, department, scopes, role, org
// unit, officer, expiry and the token hash (the event holds a digest of the hash, never the hash; events
// written before that digest was recorded: every field but it). A row inserted or edited in the database directly has no such event, or a different one;
// token stores refuse it (docs/security.md, T4).
Result<bool> MatchesAuditedAdd(Database& db, const ClientRecord& c);

struct PushRecord {
  std::string kind;        // penalty | list | indicator
  std::string department;  // the pushing client's department
  std::string push_key;    // decision_no, or entity \x1f indicator \x1f as_of
  std::string record_id;   // what the push created (decision number, membership id, indicator key)
  std::string digest;      // SHA-256 hex of the pushed content
  std::string client_id;
  std::string pushed_at;   // filled in by InsertPushes
  bool operator==(const PushRecord&) const = default;
};

// The ledger rows for `keys` (same kind and department), in order; nullopt where none exists.
// Reads through the transaction's connection, so it sees the transaction's own writes.
Result<std::vector<std::optional<PushRecord>>> FindPushes(Database& db, std::string_view kind,
                                                          std::string_view department,
                                                          const std::vector<std::string>& keys);
// Appends ledger rows (pushed_at stamped here); a key already present fails the whole call.
Status InsertPushes(Transaction& tx, std::vector<PushRecord> pushes);

}  // namespace suiji::store
