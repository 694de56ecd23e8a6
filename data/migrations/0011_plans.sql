-- Stored sampling plans (抽查计划): every change of a plan's text is a new version; no version is ever
-- changed or deleted. A draw still keeps the exact text it committed (draws.plan_text).
CREATE TABLE plans (
  plan_id TEXT NOT NULL,
  version BIGINT NOT NULL,
  org_unit TEXT NOT NULL,
  plan_digest TEXT NOT NULL,
  plan_text TEXT NOT NULL,
  stored_at TEXT NOT NULL,
  stored_by TEXT NOT NULL,
  PRIMARY KEY (plan_id, version)
);
