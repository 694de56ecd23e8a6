-- A draw's own audit events (subject draws/<id>, pairings/<id>) are read by subject: the bundle carries
-- them and the public draw answer and the daily bulk manifest publish each draw's head over them
-- (docs/draw-protocol.md section 6). Without the index every such read would scan the whole log.
CREATE INDEX audit_log_subject ON audit_log (subject, seq);
