-- Registers as real exports have them (issue 10): an entity's registration number (注册号) as a second,
-- indexed identifier beside its primary id; the national entity type code and label as the register
-- names them; a status label kept when it maps to no known status; and the repairs the import made to
-- the row (region.derived, name.from_operator, ...) as its provenance. Empty for rows written before.
-- entity_renames: re-registration (换照): an entity first known by its registration number that later
-- appears with a USCC keeps its history under the new primary id; the old id resolves through here.
-- Portable SQL: PostgreSQL and SQLite.
ALTER TABLE entities ADD COLUMN regno TEXT NOT NULL DEFAULT '';
ALTER TABLE entities ADD COLUMN type_code TEXT NOT NULL DEFAULT '';
ALTER TABLE entities ADD COLUMN type_label TEXT NOT NULL DEFAULT '';
ALTER TABLE entities ADD COLUMN status_label TEXT NOT NULL DEFAULT '';
ALTER TABLE entities ADD COLUMN repairs TEXT NOT NULL DEFAULT '[]';
CREATE INDEX entities_regno ON entities (regno);

CREATE TABLE entity_renames (
  old_id TEXT NOT NULL PRIMARY KEY,
  new_id TEXT NOT NULL,
  renamed_at TEXT NOT NULL,
  audit_seq BIGINT NOT NULL
);
CREATE INDEX entity_renames_new ON entity_renames (new_id);
