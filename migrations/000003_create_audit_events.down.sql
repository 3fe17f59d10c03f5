DROP FUNCTION audit_event_hash(audit_events);
DROP TABLE audit_events;
DROP FUNCTION audit_events_refuse_change();
DROP FUNCTION audit_events_chain();
