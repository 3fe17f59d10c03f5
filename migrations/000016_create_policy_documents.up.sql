-- The policy library (情報セキュリティポリシー文書, domain.md §9) and its review cycles (見直し,
-- §6.3): the documents of the policy with who may read them, their versions from draft to
-- publication, and the reviews that keep them current. The published version of a document that
-- staff must acknowledge becomes the policy_versions row they confirm (migration 000010).

-- The kinds of document, with the visibility and the acknowledgement a new document of the kind
-- starts from. Master data: the town may rename kinds and change their defaults.
CREATE TABLE policy_document_kinds (
    code                text PRIMARY KEY CHECK (code ~ '^[a-z][a-z0-9_]*$'),
    name_ja             text NOT NULL CHECK (name_ja <> ''),
    name_en             text NOT NULL CHECK (name_en <> ''),
    default_visibility  text NOT NULL CHECK (default_visibility IN ('public', 'internal', 'restricted')),
    default_acknowledge boolean NOT NULL DEFAULT false,
    sort_order          integer NOT NULL DEFAULT 0,
    updated_at          timestamptz NOT NULL DEFAULT now(),
    version             integer NOT NULL DEFAULT 1
);
-- The guideline's three tiers (基本方針 公開, 対策基準 庁内限定 in many towns, 実施手順 非公開) and
-- a kind for everything else.
INSERT INTO policy_document_kinds (code, name_ja, name_en, default_visibility, default_acknowledge, sort_order) VALUES
    ('basic_policy', '基本方針', 'Basic policy', 'public', true, 10),
    ('standards', '対策基準', 'Security standards', 'internal', true, 20),
    ('procedures', '実施手順', 'Implementation procedures', 'restricted', false, 30),
    ('other', 'その他', 'Other', 'internal', false, 40);

-- A document of the policy. visibility: public (公開: the town may publish it), internal (庁内限定:
-- every signed-in person), restricted (関係者限り: the units and role holders listed below, and
-- those who oversee the policy). The next review is due on next_review_on; each review or
-- publication moves it on by review_months.
CREATE TABLE policy_documents (
    id                bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    kind              text NOT NULL REFERENCES policy_document_kinds (code),
    title             text NOT NULL CHECK (title <> ''),
    visibility        text NOT NULL CHECK (visibility IN ('public', 'internal', 'restricted')),
    owner_unit_id     bigint REFERENCES units (id),
    review_months     integer NOT NULL DEFAULT 12 CHECK (review_months BETWEEN 1 AND 120),
    next_review_on    date,
    must_acknowledge  boolean NOT NULL DEFAULT false,
    created_by        bigint REFERENCES users (id),
    created_at        timestamptz NOT NULL DEFAULT now(),
    updated_at        timestamptz NOT NULL DEFAULT now(),
    version           integer NOT NULL DEFAULT 1
);
CREATE INDEX policy_documents_kind_idx ON policy_documents (kind, title);

-- Who may read a restricted document: the staff of these units, and the holders of these roles.
CREATE TABLE policy_document_units (
    document_id bigint NOT NULL REFERENCES policy_documents (id) ON DELETE CASCADE,
    unit_id     bigint NOT NULL REFERENCES units (id),
    PRIMARY KEY (document_id, unit_id)
);
CREATE TABLE policy_document_roles (
    document_id bigint NOT NULL REFERENCES policy_documents (id) ON DELETE CASCADE,
    role_code   text NOT NULL REFERENCES security_roles (code),
    PRIMARY KEY (document_id, role_code)
);

