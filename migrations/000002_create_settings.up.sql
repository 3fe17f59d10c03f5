-- Portal-wide settings that administrators change at run time (which roles need MFA, the active
-- classification scheme, …). One row per key; the value is JSON so that a setting may be structured.
CREATE TABLE settings (
    key        text PRIMARY KEY CHECK (key ~ '^[a-z][a-z0-9_.]*$'),
    value      jsonb NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    version    integer NOT NULL DEFAULT 1
);
