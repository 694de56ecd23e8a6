-- Row provenance for the registers: inserts are audited per batch (one "<noun>.insert_batch" event
-- whose digest commits to every row it inserted), so each row records which event brought it in or
-- last changed it, and the SHA-256 of its content as of that event (see data/store/table.h).
--   audit_seq   seq of the audit_log event that inserted or last updated the row (0: before 0005)
--   row_sha256  lowercase hex SHA-256 of the row's canonical JSON object at that event ('' before 0005)
-- "Which event brought this row in" is a lookup; `suiji audit verify --rows` recomputes every
-- insert_batch digest from the rows that still carry its seq. Portable SQL: PostgreSQL and SQLite.
ALTER TABLE entities ADD COLUMN audit_seq BIGINT NOT NULL DEFAULT 0;
ALTER TABLE entities ADD COLUMN row_sha256 TEXT NOT NULL DEFAULT '';
CREATE INDEX entities_audit_seq ON entities (audit_seq);

ALTER TABLE officers ADD COLUMN audit_seq BIGINT NOT NULL DEFAULT 0;
ALTER TABLE officers ADD COLUMN row_sha256 TEXT NOT NULL DEFAULT '';
CREATE INDEX officers_audit_seq ON officers (audit_seq);

ALTER TABLE inspection_items ADD COLUMN audit_seq BIGINT NOT NULL DEFAULT 0;
ALTER TABLE inspection_items ADD COLUMN row_sha256 TEXT NOT NULL DEFAULT '';
CREATE INDEX inspection_items_audit_seq ON inspection_items (audit_seq);

ALTER TABLE org_units ADD COLUMN audit_seq BIGINT NOT NULL DEFAULT 0;
ALTER TABLE org_units ADD COLUMN row_sha256 TEXT NOT NULL DEFAULT '';
CREATE INDEX org_units_audit_seq ON org_units (audit_seq);
