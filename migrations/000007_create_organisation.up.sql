-- The organisation (basic policy §6(1)): the unit tree with its history, the people who work in
-- it, the guideline's security roles as editable master data, who holds which role where and
-- when, and the personnel rotations that move them. Periods are dates, both ends inclusive
-- (valid_to NULL: still open), so that a rotation prepared for 1 April takes effect on that day.

ALTER TABLE units
    ADD COLUMN unit_type text NOT NULL DEFAULT 'section' CHECK (unit_type IN
        ('executive', 'department', 'section', 'team', 'committee', 'assembly', 'secretariat', 'branch', 'enterprise', 'school')),
    -- A school's education network is outside the policy's scope; its office is inside.
    ADD COLUMN in_scope boolean NOT NULL DEFAULT true,
    ADD COLUMN valid_from date NOT NULL DEFAULT current_date,
    ADD COLUMN valid_to date,
    -- A closed unit's records belong to its successor (merge, split, renaming into a new unit).
    ADD COLUMN successor_id bigint REFERENCES units (id),
    ADD CONSTRAINT units_period CHECK (valid_to IS NULL OR valid_to >= valid_from),
    ADD CONSTRAINT units_successor_of_closed CHECK (successor_id IS NULL OR valid_to IS NOT NULL),
    ADD CONSTRAINT units_not_own_parent CHECK (parent_id <> id);
CREATE INDEX units_successor_idx ON units (successor_id) WHERE successor_id IS NOT NULL;

-- 職員等: everyone who handles the town's information, with or without a portal account.
CREATE TABLE people (
    id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    employee_no     text NOT NULL DEFAULT '',
    name            text NOT NULL CHECK (name <> ''),
    name_kana       text NOT NULL DEFAULT '',
    employment_type text NOT NULL CHECK (employment_type IN ('regular', 'fiscal_year', 'temporary', 'contractor')),
    email           text NOT NULL DEFAULT '',
    phone           text NOT NULL DEFAULT '',
    valid_from      date NOT NULL,
    valid_to        date,
    user_id         bigint REFERENCES users (id),
    created_at      timestamptz NOT NULL DEFAULT now(),
    updated_at      timestamptz NOT NULL DEFAULT now(),
    version         integer NOT NULL DEFAULT 1,
    CONSTRAINT people_period CHECK (valid_to IS NULL OR valid_to >= valid_from)
);
CREATE UNIQUE INDEX people_employee_no_key ON people (employee_no) WHERE employee_no <> '';
CREATE UNIQUE INDEX people_user_key ON people (user_id);
-- The people list pages by (reading, id).
CREATE INDEX people_list_idx ON people (name_kana, id);

-- 所属: which unit a person belongs to, over time. The store keeps a person's postings from
-- overlapping.
CREATE TABLE postings (
    id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    person_id  bigint NOT NULL REFERENCES people (id),
    unit_id    bigint NOT NULL REFERENCES units (id),
    valid_from date NOT NULL,
    valid_to   date,
    created_at timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT postings_period CHECK (valid_to IS NULL OR valid_to >= valid_from)
);
CREATE INDEX postings_person_idx ON postings (person_id, valid_from);
CREATE INDEX postings_unit_idx ON postings (unit_id, valid_from);