-- A version of a document: draft → in_review → approved → published → superseded (a draft may be
-- deleted). editor_ids are everyone who wrote or submitted it, none of whom may approve it (兼務の
-- 禁止). assignee_id is the reviewer revising it after a review. approved_by_committee marks an
-- approval the approver recorded for the committee, at its meeting of committee_meeting_on.
CREATE TABLE policy_document_versions (
    id                    bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    document_id           bigint NOT NULL REFERENCES policy_documents (id) ON DELETE CASCADE,
    label                 text NOT NULL CHECK (label <> ''),
    status                text NOT NULL DEFAULT 'draft'
        CHECK (status IN ('draft', 'in_review', 'approved', 'published', 'superseded')),
    body                  text NOT NULL DEFAULT '',
    change_summary        text NOT NULL DEFAULT '',
    editor_ids            bigint[] NOT NULL DEFAULT '{}',
    assignee_id           bigint REFERENCES users (id),
    created_by            bigint REFERENCES users (id),
    submitted_at          timestamptz,
    approved_at           timestamptz,
    approved_by           bigint REFERENCES users (id),
    approved_by_committee boolean NOT NULL DEFAULT false,
    committee_meeting_on  date,
    approval_note         text NOT NULL DEFAULT '',
    published_at          timestamptz,
    published_by          bigint REFERENCES users (id),
    effective_on          date,
    superseded_at         timestamptz,
    created_at            timestamptz NOT NULL DEFAULT now(),
    updated_at            timestamptz NOT NULL DEFAULT now(),
    version               integer NOT NULL DEFAULT 1,
    UNIQUE (document_id, label),
    CONSTRAINT policy_document_versions_approval CHECK (
        (status IN ('approved', 'published', 'superseded')) = (approved_at IS NOT NULL)),
    CONSTRAINT policy_document_versions_committee CHECK (approved_by_committee = (committee_meeting_on IS NOT NULL)),
    CONSTRAINT policy_document_versions_published CHECK (
        (status IN ('published', 'superseded')) = (effective_on IS NOT NULL))
);
-- One version of a document is in force at a time.
CREATE UNIQUE INDEX policy_document_versions_published_idx ON policy_document_versions (document_id)
    WHERE status = 'published';
CREATE INDEX policy_document_versions_status_idx ON policy_document_versions (status, document_id);

-- The PDF of a version, kept in the database with the version (a file share would escape the
-- audit trail and the visibility rules).
CREATE TABLE policy_version_attachments (
    version_id  bigint PRIMARY KEY REFERENCES policy_document_versions (id) ON DELETE CASCADE,
    file_name   text NOT NULL CHECK (file_name <> ''),
    size        integer NOT NULL CHECK (size > 0),
    content     bytea NOT NULL,
    uploaded_by bigint REFERENCES users (id),
    uploaded_at timestamptz NOT NULL DEFAULT now()
);

-- A review of a document: scheduled (the yearly one) or triggered by an event (a severe incident,
-- an audit finding, a guideline revision). trigger_id names the incident or the finding; it has
-- no foreign key, as findings live in another part of the portal. The reviewer records the
-- outcome: no_change completes the review; revise opens draft_version_id, and the review
-- completes when that draft is published.
CREATE TABLE policy_reviews (
    id               bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    document_id      bigint NOT NULL REFERENCES policy_documents (id) ON DELETE CASCADE,
    reviewer_id      bigint NOT NULL REFERENCES users (id),
    due_on           date NOT NULL,
    reason           text NOT NULL CHECK (reason IN ('scheduled', 'event')),
    trigger_kind     text CHECK (trigger_kind IN ('incident', 'audit_finding', 'guideline_revision', 'other')),
    trigger_id       bigint,
    note             text NOT NULL DEFAULT '',
    status           text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'revising', 'completed')),
    outcome          text CHECK (outcome IN ('no_change', 'revise')),
    outcome_note     text NOT NULL DEFAULT '',
    decided_at       timestamptz,
    completed_on     date,
    draft_version_id bigint REFERENCES policy_document_versions (id) ON DELETE SET NULL,
    created_by       bigint REFERENCES users (id),
    created_at       timestamptz NOT NULL DEFAULT now(),
    updated_at       timestamptz NOT NULL DEFAULT now(),
    version          integer NOT NULL DEFAULT 1,
    CONSTRAINT policy_reviews_trigger CHECK ((reason = 'event') = (trigger_kind IS NOT NULL)),
    CONSTRAINT policy_reviews_trigger_id CHECK (
        (trigger_kind IN ('incident', 'audit_finding')) = (trigger_id IS NOT NULL)),
    CONSTRAINT policy_reviews_outcome CHECK ((status = 'open') = (outcome IS NULL)),
    CONSTRAINT policy_reviews_completed CHECK ((status = 'completed') = (completed_on IS NOT NULL))
);
CREATE INDEX policy_reviews_document_idx ON policy_reviews (document_id, due_on);
CREATE INDEX policy_reviews_reviewer_idx ON policy_reviews (reviewer_id) WHERE status <> 'completed';

-- The confirmation staff give follows the library: the version of a document it asks about.
ALTER TABLE policy_versions ADD COLUMN document_version_id bigint UNIQUE REFERENCES policy_document_versions (id);
