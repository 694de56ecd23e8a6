-- Idempotency keys of the REST API's creating requests (docs/api.md): a retried request with the same
-- Idempotency-Key from the same client gets the first answer again, never a second draw. state is
-- 'pending' while the first request runs (a concurrent retry is refused with 409), then 'done' with the
-- response kept. request_sha256 covers method, path and body, so a key reused for another request is
-- refused rather than answered with someone else's response.
CREATE TABLE idempotency_keys (
  client_id TEXT NOT NULL,
  idem_key TEXT NOT NULL,
  request_sha256 TEXT NOT NULL,
  state TEXT NOT NULL,
  status INTEGER NOT NULL DEFAULT 0,
  content_type TEXT NOT NULL DEFAULT '',
  body TEXT NOT NULL DEFAULT '',
  created_at TEXT NOT NULL,
  PRIMARY KEY (client_id, idem_key)
);