-- The guideline's security roles. Codes are fixed (the portal's rules refer to them); the names
-- are the town's to edit, since towns word them differently. unit_kind says whether the role is
-- held for the whole town or for a unit; grants, what the holder sees: nothing more, the unit,
-- the unit and everything under it, or every unit.
CREATE TABLE security_roles (
    code       text PRIMARY KEY,
    name_ja    text NOT NULL CHECK (name_ja <> ''),
    name_en    text NOT NULL CHECK (name_en <> ''),
    unit_kind  text NOT NULL CHECK (unit_kind IN ('town', 'unit')),
    grants     text NOT NULL CHECK (grants IN ('none', 'unit', 'subtree', 'all')),
    sort_order integer NOT NULL,
    updated_at timestamptz NOT NULL DEFAULT now(),
    version    integer NOT NULL DEFAULT 1
);
INSERT INTO security_roles (code, name_ja, name_en, unit_kind, grants, sort_order) VALUES
    ('CISO',              '最高情報セキュリティ責任者',         'Chief Information Security Officer (CISO)', 'town', 'all',     10),
    ('CISO_ADVISOR',      '最高情報セキュリティアドバイザー',   'Chief Information Security Advisor',        'town', 'none',    20),
    ('DEPUTY_CISO',       '統括情報セキュリティ責任者',         'Deputy CISO',                               'town', 'all',     30),
    ('ISO_DEPT',          '情報セキュリティ責任者',             'Information Security Officer',              'unit', 'subtree', 40),
    ('ISM_SECTION',       '情報セキュリティ管理者',             'Information Security Manager',              'unit', 'subtree', 50),
    ('SYS_ADMIN',         '情報システム管理者',                 'Information System Administrator',          'unit', 'unit',    60),
    ('SYS_OPERATOR',      '情報システム担当者',                 'Information System Operator',               'unit', 'none',    70),
    ('COMMITTEE_MEMBER',  '情報セキュリティ委員会 委員',        'Information Security Committee member',     'town', 'none',    80),
    ('CSIRT_LEAD',        'CSIRT責任者',                        'CSIRT lead',                                'town', 'none',    90),
    ('CSIRT_MEMBER',      'CSIRT要員',                          'CSIRT member',                              'town', 'none',   100),
    ('SPOC',              '情報セキュリティに関する統一的な窓口', 'Single point of contact',                 'town', 'none',   110),
    ('AUDIT_LEAD',        '情報セキュリティ監査統括責任者',     'Chief Information Security Audit Officer',  'town', 'all',    120),
    ('AUDITOR',           '情報セキュリティ監査人',             'Information security auditor',              'unit', 'none',   130),
    ('EXT_SERVICE_ADMIN', '外部サービス管理者',                 'External Service Administrator',            'unit', 'none',   140),
    ('SNS_OWNER',         'ソーシャルメディアサービス責任者',   'Social media service owner',                'unit', 'none',   150);

-- Who holds which role, where (unit_id NULL: the whole town) and when. Assignments are ended,
-- never deleted, so the history of who was responsible stays. acting marks a 代理.
CREATE TABLE role_assignments (
    id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    person_id  bigint NOT NULL REFERENCES people (id),
    role_code  text NOT NULL REFERENCES security_roles (code),
    unit_id    bigint REFERENCES units (id),
    valid_from date NOT NULL,
    valid_to   date,
    acting     boolean NOT NULL DEFAULT false,
    note       text NOT NULL DEFAULT '',
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    version    integer NOT NULL DEFAULT 1,
    CONSTRAINT role_assignments_period CHECK (valid_to IS NULL OR valid_to >= valid_from)
);
CREATE INDEX role_assignments_person_idx ON role_assignments (person_id, valid_from);
CREATE INDEX role_assignments_unit_idx ON role_assignments (unit_id, role_code);
CREATE INDEX role_assignments_role_idx ON role_assignments (role_code, valid_from);

-- 人事異動: the moves and hand-overs of one date, prepared as a draft and applied at once.
CREATE TABLE rotations (
    id             bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    title          text NOT NULL CHECK (title <> ''),
    effective_date date NOT NULL,
    status         text NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'applied')),
    applied_at     timestamptz,
    applied_by     bigint REFERENCES users (id),
    created_at     timestamptz NOT NULL DEFAULT now(),
    updated_at     timestamptz NOT NULL DEFAULT now(),
    version        integer NOT NULL DEFAULT 1
);

-- One line of a rotation: move a person to a unit, end an assignment, or start one.
CREATE TABLE rotation_lines (
    id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    rotation_id   bigint NOT NULL REFERENCES rotations (id) ON DELETE CASCADE,
    kind          text NOT NULL CHECK (kind IN ('move', 'end_role', 'start_role')),
    person_id     bigint NOT NULL REFERENCES people (id),
    unit_id       bigint REFERENCES units (id),
    role_code     text REFERENCES security_roles (code),
    assignment_id bigint REFERENCES role_assignments (id),
    acting        boolean NOT NULL DEFAULT false,
    note          text NOT NULL DEFAULT '',
    created_at    timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX rotation_lines_rotation_idx ON rotation_lines (rotation_id, id);
