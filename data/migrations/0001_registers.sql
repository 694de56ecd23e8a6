-- The three registers (一单两库), org units, inspection history and the hash-chained audit log.
-- Portable SQL: the same text runs on PostgreSQL and SQLite. Every column is NOT NULL; an unknown
-- value is the empty string and a list is canonical JSON text (see docs/operations.md).

CREATE TABLE entities (
  id TEXT NOT NULL PRIMARY KEY,
  id_kind TEXT NOT NULL,
  name TEXT NOT NULL,
  entity_type TEXT NOT NULL DEFAULT '',
  region TEXT NOT NULL DEFAULT '',
  industry TEXT NOT NULL DEFAULT '',
  status TEXT NOT NULL DEFAULT 'active',
  established TEXT NOT NULL DEFAULT '',
  address TEXT NOT NULL DEFAULT '',
  legal_rep TEXT NOT NULL DEFAULT '',
  special_registers TEXT NOT NULL DEFAULT '[]',
  updated_at TEXT NOT NULL DEFAULT ''
);
CREATE INDEX entities_region ON entities (region);

CREATE TABLE org_units (
  code TEXT NOT NULL PRIMARY KEY,
  name TEXT NOT NULL,
  level TEXT NOT NULL,
  parent TEXT NOT NULL DEFAULT '',
  region TEXT NOT NULL DEFAULT ''
);

CREATE TABLE officers (
  cert_no TEXT NOT NULL PRIMARY KEY,
  name TEXT NOT NULL,
  org_unit TEXT NOT NULL DEFAULT '',
  department TEXT NOT NULL DEFAULT '',
  jurisdictions TEXT NOT NULL DEFAULT '[]',
  qualifications TEXT NOT NULL DEFAULT '[]',
  status TEXT NOT NULL DEFAULT 'active',
  conflicts TEXT NOT NULL DEFAULT '[]'
);

CREATE TABLE inspection_items (
  department TEXT NOT NULL,
  code TEXT NOT NULL,
  category TEXT NOT NULL DEFAULT '',
  name TEXT NOT NULL,
  target TEXT NOT NULL DEFAULT '',
  item_class TEXT NOT NULL DEFAULT 'general',
  methods TEXT NOT NULL DEFAULT '[]',
  subject TEXT NOT NULL DEFAULT '',
  legal_basis TEXT NOT NULL DEFAULT '[]',
  industries TEXT NOT NULL DEFAULT '[]',
  qualification TEXT NOT NULL DEFAULT '',
  PRIMARY KEY (department, code)
);

-- History the sampler reads: "inspected recently" exclusions and "inspected it last time" recusals.
CREATE TABLE inspections (
  entity_id TEXT NOT NULL,
  department TEXT NOT NULL,
  inspected_on TEXT NOT NULL,
  result TEXT NOT NULL DEFAULT '',
  officers TEXT NOT NULL DEFAULT '[]',
  plan_id TEXT NOT NULL DEFAULT '',
  PRIMARY KEY (entity_id, department, inspected_on)
);
CREATE INDEX inspections_on ON inspections (inspected_on);

-- hash = SHA-256 hex of canonical JSON {action, actor, at, payload, prev_hash, seq, subject}.
CREATE TABLE audit_log (
  seq BIGINT NOT NULL PRIMARY KEY,
  at TEXT NOT NULL,
  actor TEXT NOT NULL,
  action TEXT NOT NULL,
  subject TEXT NOT NULL,
  payload TEXT NOT NULL,
  prev_hash TEXT NOT NULL,
  hash TEXT NOT NULL
);
