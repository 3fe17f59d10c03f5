-- Information security incidents (情報セキュリティインシデント, basic policy §3 and §6, domain.md §4):
-- the report any staff member makes, the CSIRT's triage, the workflow with its typed timeline, the
-- actions that fix and prevent, the reports owed to outside bodies (the Personal Information
-- Protection Commission's 速報 and 確報 first), and the portal's notifications of escalations.

-- Categories: the threats of the basic policy §3 (1)–(5) and, under them, the kinds of domain.md
-- §4.5. Master data: the town may rename, reorder or retire them.
CREATE TABLE incident_categories (
    code       text PRIMARY KEY CHECK (code ~ '^[A-Z][A-Z0-9_]*$'),
    threat     smallint NOT NULL CHECK (threat BETWEEN 1 AND 5), -- basic policy §3 (1)–(5)
    name_ja    text NOT NULL CHECK (name_ja <> ''),
    name_en    text NOT NULL CHECK (name_en <> ''),
    active     boolean NOT NULL DEFAULT true,
    sort_order integer NOT NULL DEFAULT 0
);
INSERT INTO incident_categories (code, threat, name_ja, name_en, sort_order) VALUES
    ('UNAUTHORISED_ACCESS', 1, '不正アクセス',             'Unauthorised access',          10),
    ('MALWARE',             1, 'マルウェア感染',           'Malware infection',            20),
    ('DOS',                 1, 'サービス不能攻撃',         'Denial of service',            30),
    ('INSIDER',             1, '内部不正',                 'Insider wrongdoing',           40),
    ('MISDELIVERY',         2, '誤送信・誤送付',           'Mis-sent e-mail or mail',      50),
    ('LOSS_THEFT',          2, '紛失・盗難',               'Loss or theft',                60),
    ('MISCONFIGURATION',    2, '設定不備・操作ミス',       'Misconfiguration or mistake',  70),
    ('POLICY_VIOLATION',    2, '規定違反（無断持出し等）', 'Policy violation',             80),
    ('SYSTEM_FAILURE',      2, 'システム障害・機器故障',   'System or equipment failure',  90),
    ('CONTRACTOR',          2, '外部委託先起因',           'Caused by a contractor',      100),
    ('DISASTER',            3, '災害',                     'Disaster',                    110),
    ('STAFF_SHORTAGE',      4, '疾病等による要員不足',     'Staff shortage (epidemic)',   120),
    ('INFRASTRUCTURE',      5, 'インフラ障害（電力・通信）', 'Infrastructure outage',      130),
    ('OTHER',               2, 'その他',                   'Other',                       900);

-- The rules by which the portal decides that the Personal Information Protection Commission must
-- be told (個人情報保護法68条, 規則43条; domain.md §4.3) and when. One row, the security office's to
-- change when the law or the town's reading of it changes.
CREATE TABLE incident_rules (
    id                     boolean PRIMARY KEY DEFAULT true CHECK (id),
    trigger_sensitive      boolean NOT NULL DEFAULT true, -- ① 要配慮個人情報
    trigger_financial      boolean NOT NULL DEFAULT true, -- ② 財産的被害のおそれ
    trigger_wrongful       boolean NOT NULL DEFAULT true, -- ③ 不正の目的
    trigger_subjects       boolean NOT NULL DEFAULT true, -- ④ 本人の数が閾値を超える
    trigger_ordinance      boolean NOT NULL DEFAULT true, -- ⑤ 条例要配慮個人情報
    trigger_my_number      boolean NOT NULL DEFAULT true, -- 特定個人情報 (番号法の漏えい等報告)
    subject_threshold      integer NOT NULL DEFAULT 100 CHECK (subject_threshold > 0), -- more than this many
    prelim_days            integer NOT NULL DEFAULT 5 CHECK (prelim_days BETWEEN 1 AND 60),
    final_days             integer NOT NULL DEFAULT 30 CHECK (final_days BETWEEN 1 AND 365),
    final_days_wrongful    integer NOT NULL DEFAULT 60 CHECK (final_days_wrongful BETWEEN 1 AND 365),
    soon_days              integer NOT NULL DEFAULT 2 CHECK (soon_days BETWEEN 0 AND 30),
    updated_at             timestamptz NOT NULL DEFAULT now(),
    version                integer NOT NULL DEFAULT 1
);
INSERT INTO incident_rules DEFAULT VALUES;

-- Reference numbers count per fiscal year: 2026-0001, 2026-0002, …
CREATE TABLE incident_numbers (
    fiscal_year integer PRIMARY KEY,
    last        integer NOT NULL
);

CREATE TABLE incidents (
    id                  bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    number              text NOT NULL UNIQUE,
    -- Intake, in the reporter's words.
    title               text NOT NULL CHECK (title <> ''),
    description         text NOT NULL CHECK (description <> ''),
    occurred_at         timestamptz,          -- 発生日時, when known
    aware_at            timestamptz NOT NULL, -- 認知日時: the PPC deadlines count from here
    place               text NOT NULL DEFAULT '',
    affected_note       text NOT NULL DEFAULT '', -- assets or systems as the reporter knows them
    personal_info       text NOT NULL DEFAULT 'unknown' CHECK (personal_info IN ('yes', 'no', 'unknown')),
    first_action        text NOT NULL DEFAULT '', -- what the reporter did already
    channel             text NOT NULL DEFAULT 'portal' CHECK (channel IN ('portal', 'phone', 'email', 'visit', 'letter', 'other')),
    external_reporter   text NOT NULL DEFAULT '', -- a resident's or body's name and contact, for reports from outside
    reported_by         bigint NOT NULL REFERENCES users (id),
    reported_at         timestamptz NOT NULL DEFAULT now(),
    -- Triage by the CSIRT or the security office.
    is_incident         boolean,              -- NULL: not judged yet
    decided_at          timestamptz,
    decided_by          bigint REFERENCES users (id),
    severity            smallint CHECK (severity BETWEEN 0 AND 3),
    category            text REFERENCES incident_categories (code),
    zone                text CHECK (zone IN ('MYNUMBER', 'LGWAN', 'INTERNET', 'OTHER')),
    impact              text NOT NULL DEFAULT '', -- 影響範囲
    -- Personal-information facts (domain.md §4.3).
    pi_items            text NOT NULL DEFAULT '', -- 漏えい等した保有個人情報の項目
    pi_subjects         integer CHECK (pi_subjects >= 0), -- 本人の数
    pi_sensitive        boolean NOT NULL DEFAULT false, -- 要配慮個人情報
    pi_ordinance        boolean NOT NULL DEFAULT false, -- 条例要配慮個人情報
    pi_my_number        boolean NOT NULL DEFAULT false, -- 特定個人情報
    wrongful_intent     boolean NOT NULL DEFAULT false, -- 不正の目的によるおそれ
    financial_harm      boolean NOT NULL DEFAULT false, -- 財産的被害のおそれ
    secondary_harm      text NOT NULL DEFAULT '', -- 二次被害又はそのおそれの有無及びその内容
    subject_response    text NOT NULL DEFAULT '', -- 本人への対応の実施状況
    publication         text NOT NULL DEFAULT '', -- 公表の実施状況
    root_cause          text NOT NULL DEFAULT '', -- 原因
    other_notes         text NOT NULL DEFAULT '', -- その他参考となる事項
    -- What the portal derives from the facts and the rules, kept with the record so that lists
    -- filter on it: the PPC triggers met (empty: no report owed) and the reasons it was escalated.
    ppc_triggers        text[] NOT NULL DEFAULT '{}',
    escalations         text[] NOT NULL DEFAULT '{}',
    -- Workflow.
    status              text NOT NULL DEFAULT 'received' CHECK (status IN
        ('received', 'investigating', 'responding', 'prevention', 'closed', 'not_incident')),
    assignee_id         bigint REFERENCES users (id),
    recovered_at        timestamptz,
    closed_at           timestamptz,
    created_at          timestamptz NOT NULL DEFAULT now(),
    updated_at          timestamptz NOT NULL DEFAULT now(),
    version             integer NOT NULL DEFAULT 1,
    CONSTRAINT incidents_decision CHECK ((is_incident IS NULL) = (decided_at IS NULL)),
    CONSTRAINT incidents_aware_after_occurred CHECK (occurred_at IS NULL OR occurred_at <= aware_at)
);
-- The list pages newest first by id; its filters narrow by status, severity and category.
CREATE INDEX incidents_status_idx ON incidents (status, id DESC);
CREATE INDEX incidents_reporter_idx ON incidents (reported_by, id DESC);
CREATE INDEX incidents_aware_idx ON incidents (aware_at);
CREATE INDEX incidents_ppc_idx ON incidents (id DESC) WHERE ppc_triggers <> '{}';

-- The units concerned (所管課): the reporter's unit at intake, more after triage. The managers of
-- these units see the incident.
CREATE TABLE incident_units (
    incident_id bigint NOT NULL REFERENCES incidents (id) ON DELETE CASCADE,
    unit_id     bigint NOT NULL REFERENCES units (id),
    PRIMARY KEY (incident_id, unit_id)
);
CREATE INDEX incident_units_unit_idx ON incident_units (unit_id, incident_id);

CREATE TABLE incident_assets (
    incident_id bigint NOT NULL REFERENCES incidents (id) ON DELETE CASCADE,
    asset_id    bigint NOT NULL REFERENCES assets (id),
    PRIMARY KEY (incident_id, asset_id)
);
CREATE INDEX incident_assets_asset_idx ON incident_assets (asset_id);

CREATE TABLE incident_systems (
    incident_id bigint NOT NULL REFERENCES incidents (id) ON DELETE CASCADE,
    system_id   bigint NOT NULL REFERENCES systems (id),
    PRIMARY KEY (incident_id, system_id)
);
CREATE INDEX incident_systems_system_idx ON incident_systems (system_id);

-- The timeline (対応記録): what was done and decided and when. Entries of kinds status, severity,
-- assignee, escalation, triage and report are written by the portal itself with the change they
-- record (detail holds from / to); the others are typed by people. Entries are never changed.
CREATE TABLE incident_events (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    incident_id bigint NOT NULL REFERENCES incidents (id) ON DELETE CASCADE,
    kind        text NOT NULL CHECK (kind IN ('detection', 'containment', 'recovery', 'communication', 'decision',
        'report', 'note', 'intake', 'triage', 'status', 'severity', 'assignee', 'escalation')),
    at          timestamptz NOT NULL,  -- when it happened
    body        text NOT NULL DEFAULT '',
    detail      jsonb NOT NULL DEFAULT '{}',
    created_by  bigint REFERENCES users (id),
    created_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX incident_events_incident_idx ON incident_events (incident_id, at, id);

-- Root cause, recovery and prevention as actions with an owner and a due date.
CREATE TABLE incident_actions (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    incident_id bigint NOT NULL REFERENCES incidents (id) ON DELETE CASCADE,
    kind        text NOT NULL CHECK (kind IN ('root_cause', 'recovery', 'prevention')),
    description text NOT NULL CHECK (description <> ''),
    owner_id    bigint REFERENCES people (id),
    due_on      date,
    done_on     date,
    created_at  timestamptz NOT NULL DEFAULT now(),
    updated_at  timestamptz NOT NULL DEFAULT now(),
    version     integer NOT NULL DEFAULT 1
);
CREATE INDEX incident_actions_incident_idx ON incident_actions (incident_id, id);

-- Reports owed to outside bodies. The PPC's 速報 and 確報 are added and dated by the portal when
-- the facts meet a trigger; the others are added by the CSIRT.
CREATE TABLE incident_reports (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    incident_id bigint NOT NULL REFERENCES incidents (id) ON DELETE CASCADE,
    recipient   text NOT NULL CHECK (recipient IN ('ppc_prelim', 'ppc_final', 'prefecture', 'security_cloud',
        'police', 'ipa', 'subjects', 'publication', 'other')),
    due_on      date,
    done_on     date,
    note        text NOT NULL DEFAULT '', -- to whom exactly, reference numbers, how
    created_at  timestamptz NOT NULL DEFAULT now(),
    updated_at  timestamptz NOT NULL DEFAULT now(),
    version     integer NOT NULL DEFAULT 1
);
CREATE UNIQUE INDEX incident_reports_ppc_key ON incident_reports (incident_id, recipient)
    WHERE recipient IN ('ppc_prelim', 'ppc_final');
-- Overdue and soon-due reports are found by their open due dates.
CREATE INDEX incident_reports_open_idx ON incident_reports (due_on, incident_id) WHERE done_on IS NULL;

-- In-portal notifications (e-mail comes later): one row per person told.
CREATE TABLE notifications (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    user_id     bigint NOT NULL REFERENCES users (id),
    kind        text NOT NULL CHECK (kind IN ('incident_escalated')),
    incident_id bigint REFERENCES incidents (id) ON DELETE CASCADE,
    reason      text NOT NULL DEFAULT '', -- the escalation reason: severity, ppc
    created_at  timestamptz NOT NULL DEFAULT now(),
    read_at     timestamptz
);
CREATE INDEX notifications_user_idx ON notifications (user_id, id DESC);
CREATE INDEX notifications_unread_idx ON notifications (user_id) WHERE read_at IS NULL;
