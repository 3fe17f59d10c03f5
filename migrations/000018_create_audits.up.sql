-- Information security audits (情報セキュリティ監査, basic policy §8, domain.md §6.1): the audit
-- plan of each fiscal year (監査実施計画) with the committee's approval, the audits with their
-- scope, auditors, dates and evidence notes (監査証拠・監査調書), their findings, the corrective
-- actions that answer them, and the checks other units are told to make for the same problem.
-- The tables say "security_audit" because "audit" is the audit trail (audit_events).

-- The plan of a fiscal year. A plan that changes loses the committee's approval (the store clears
-- it), so that what was approved is what is carried out.
CREATE TABLE security_audit_plans (
    fiscal_year   integer PRIMARY KEY CHECK (fiscal_year BETWEEN 2000 AND 2100),
    objectives    text NOT NULL CHECK (objectives <> ''),
    scope_summary text NOT NULL DEFAULT '',
    approved_on   date,
    approved_by   text NOT NULL DEFAULT '', -- e.g. 情報セキュリティ委員会（令和8年4月20日）
    created_at    timestamptz NOT NULL DEFAULT now(),
    updated_at    timestamptz NOT NULL DEFAULT now(),
    version       integer NOT NULL DEFAULT 1,
    CONSTRAINT security_audit_plans_approval CHECK ((approved_on IS NULL) = (approved_by = ''))
);

-- The audits the plan foresees, in the plan's order; saved with the plan as a whole.
CREATE TABLE security_audit_plan_items (
    fiscal_year integer NOT NULL REFERENCES security_audit_plans (fiscal_year) ON DELETE CASCADE,
    position    integer NOT NULL,
    kind        text NOT NULL CHECK (kind IN ('internal', 'external', 'contractor', 'special')),
    title       text NOT NULL CHECK (title <> ''),
    target      text NOT NULL DEFAULT '', -- the units or contractor audited, as the plan words it
    month       smallint NOT NULL DEFAULT 0 CHECK (month BETWEEN 0 AND 12), -- 0: not decided
    PRIMARY KEY (fiscal_year, position)
);

-- The audits. A contractor's audit names the contractor; an external one the auditing firm.
-- Fieldwork has a planned period and, once done, an actual one; the report has its day.
CREATE TABLE security_audits (
    id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    fiscal_year     integer NOT NULL CHECK (fiscal_year BETWEEN 2000 AND 2100),
    kind            text NOT NULL CHECK (kind IN ('internal', 'external', 'contractor', 'special')),
    title           text NOT NULL CHECK (title <> ''),
    contractor_name text NOT NULL DEFAULT '',
    auditor_firm    text NOT NULL DEFAULT '',
    objective       text NOT NULL DEFAULT '',
    planned_start   date NOT NULL,
    planned_end     date NOT NULL,
    actual_start    date,
    actual_end      date,
    report_on       date,
    status          text NOT NULL DEFAULT 'planned' CHECK (status IN ('planned', 'in_progress', 'reported', 'closed')),
    created_by      bigint REFERENCES users (id),
    created_at      timestamptz NOT NULL DEFAULT now(),
    updated_at      timestamptz NOT NULL DEFAULT now(),
    version         integer NOT NULL DEFAULT 1,
    CONSTRAINT security_audits_contractor CHECK ((kind = 'contractor') = (contractor_name <> '')),
    CONSTRAINT security_audits_planned CHECK (planned_end >= planned_start),
    CONSTRAINT security_audits_actual CHECK (actual_end IS NULL OR actual_start IS NOT NULL AND actual_end >= actual_start)
);
CREATE INDEX security_audits_year_idx ON security_audits (fiscal_year, planned_start, id);
CREATE INDEX security_audits_open_idx ON security_audits (id) WHERE status = 'in_progress';

-- The units audited.
CREATE TABLE security_audit_units (
    audit_id bigint NOT NULL REFERENCES security_audits (id) ON DELETE CASCADE,
    unit_id  bigint NOT NULL REFERENCES units (id),
    PRIMARY KEY (audit_id, unit_id)
);
CREATE INDEX security_audit_units_unit_idx ON security_audit_units (unit_id, audit_id);

-- The auditors: people, one of them the lead auditor. The store keeps them independent of the
-- audited units (not posted to one, not its 管理者 or 責任者) over the audit's days.
CREATE TABLE security_audit_auditors (
    audit_id  bigint NOT NULL REFERENCES security_audits (id) ON DELETE CASCADE,
    person_id bigint NOT NULL REFERENCES people (id),
    lead      boolean NOT NULL DEFAULT false,
    PRIMARY KEY (audit_id, person_id)
);
CREATE UNIQUE INDEX security_audit_auditors_lead_key ON security_audit_auditors (audit_id) WHERE lead;
CREATE INDEX security_audit_auditors_person_idx ON security_audit_auditors (person_id, audit_id);

