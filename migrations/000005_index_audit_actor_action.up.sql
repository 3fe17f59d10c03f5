-- The audit trail viewer pages newest first by id and filters by who acted (the login id, matched
-- case-insensitively) and by action. Each index below serves its filter and the id order together,
-- so a page is read straight off the index however many millions of events there are. Filters by
-- record use audit_events_entity_idx (entity_type, entity_id, id) and by date audit_events_at_idx,
-- both from 000003.
CREATE INDEX audit_events_actor_label_idx ON audit_events (lower(actor_label), id);
CREATE INDEX audit_events_action_idx ON audit_events (action, id);
