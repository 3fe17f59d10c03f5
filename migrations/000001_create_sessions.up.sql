-- Browser sessions (scs pgxstore). Kept in PostgreSQL so that any portal process can serve any request.
CREATE TABLE sessions (
    token  text PRIMARY KEY,
    data   bytea NOT NULL,
    expiry timestamptz NOT NULL
);
CREATE INDEX sessions_expiry_idx ON sessions (expiry);