-- Evidence notes and working papers (監査証拠・監査調書), kept as dated text. They are kept, not
-- changed: a correction is a further note.
CREATE TABLE security_audit_notes (
    id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    audit_id   bigint NOT NULL REFERENCES security_audits (id) ON DELETE CASCADE,
    noted_on   date NOT NULL,
    body       text NOT NULL CHECK (body <> ''),
    created_by bigint REFERENCES users (id),
    created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX security_audit_notes_audit_idx ON security_audit_notes (audit_id, noted_on, id);

-- Severities of findings: master data the town may reword or extend.
CREATE TABLE security_audit_severities (
    code       text PRIMARY KEY CHECK (code ~ '^[A-Z][A-Z0-9_]*$'),
    name_ja    text NOT NULL CHECK (name_ja <> ''),
    name_en    text NOT NULL CHECK (name_en <> ''),
    active     boolean NOT NULL DEFAULT true,
    sort_order integer NOT NULL DEFAULT 0
);
INSERT INTO security_audit_severities (code, name_ja, name_en, sort_order) VALUES
    ('MAJOR',       '重大',     'Major',       10),
    ('MINOR',       '軽微',     'Minor',       20),
    ('OBSERVATION', '観察事項', 'Observation', 30);

-- Findings (指摘事項), numbered within their audit, each about one unit and a clause of the policy.
CREATE TABLE security_audit_findings (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    audit_id    bigint NOT NULL REFERENCES security_audits (id) ON DELETE CASCADE,
    number      integer NOT NULL CHECK (number > 0),
    title       text NOT NULL CHECK (title <> ''),
    description text NOT NULL CHECK (description <> ''),
    severity    text NOT NULL REFERENCES security_audit_severities (code),
    clause      text NOT NULL DEFAULT '', -- e.g. 対策基準 第5条
    unit_id     bigint NOT NULL REFERENCES units (id),
    created_by  bigint REFERENCES users (id),
    created_at  timestamptz NOT NULL DEFAULT now(),
    updated_at  timestamptz NOT NULL DEFAULT now(),
    version     integer NOT NULL DEFAULT 1,
    UNIQUE (audit_id, number)
);
CREATE INDEX security_audit_findings_unit_idx ON security_audit_findings (unit_id, audit_id);

-- Corrective actions (是正措置): open → done by the owner or the unit's manager → verified by an
-- auditor of the audit, or reopened when the auditor refuses it.
CREATE TABLE security_audit_actions (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    finding_id  bigint NOT NULL REFERENCES security_audit_findings (id) ON DELETE CASCADE,
    description text NOT NULL CHECK (description <> ''),
    owner_id    bigint NOT NULL REFERENCES people (id),
    due_on      date NOT NULL,
    status      text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'done', 'verified', 'reopened')),
    done_on     date,
    done_note   text NOT NULL DEFAULT '',
    done_by     bigint REFERENCES users (id),
    verified_on date,
    verify_note text NOT NULL DEFAULT '',
    verified_by bigint REFERENCES users (id),
    created_by  bigint REFERENCES users (id),
    created_at  timestamptz NOT NULL DEFAULT now(),
    updated_at  timestamptz NOT NULL DEFAULT now(),
    version     integer NOT NULL DEFAULT 1,
    CONSTRAINT security_audit_actions_done CHECK (status IN ('open', 'reopened') OR done_on IS NOT NULL),
    CONSTRAINT security_audit_actions_verified CHECK (status <> 'verified' OR verified_on IS NOT NULL)
);
CREATE INDEX security_audit_actions_finding_idx ON security_audit_actions (finding_id, id);
CREATE INDEX security_audit_actions_owner_idx ON security_audit_actions (owner_id) WHERE status <> 'verified';

-- Other units told to check whether they share a finding's problem, and their managers' answers.
CREATE TABLE security_audit_checks (
    id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    finding_id bigint NOT NULL REFERENCES security_audit_findings (id) ON DELETE CASCADE,
    unit_id    bigint NOT NULL REFERENCES units (id),
    status     text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'checked')),
    found      boolean, -- the same problem found; NULL while open
    note       text NOT NULL DEFAULT '',
    checked_on date,
    checked_by bigint REFERENCES users (id),
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    version    integer NOT NULL DEFAULT 1,
    UNIQUE (finding_id, unit_id),
    CONSTRAINT security_audit_checks_answer CHECK ((status = 'checked') = (found IS NOT NULL AND checked_on IS NOT NULL))
);
CREATE INDEX security_audit_checks_unit_idx ON security_audit_checks (unit_id) WHERE status = 'open';
