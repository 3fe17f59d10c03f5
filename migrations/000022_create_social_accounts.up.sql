-- The social media accounts register (ソーシャルメディアサービス, basic policy §6(8), domain.md §7.4):
-- each account the town runs, with its operating unit (運用課), the anti-impersonation measures
-- (the account listed on the town's own site, the profile naming the unit), the protection of its
-- credentials (MFA, where they are kept), its operating procedure and posting rules, what to do on
-- a takeover, the approval of its opening by the unit's 情報セキュリティ管理者, its responsible
-- person (サービス責任者, exactly one at a time, with history), its operators and its periodic checks.

CREATE SEQUENCE social_account_numbers;

CREATE TABLE social_accounts (
    id                    bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    number                text NOT NULL UNIQUE DEFAULT 'M-' || lpad(nextval('social_account_numbers')::text, 5, '0'),
    platform              text NOT NULL CHECK (platform IN ('x', 'facebook', 'instagram', 'line', 'youtube', 'other')),
    platform_name         text NOT NULL DEFAULT '', -- the service's name when platform is 'other'
    account_name          text NOT NULL CHECK (account_name <> ''),
    url                   text NOT NULL DEFAULT '',
    unit_id               bigint NOT NULL REFERENCES units (id),
    status                text NOT NULL DEFAULT 'preparing' CHECK (status IN ('preparing', 'public', 'suspended', 'closed')),
    -- なりすまし対策: where the town's own site lists the account. An account is never public
    -- without it; the store says so beside the field, this constraint holds it whatever writes.
    official_listing_url  text NOT NULL DEFAULT '',
    profile_states_unit   boolean NOT NULL DEFAULT false,
    mfa_enabled           boolean NOT NULL DEFAULT false,
    mfa_method            text NOT NULL DEFAULT '',
    credential_storage    text NOT NULL DEFAULT '', -- 認証情報の保管方法
    operating_procedure   text NOT NULL DEFAULT '', -- 運用手順書
    posting_rules         text NOT NULL DEFAULT '', -- what may be posted (機密性2以上 never)
    takeover_procedure    text NOT NULL DEFAULT '', -- 乗っ取り時の対応手順
    -- The opening: asked for by staff, approved by the unit's 管理者 or the security office
    -- (never the person who asked), then made public on opened_on.
    requested_on          date,
    requested_by          bigint REFERENCES users (id),
    approved_on           date,
    approved_by           bigint REFERENCES users (id),
    opened_on             date,
    check_interval_months integer NOT NULL DEFAULT 3 CHECK (check_interval_months BETWEEN 1 AND 24),
    last_checked_on       date,
    created_by            bigint REFERENCES users (id),
    created_at            timestamptz NOT NULL DEFAULT now(),
    updated_at            timestamptz NOT NULL DEFAULT now(),
    version               integer NOT NULL DEFAULT 1,
    CONSTRAINT social_accounts_public_listing CHECK (status <> 'public' OR official_listing_url <> ''),
    CONSTRAINT social_accounts_other_name CHECK ((platform = 'other') = (platform_name <> '')),
    CONSTRAINT social_accounts_request CHECK ((requested_on IS NULL) = (requested_by IS NULL)),
    CONSTRAINT social_accounts_approval CHECK ((approved_on IS NULL) = (approved_by IS NULL))
);
-- The list pages by id, newest first, within a unit or a status.
CREATE INDEX social_accounts_unit_idx ON social_accounts (unit_id, id);
CREATE INDEX social_accounts_status_idx ON social_accounts (status, id);
CREATE INDEX social_accounts_platform_idx ON social_accounts (platform, id);
-- 要対応 and the tasks: accounts in use whose check falls due, and openings waiting for approval.
CREATE INDEX social_accounts_check_idx ON social_accounts (last_checked_on) WHERE status IN ('public', 'suspended');
CREATE INDEX social_accounts_waiting_idx ON social_accounts (unit_id) WHERE requested_on IS NOT NULL AND approved_on IS NULL;

-- サービス責任者: exactly one active owner per account at any time. A change ends the current
-- owner (valid_to) and starts the next in one transaction; periods are dates, both ends inclusive.
CREATE TABLE social_account_owners (
    id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    account_id bigint NOT NULL REFERENCES social_accounts (id) ON DELETE CASCADE,
    person_id  bigint NOT NULL REFERENCES people (id),
    valid_from date NOT NULL,
    valid_to   date,
    changed_by bigint REFERENCES users (id),
    created_at timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT social_account_owners_period CHECK (valid_to IS NULL OR valid_to >= valid_from)
);
CREATE UNIQUE INDEX social_account_owners_active_key ON social_account_owners (account_id) WHERE valid_to IS NULL;
CREATE INDEX social_account_owners_person_idx ON social_account_owners (person_id) WHERE valid_to IS NULL;
CREATE INDEX social_account_owners_account_idx ON social_account_owners (account_id, valid_from);

-- 運用担当者: the people who post for the account.
CREATE TABLE social_account_operators (
    account_id bigint NOT NULL REFERENCES social_accounts (id) ON DELETE CASCADE,
    person_id  bigint NOT NULL REFERENCES people (id),
    PRIMARY KEY (account_id, person_id)
);
CREATE INDEX social_account_operators_person_idx ON social_account_operators (person_id);

-- The periodic checks: what was confirmed, the result, and a note. Kept, never changed.
CREATE TABLE social_account_checks (
    id                  bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    account_id          bigint NOT NULL REFERENCES social_accounts (id) ON DELETE CASCADE,
    checked_on          date NOT NULL,
    checked_by          bigint REFERENCES users (id),
    listing_live        boolean NOT NULL, -- the town's site still lists the account
    profile_shows_unit  boolean NOT NULL,
    mfa_on              boolean NOT NULL,
    no_confidential     boolean NOT NULL, -- nothing of 機密性2以上 posted
    no_unknown_sessions boolean NOT NULL,
    result              text NOT NULL CHECK (result IN ('ok', 'issues')),
    note                text NOT NULL DEFAULT '',
    created_at          timestamptz NOT NULL DEFAULT now(),
    -- A check that found a problem says what it was.
    CONSTRAINT social_account_checks_note CHECK (result = 'ok' OR note <> '')
);
CREATE INDEX social_account_checks_account_idx ON social_account_checks (account_id, checked_on DESC, id DESC);
