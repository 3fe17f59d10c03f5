-- The outsourcing register (業務委託, basic policy §6(8), domain.md §7.1): the contractors (the
-- firms, with the certifications the town checked when selecting them) and the contracts that bind
-- them, each with the thirteen clauses of the guideline, the information systems it handles, the
-- periodic reports received, the checks the unit's 情報セキュリティ管理者 made, the return or
-- disposal of the information at the end (with its certificate), and the incidents it was part of.

-- The firms. A firm is chosen by its name on the contract form, so the name is unique.
CREATE TABLE contractors (
    id                     bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name                   text NOT NULL UNIQUE CHECK (name <> ''),
    address                text NOT NULL DEFAULT '',
    -- Certifications the selection refers to: ISMS (ISO/IEC 27001) and プライバシーマーク with their
    -- registration numbers, ISMAP, and any other in words.
    isms_certified         boolean NOT NULL DEFAULT false,
    isms_number            text NOT NULL DEFAULT '',
    pmark_certified        boolean NOT NULL DEFAULT false,
    pmark_number           text NOT NULL DEFAULT '',
    ismap_listed           boolean NOT NULL DEFAULT false,
    other_certifications   text NOT NULL DEFAULT '',
    notes                  text NOT NULL DEFAULT '',
    created_by             bigint REFERENCES users (id),
    created_at             timestamptz NOT NULL DEFAULT now(),
    updated_at             timestamptz NOT NULL DEFAULT now(),
    version                integer NOT NULL DEFAULT 1
);

-- 契約番号 inside the portal: K-00001, K-00002, …
CREATE SEQUENCE contract_number_seq;

CREATE TABLE contracts (
    id                       bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    number                   text NOT NULL UNIQUE DEFAULT 'K-' || lpad(nextval('contract_number_seq')::text, 5, '0'),
    contractor_id            bigint NOT NULL REFERENCES contractors (id),
    unit_id                  bigint NOT NULL REFERENCES units (id), -- 所管課
    title                    text NOT NULL CHECK (title <> ''),   -- 契約名
    external_number          text NOT NULL DEFAULT '',            -- the contract's own number (契約書番号)
    period_from              date NOT NULL,
    period_to                date NOT NULL,
    scope                    text NOT NULL DEFAULT '',            -- 委託内容
    personal_data            text NOT NULL DEFAULT 'none' CHECK (personal_data IN ('none', 'personal', 'my_number')),
    lead_name                text NOT NULL DEFAULT '',            -- 委託先責任者
    lead_contact             text NOT NULL DEFAULT '',
    emergency_contact        text NOT NULL DEFAULT '',
    workers                  text NOT NULL DEFAULT '',            -- 作業者（所属）
    work_place               text NOT NULL DEFAULT '',
    access_scope             text NOT NULL DEFAULT '',            -- アクセスを許可する情報の種類と範囲
    access_method            text NOT NULL DEFAULT '',
    remote_maintenance       boolean NOT NULL DEFAULT false,
    remote_method            text NOT NULL DEFAULT '',
    subcontracting           boolean NOT NULL DEFAULT false,
    subcontract_approved_on  date,
    subcontract_approved_by  text NOT NULL DEFAULT '',
    subcontractor            text NOT NULL DEFAULT '',
    sla                      text NOT NULL DEFAULT '',
    education_confirmed_on   date,                                -- 従事者教育の実施確認
    report_every_months      integer NOT NULL DEFAULT 0 CHECK (report_every_months BETWEEN 0 AND 12), -- 0: none
    next_report_due          date,                                -- advanced by each report received
    next_check_due           date,                                -- 定期確認: set by each check
    status                   text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'ended')),
    -- The end: the day it ended, the return or disposal of the information confirmed (day, how),
    -- and the certificate of disposal (廃棄証明書) as a PDF.
    ended_on                 date,
    returned_on              date,
    return_method            text NOT NULL DEFAULT '',
    certificate_name         text NOT NULL DEFAULT '',
    certificate              bytea,
    created_by               bigint REFERENCES users (id),
    created_at               timestamptz NOT NULL DEFAULT now(),
    updated_at               timestamptz NOT NULL DEFAULT now(),
    version                  integer NOT NULL DEFAULT 1,
    CONSTRAINT contracts_period CHECK (period_to >= period_from),
    CONSTRAINT contracts_ended CHECK ((status = 'ended') = (ended_on IS NOT NULL)),
    CONSTRAINT contracts_return CHECK (returned_on IS NULL OR status = 'ended')
);
CREATE INDEX contracts_unit_idx ON contracts (unit_id, id);
CREATE INDEX contracts_contractor_idx ON contracts (contractor_id, id);
CREATE INDEX contracts_status_idx ON contracts (status, id);
-- What needs action (要対応, tasks): checks and reports falling due, ends not confirmed.
CREATE INDEX contracts_check_due_idx ON contracts (next_check_due) WHERE status = 'active';
CREATE INDEX contracts_report_due_idx ON contracts (next_report_due) WHERE status = 'active' AND report_every_months > 0;
CREATE INDEX contracts_unconfirmed_idx ON contracts (id) WHERE status = 'ended' AND returned_on IS NULL;

