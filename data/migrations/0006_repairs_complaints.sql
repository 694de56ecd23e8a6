-- Credit repair decisions (信用修复决定) and complaints and reports (投诉举报): the inputs the list
-- time rules and indicator complaints_1y read. Portable SQL, TEXT columns, '' for unknown; nothing
-- is deleted (a corrected decision is a changed row, audited with its old and new values).

-- One decided application for credit repair of one list membership. outcome granted ends the
-- membership early when the list rules allow it (credit/lists.h); refused keeps it, with the reason.
CREATE TABLE credit_repairs (
  decision_no TEXT NOT NULL PRIMARY KEY,
  membership_id TEXT NOT NULL,
  entity_id TEXT NOT NULL,
  list TEXT NOT NULL,
  decided_on TEXT NOT NULL,
  authority TEXT NOT NULL DEFAULT '',
  outcome TEXT NOT NULL,
  reason TEXT NOT NULL DEFAULT ''
);
CREATE INDEX credit_repairs_membership ON credit_repairs (membership_id);
CREATE INDEX credit_repairs_entity ON credit_repairs (entity_id);

-- substantiated is yes | no | pending; a complaint counts from concluded_on (else received_on).
CREATE TABLE complaints (
  reference_no TEXT NOT NULL PRIMARY KEY,
  entity_id TEXT NOT NULL,
  received_on TEXT NOT NULL,
  substantiated TEXT NOT NULL,
  concluded_on TEXT NOT NULL DEFAULT '',
  source TEXT NOT NULL DEFAULT '',
  department TEXT NOT NULL DEFAULT ''
);
CREATE INDEX complaints_entity ON complaints (entity_id);
