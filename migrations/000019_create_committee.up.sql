-- The information security committee (情報セキュリティ委員会, basic policy §7–§9, domain.md §2.1 and
-- §6): its meetings with the members present and the agenda items, each linked to what it decides
-- on and with the decision recorded, and the yearly improvement plan (改善計画) the committee
-- approves and whose progress it checks.

CREATE TABLE committee_meetings (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    title       text NOT NULL CHECK (title <> ''), -- 令和8年度第1回情報セキュリティ委員会
    held_on     date NOT NULL,
    place       text NOT NULL DEFAULT '',
    status      text NOT NULL DEFAULT 'planned' CHECK (status IN ('planned', 'held')),
    guests      text NOT NULL DEFAULT '', -- others present (advisers, reporting staff), as written
    minutes     text NOT NULL DEFAULT '', -- 議事概要
    created_by  bigint REFERENCES users (id),
    created_at  timestamptz NOT NULL DEFAULT now(),
    updated_at  timestamptz NOT NULL DEFAULT now(),
    version     integer NOT NULL DEFAULT 1
);
-- The meetings of a fiscal year, and the calendar.
CREATE INDEX committee_meetings_held_idx ON committee_meetings (held_on);

-- The members present, chosen among the holders of COMMITTEE_MEMBER.
CREATE TABLE committee_attendees (
    meeting_id bigint NOT NULL REFERENCES committee_meetings (id) ON DELETE CASCADE,
    person_id  bigint NOT NULL REFERENCES people (id),
    PRIMARY KEY (meeting_id, person_id)
);

-- The agenda (議題). What an item decides on lives in another part of the portal, built apart from
-- this one: it is named by its kind and its record's id or its fiscal year, without a foreign key.
-- The decision is the committee's record; each part keeps its own approval of its records.
CREATE TABLE committee_agenda_items (
    id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    meeting_id    bigint NOT NULL REFERENCES committee_meetings (id) ON DELETE CASCADE,
    position      integer NOT NULL,
    subject       text NOT NULL CHECK (subject <> ''),
    subject_kind  text NOT NULL CHECK (subject_kind IN ('training_plan', 'training_report', 'audit_plan', 'audit_result',
        'inspection_campaign', 'policy_version', 'improvement_plan', 'incident', 'other')),
    subject_id    bigint,  -- the record: an audit, a campaign, a policy version, an incident
    subject_year  integer, -- the fiscal year: a plan or a report
    subject_label text NOT NULL DEFAULT '',
    outcome       text NOT NULL DEFAULT '' CHECK (outcome IN ('', 'approved', 'noted', 'rejected', 'deferred')),
    decision      text NOT NULL DEFAULT '',
    created_at    timestamptz NOT NULL DEFAULT now(),
    updated_at    timestamptz NOT NULL DEFAULT now(),
    version       integer NOT NULL DEFAULT 1,
    UNIQUE (meeting_id, position),
    CONSTRAINT committee_agenda_reference CHECK (
        (subject_id IS NOT NULL) = (subject_kind IN ('audit_result', 'inspection_campaign', 'policy_version', 'incident')) AND
        (subject_year IS NOT NULL) = (subject_kind IN ('training_plan', 'training_report', 'audit_plan', 'improvement_plan')))
);

-- The improvement plan of a fiscal year and the committee's approval of it.
CREATE TABLE improvement_plans (
    fiscal_year integer PRIMARY KEY CHECK (fiscal_year BETWEEN 2000 AND 2100),
    approved_on date,
    approved_by text NOT NULL DEFAULT '', -- the meeting or its chair
    created_at  timestamptz NOT NULL DEFAULT now(),
    updated_at  timestamptz NOT NULL DEFAULT now(),
    version     integer NOT NULL DEFAULT 1,
    CONSTRAINT improvement_plans_approval CHECK ((approved_on IS NULL) = (approved_by = ''))
);

-- Its measures: what, by which unit, by when, and how far each has come.
CREATE TABLE improvement_items (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    fiscal_year integer NOT NULL REFERENCES improvement_plans (fiscal_year),
    measure     text NOT NULL CHECK (measure <> ''),
    unit_id     bigint NOT NULL REFERENCES units (id),
    due_on      date,
    status      text NOT NULL DEFAULT 'not_started' CHECK (status IN ('not_started', 'in_progress', 'done', 'carried_over')),
    progress    text NOT NULL DEFAULT '',
    created_at  timestamptz NOT NULL DEFAULT now(),
    updated_at  timestamptz NOT NULL DEFAULT now(),
    version     integer NOT NULL DEFAULT 1
);
CREATE INDEX improvement_items_plan_idx ON improvement_items (fiscal_year, id);
-- The open measures of a unit, for its tasks.
CREATE INDEX improvement_items_unit_idx ON improvement_items (unit_id) WHERE status IN ('not_started', 'in_progress');
