-- The audit trail: append-only and hash-chained. Each row stores the SHA-256 of its own content
-- together with the previous row's hash, so a row changed or removed behind the portal's back
-- breaks the chain from that row on (checked by `isms audit verify`).
CREATE TABLE audit_events (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    at          timestamptz NOT NULL DEFAULT now(),
    actor_id    bigint,
    actor_label text NOT NULL,
    action      text NOT NULL,
    entity_type text NOT NULL,
    entity_id   text NOT NULL DEFAULT '',
    before      jsonb,
    after       jsonb,
    request_id  text NOT NULL DEFAULT '',
    client_addr text NOT NULL DEFAULT '',
    prev_hash   bytea NOT NULL,
    hash        bytea NOT NULL
);
CREATE INDEX audit_events_entity_idx ON audit_events (entity_type, entity_id, id);
CREATE INDEX audit_events_actor_idx ON audit_events (actor_id, id);
CREATE INDEX audit_events_at_idx ON audit_events (at);

-- The one definition of a row's hash, used when the row is written and when the chain is verified.
-- Every field is length-prefixed so that no two different rows can produce the same input.
CREATE FUNCTION audit_event_hash(e audit_events) RETURNS bytea
LANGUAGE sql STABLE AS $$
    SELECT sha256(convert_to(
        concat_ws(E'\x1f',
            e.id::text,
            to_char(e.at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'),
            coalesce(e.actor_id::text, ''),
            length(e.actor_label) || ':' || e.actor_label,
            length(e.action) || ':' || e.action,
            length(e.entity_type) || ':' || e.entity_type,
            length(e.entity_id) || ':' || e.entity_id,
            coalesce(e.before::text, 'null'),
            coalesce(e.after::text, 'null'),
            length(e.request_id) || ':' || e.request_id,
            length(e.client_addr) || ':' || e.client_addr,
            encode(e.prev_hash, 'hex')),
        'UTF8'))
$$;

-- Links each new row to the last one. The transaction-scoped advisory lock serialises writers
-- until commit, so two transactions can never chain onto the same predecessor.
CREATE FUNCTION audit_events_chain() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_advisory_xact_lock(hashtext('audit_events_chain'));
    NEW.at := clock_timestamp();
    NEW.prev_hash := coalesce(
        (SELECT hash FROM audit_events ORDER BY id DESC LIMIT 1),
        '\x'::bytea);
    NEW.hash := audit_event_hash(NEW);
    RETURN NEW;
END
$$;
CREATE TRIGGER audit_events_chain BEFORE INSERT ON audit_events
    FOR EACH ROW EXECUTE FUNCTION audit_events_chain();

CREATE FUNCTION audit_events_refuse_change() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'audit_events is append-only: % refused', TG_OP
        USING ERRCODE = 'insufficient_privilege';
END
$$;
CREATE TRIGGER audit_events_no_update_delete BEFORE UPDATE OR DELETE ON audit_events
    FOR EACH ROW EXECUTE FUNCTION audit_events_refuse_change();
CREATE TRIGGER audit_events_no_truncate BEFORE TRUNCATE ON audit_events
    FOR EACH STATEMENT EXECUTE FUNCTION audit_events_refuse_change();
