-- An identity value is drawn before the chain trigger takes its lock, so a writer that waited for
-- the lock could hold a smaller id than the event it chained onto, and the chain (walked by id)
-- would look broken. The trigger now draws the id itself, under the lock: id order is chain order.
ALTER TABLE audit_events ALTER COLUMN id DROP IDENTITY;
CREATE SEQUENCE audit_events_id_seq OWNED BY audit_events.id;
SELECT setval('audit_events_id_seq', coalesce(max(id), 0) + 1, false) FROM audit_events;

CREATE OR REPLACE FUNCTION audit_events_chain() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_advisory_xact_lock(hashtext('audit_events_chain'));
    NEW.id := nextval('audit_events_id_seq');
    NEW.at := clock_timestamp();
    NEW.prev_hash := coalesce(
        (SELECT hash FROM audit_events ORDER BY id DESC LIMIT 1),
        '\x'::bytea);
    NEW.hash := audit_event_hash(NEW);
    RETURN NEW;
END
$$;
