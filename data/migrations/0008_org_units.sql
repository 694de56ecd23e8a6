-- The org-unit hierarchy (issue 10, docs/org-units.md): a unit's department (SAMR, MEE, ...), empty
-- for rows written before; the units below a unit found by their parent (`suiji org-units show`);
-- officers found by their unit. org_units.department is a late column (data/store/table.h), so rows
-- hashed before it existed keep their row_sha256.
-- Portable SQL: PostgreSQL and SQLite.
ALTER TABLE org_units ADD COLUMN department TEXT NOT NULL DEFAULT '';
CREATE INDEX org_units_parent ON org_units (parent);
CREATE INDEX officers_org_unit ON officers (org_unit);
