-- Inspection results (抽查检查结果) and their public record (一公开). One row per version of a task's
-- result; a task is one drawn entity of a draw, inspected by its team in the draw's pairing. Rows of
-- state 'published' are never changed or deleted: a correction is a new version.
CREATE TABLE results (
  result_id TEXT NOT NULL,
  version BIGINT NOT NULL,
  draw_id TEXT NOT NULL,
  pairing_id TEXT NOT NULL,
  entity_id TEXT NOT NULL,
  plan_id TEXT NOT NULL,
  org_unit TEXT NOT NULL,
  department TEXT NOT NULL,
  state TEXT NOT NULL,
  result_code TEXT NOT NULL,
  findings TEXT NOT NULL DEFAULT '[]',
  items TEXT NOT NULL DEFAULT ',',
  inspected_on TEXT NOT NULL,
  concluded_on TEXT NOT NULL,
  follow_up TEXT NOT NULL DEFAULT '{}',
  evidence TEXT NOT NULL DEFAULT '[]',
  team TEXT NOT NULL DEFAULT '[]',
  signatures TEXT NOT NULL DEFAULT '[]',
  return_reason TEXT NOT NULL DEFAULT '',
  reviewed_by TEXT NOT NULL DEFAULT '',
  due_on TEXT NOT NULL DEFAULT '',
  published_on TEXT NOT NULL DEFAULT '',
  published_at TEXT NOT NULL DEFAULT '',
  correction_reason TEXT NOT NULL DEFAULT '',
  objection_code_hash TEXT NOT NULL DEFAULT '',
  updated_at TEXT NOT NULL,
  PRIMARY KEY (result_id, version)
);
CREATE INDEX results_entity ON results (entity_id);
CREATE INDEX results_state ON results (state);
CREATE INDEX results_draw ON results (draw_id);

-- What the public sees change, numbered: the change feed (GET /api/v1/public/changes?since=).
CREATE TABLE publications (
  seq BIGINT NOT NULL PRIMARY KEY,
  result_id TEXT NOT NULL,
  version BIGINT NOT NULL,
  kind TEXT NOT NULL,
  entity_id TEXT NOT NULL,
  at TEXT NOT NULL
);

-- Objections (异议) the inspected entity filed against a published result.
CREATE TABLE objections (
  receipt_no TEXT NOT NULL PRIMARY KEY,
  result_id TEXT NOT NULL,
  version BIGINT NOT NULL,
  filed_at TEXT NOT NULL,
  reason TEXT NOT NULL,
  contact TEXT NOT NULL DEFAULT '',
  state TEXT NOT NULL,
  decision_reason TEXT NOT NULL DEFAULT '',
  decided_at TEXT NOT NULL DEFAULT '',
  decided_by TEXT NOT NULL DEFAULT '',
  corrected_version BIGINT NOT NULL DEFAULT 0
);
CREATE INDEX objections_result ON objections (result_id);
