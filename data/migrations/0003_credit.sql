-- Credit: penalties, list memberships, external feeds, scoring runs, joint-punishment flags.
-- Inspection results reuse `inspections` (0001). Portable SQL, every column NOT NULL TEXT unless a
-- count; an unknown value is ''. Nothing here is ever deleted: memberships and flags are ENDED
-- (removed_on / end_on set), runs are superseded by newer runs. Every write is an audit event.

-- Administrative penalty decisions (行政处罚决定), keyed by the decision number (决定书文号).
-- amount is the exact decimal text of yuan (fine plus confiscated income).
CREATE TABLE penalties (
  decision_no TEXT NOT NULL PRIMARY KEY,
  entity_id TEXT NOT NULL,
  department TEXT NOT NULL,
  penalty_type TEXT NOT NULL,
  decided_on TEXT NOT NULL,
  amount TEXT NOT NULL DEFAULT '0',
  legal_basis TEXT NOT NULL DEFAULT '',
  updated_at TEXT NOT NULL DEFAULT ''
);
CREATE INDEX penalties_entity ON penalties (entity_id);

-- 经营异常名录 (list = abnormal) and 严重违法失信名单 (list = serious) memberships.
CREATE TABLE list_memberships (
  id TEXT NOT NULL PRIMARY KEY,
  entity_id TEXT NOT NULL,
  list TEXT NOT NULL,
  reason TEXT NOT NULL DEFAULT '',
  listed_on TEXT NOT NULL,
  authority TEXT NOT NULL DEFAULT '',
  cause_fixed_on TEXT NOT NULL DEFAULT '',
  removed_on TEXT NOT NULL DEFAULT '',
  removal_reason TEXT NOT NULL DEFAULT '',
  removal_authority TEXT NOT NULL DEFAULT '',
  moved_from TEXT NOT NULL DEFAULT ''
);
CREATE INDEX list_memberships_entity ON list_memberships (entity_id);

-- What the list time rules did (started, warned, moved, ended, repair_refused), per membership.
CREATE TABLE list_events (
  membership_id TEXT NOT NULL,
  kind TEXT NOT NULL,
  event_on TEXT NOT NULL,
  entity_id TEXT NOT NULL,
  list TEXT NOT NULL,
  detail TEXT NOT NULL DEFAULT '',
  PRIMARY KEY (membership_id, kind, event_on)
);

-- Annual reports (年度报告) filed: a year with no row counts as not filed once its deadline passed.
CREATE TABLE annual_reports (
  entity_id TEXT NOT NULL,
  report_year TEXT NOT NULL,
  filed_on TEXT NOT NULL,
  PRIMARY KEY (entity_id, report_year)
);

-- Other departments' feeds: the latest value dated on or before D is the indicator as of D.
CREATE TABLE external_indicators (
  entity_id TEXT NOT NULL,
  source TEXT NOT NULL,
  name TEXT NOT NULL,
  as_of TEXT NOT NULL,
  value TEXT NOT NULL,
  PRIMARY KEY (entity_id, source, name, as_of)
);

-- One scoring of the whole register with one model as of one date. scores_digest is SHA-256 over
-- the run's score rows (see data/store/credit_store.h), so an edited score shows.
CREATE TABLE credit_runs (
  run_id TEXT NOT NULL PRIMARY KEY,
  model_id TEXT NOT NULL,
  model_version TEXT NOT NULL,
  model_digest TEXT NOT NULL,
  as_of TEXT NOT NULL,
  created_at TEXT NOT NULL,
  entities BIGINT NOT NULL,
  count_a BIGINT NOT NULL,
  count_b BIGINT NOT NULL,
  count_c BIGINT NOT NULL,
  count_d BIGINT NOT NULL,
  scores_digest TEXT NOT NULL
);
CREATE INDEX credit_runs_as_of ON credit_runs (as_of);

-- score is the exact decimal text (shortest round trip); class is A|B|C|D.
CREATE TABLE credit_scores (
  run_id TEXT NOT NULL,
  entity_id TEXT NOT NULL,
  score TEXT NOT NULL,
  class TEXT NOT NULL,
  input_digest TEXT NOT NULL,
  PRIMARY KEY (run_id, entity_id)
);

-- Joint-punishment flags (联合惩戒标记): one per (trigger, memorandum measure). end_on '' = open.
CREATE TABLE flags (
  flag_id TEXT NOT NULL PRIMARY KEY,
  entity_id TEXT NOT NULL,
  memorandum TEXT NOT NULL,
  memorandum_title TEXT NOT NULL DEFAULT '',
  document TEXT NOT NULL DEFAULT '',
  measure_id TEXT NOT NULL,
  measure TEXT NOT NULL,
  department TEXT NOT NULL,
  legal_basis TEXT NOT NULL DEFAULT '',
  trigger_kind TEXT NOT NULL,
  trigger_id TEXT NOT NULL,
  start_on TEXT NOT NULL,
  end_on TEXT NOT NULL DEFAULT ''
);
CREATE INDEX flags_entity ON flags (entity_id);

-- What each implementing department is asked to do (apply / lift) and what it answered.
CREATE TABLE flag_feedback (
  flag_id TEXT NOT NULL,
  action TEXT NOT NULL,
  event_on TEXT NOT NULL,
  department TEXT NOT NULL,
  entity_id TEXT NOT NULL,
  measure TEXT NOT NULL DEFAULT '',
  legal_basis TEXT NOT NULL DEFAULT '',
  status TEXT NOT NULL DEFAULT 'pending',
  PRIMARY KEY (flag_id, action, event_on)
);
