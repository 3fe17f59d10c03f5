-- Organisation units (部局・課・係 …) and the portal's user accounts. Units start here with what
-- accounts need (a place in the tree); the organisation's history and types come with its own pages.
CREATE TABLE units (
    id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    code       text NOT NULL CHECK (code <> ''),
    name       text NOT NULL CHECK (name <> ''),
    name_kana  text NOT NULL DEFAULT '',
    parent_id  bigint REFERENCES units (id),
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    version    integer NOT NULL DEFAULT 1
);
CREATE UNIQUE INDEX units_code_key ON units (code);
CREATE INDEX units_parent_idx ON units (parent_id);

CREATE TABLE users (
    id                   bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    login_id             text NOT NULL CHECK (login_id ~ '^[A-Za-z0-9._@+-]{3,64}$'),
    display_name         text NOT NULL CHECK (display_name <> ''),
    display_name_kana    text NOT NULL DEFAULT '',
    email                text NOT NULL DEFAULT '',
    lang                 text NOT NULL DEFAULT 'ja' CHECK (lang IN ('ja', 'en')),
    date_style           text NOT NULL DEFAULT 'seireki' CHECK (date_style IN ('seireki', 'wareki')),
    status               text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'suspended', 'retired')),
    role                 text NOT NULL CHECK (role IN ('system_admin', 'security_office', 'ciso', 'auditor', 'staff')),
    unit_id              bigint REFERENCES units (id),
    -- argon2id in PHC form: the parameters travel with the hash so that they can be raised later.
    password_hash        text NOT NULL,
    must_change_password boolean NOT NULL DEFAULT true,
    password_changed_at  timestamptz,
    -- TOTP secret sealed with the portal's secret key (AES-256-GCM); NULL until enrolled.
    totp_secret          bytea,
    totp_enrolled_at     timestamptz,
    -- The last 30-second step accepted: a code of that step or an older one is refused (no replay).
    totp_last_step       bigint NOT NULL DEFAULT 0,
    -- Raised whenever the account's credentials or rights change; sessions carry the value they
    -- were made with and end when it no longer matches.
    auth_epoch           integer NOT NULL DEFAULT 1,
    last_login_at        timestamptz,
    created_at           timestamptz NOT NULL DEFAULT now(),
    updated_at           timestamptz NOT NULL DEFAULT now(),
    version              integer NOT NULL DEFAULT 1
);
CREATE UNIQUE INDEX users_login_id_key ON users (lower(login_id));
-- The users list pages by (kana reading, id) and filters by unit, role and status.
CREATE INDEX users_list_idx ON users (display_name_kana, id);
CREATE INDEX users_unit_idx ON users (unit_id);

CREATE TABLE recovery_codes (
    user_id   bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    code_hash bytea NOT NULL,
    used_at   timestamptz,
    PRIMARY KEY (user_id, code_hash)
);

-- Failed sign-in counters, per account ('user:<id>') and per client address ('addr:<ip>'), for
-- back-off and temporary lock-out. A success clears the account's counter.
CREATE TABLE login_throttle (
    key          text PRIMARY KEY,
    failures     integer NOT NULL DEFAULT 0,
    last_failure timestamptz NOT NULL DEFAULT now(),
    locked_until timestamptz
);

-- Roles whose members must use a second factor (TOTP) to sign in; administrators may change it.
INSERT INTO settings (key, value) VALUES ('auth.mfa_roles', '["system_admin", "security_office", "ciso"]');
