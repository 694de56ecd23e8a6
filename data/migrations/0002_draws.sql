-- Draws and pairings. The database keeps the INPUTS of each stage (commitment document, entropy,
-- substitutions); every output is recomputed from them by the pure sampler, so a stored result can
-- never drift from what the protocol gives. Rows are never deleted: a re-draw supersedes.

-- Per-database settings, e.g. the secret behind officers' public pseudonyms.
CREATE TABLE settings (
  name TEXT NOT NULL PRIMARY KEY,
  value TEXT NOT NULL
);

CREATE TABLE draws (
  draw_id TEXT NOT NULL PRIMARY KEY,
  plan_id TEXT NOT NULL,
  plan_digest TEXT NOT NULL,
  plan_text TEXT NOT NULL,
  commitment TEXT NOT NULL,
  commitment_digest TEXT NOT NULL UNIQUE,
  state TEXT NOT NULL,
  entropy TEXT NOT NULL DEFAULT '',
  seed_hash TEXT NOT NULL DEFAULT '',
  committed_at TEXT NOT NULL,
  revealed_at TEXT NOT NULL DEFAULT '',
  supersedes TEXT NOT NULL DEFAULT '',
  reason TEXT NOT NULL DEFAULT ''
);
CREATE INDEX draws_plan ON draws (plan_id);

CREATE TABLE draw_substitutions (
  draw_id TEXT NOT NULL,
  seq BIGINT NOT NULL,
  stratum TEXT NOT NULL,
  out_id TEXT NOT NULL,
  in_id TEXT NOT NULL,
  reason TEXT NOT NULL,
  at TEXT NOT NULL,
  PRIMARY KEY (draw_id, seq)
);

CREATE TABLE pairings (
  pairing_id TEXT NOT NULL PRIMARY KEY,
  draw_id TEXT NOT NULL,
  attempt BIGINT NOT NULL,
  commitment TEXT NOT NULL,
  commitment_digest TEXT NOT NULL UNIQUE,
  state TEXT NOT NULL,
  entropy TEXT NOT NULL DEFAULT '',
  seed_hash TEXT NOT NULL DEFAULT '',
  status TEXT NOT NULL DEFAULT '',
  committed_at TEXT NOT NULL,
  revealed_at TEXT NOT NULL DEFAULT ''
);
CREATE INDEX pairings_draw ON pairings (draw_id);

-- Recusals an entity asked for (回避申请): the pairing never puts that officer on its team.
CREATE TABLE recusal_requests (
  entity_id TEXT NOT NULL,
  cert_no TEXT NOT NULL,
  reason TEXT NOT NULL,
  requested_on TEXT NOT NULL,
  PRIMARY KEY (entity_id, cert_no)
);