-- The thirteen clauses of the guideline (①–⑬), one row each from the contract's creation. A
-- clause is missing until marked included.
CREATE TABLE contract_clauses (
    contract_id bigint NOT NULL REFERENCES contracts (id) ON DELETE CASCADE,
    clause      smallint NOT NULL CHECK (clause BETWEEN 1 AND 13),
    included    boolean NOT NULL DEFAULT false,
    note        text NOT NULL DEFAULT '', -- e.g. 第12条, 特記仕様書 3.
    PRIMARY KEY (contract_id, clause)
);
CREATE INDEX contract_clauses_missing_idx ON contract_clauses (contract_id) WHERE NOT included;

-- The information systems the contract handles.
CREATE TABLE contract_systems (
    contract_id bigint NOT NULL REFERENCES contracts (id) ON DELETE CASCADE,
    system_id   bigint NOT NULL REFERENCES systems (id),
    PRIMARY KEY (contract_id, system_id)
);
CREATE INDEX contract_systems_system_idx ON contract_systems (system_id, contract_id);

-- Periodic reports received (定期報告): the period reported on, the day it was due and received.
CREATE TABLE contract_reports (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    contract_id bigint NOT NULL REFERENCES contracts (id) ON DELETE CASCADE,
    period      text NOT NULL CHECK (period <> ''), -- e.g. 2026年4月分
    due_on      date,
    received_on date NOT NULL,
    summary     text NOT NULL DEFAULT '',
    created_by  bigint REFERENCES users (id),
    created_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX contract_reports_contract_idx ON contract_reports (contract_id, received_on, id);

-- Checks performed (定期確認・監査) by the unit's 管理者 or the security office.
CREATE TABLE contract_checks (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    contract_id bigint NOT NULL REFERENCES contracts (id) ON DELETE CASCADE,
    checked_on  date NOT NULL,
    checked_by  bigint REFERENCES users (id),
    method      text NOT NULL CHECK (method IN ('document', 'onsite', 'audit')), -- 書面 / 実地 / 監査
    result      text NOT NULL CHECK (result IN ('conforming', 'improvement')),  -- 適合 / 要改善
    findings    text NOT NULL DEFAULT '',
    next_due    date,
    created_at  timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT contract_checks_next CHECK (next_due IS NULL OR next_due > checked_on)
);
CREATE INDEX contract_checks_contract_idx ON contract_checks (contract_id, checked_on, id);

-- Incidents caused by or involving the contractor under the contract.
CREATE TABLE contract_incidents (
    contract_id bigint NOT NULL REFERENCES contracts (id) ON DELETE CASCADE,
    incident_id bigint NOT NULL REFERENCES incidents (id),
    linked_by   bigint REFERENCES users (id),
    linked_at   timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (contract_id, incident_id)
);
CREATE INDEX contract_incidents_incident_idx ON contract_incidents (incident_id, contract_id);
