-- Clients of the Thrift service (suiji serve) and what they pushed.
-- Tokens are never stored: token_sha256 is the lowercase hex SHA-256 of the token's bytes.
-- scopes is a comma-separated list (read_public,read_class,push). revoked_at '' = active. Clients are
-- revoked, never deleted, so an id is never reused and the audit log keeps naming the same client.
CREATE TABLE api_clients (
  client_id TEXT NOT NULL PRIMARY KEY,
  department TEXT NOT NULL,
  scopes TEXT NOT NULL,
  token_sha256 TEXT NOT NULL UNIQUE,
  created_at TEXT NOT NULL,
  revoked_at TEXT NOT NULL DEFAULT ''
);

-- Idempotency of pushes: one row per (kind, department, key) with a digest of the pushed content, so an
-- identical re-push is recognised (duplicate) and a different one under the same key refused.
-- kind = penalty | list | indicator; push_key = decision_no, or entity|indicator|as_of.
CREATE TABLE rpc_pushes (
  kind TEXT NOT NULL,
  department TEXT NOT NULL,
  push_key TEXT NOT NULL,
  record_id TEXT NOT NULL,
  digest TEXT NOT NULL,
  client_id TEXT NOT NULL,
  pushed_at TEXT NOT NULL,
  PRIMARY KEY (kind, department, push_key)
);
