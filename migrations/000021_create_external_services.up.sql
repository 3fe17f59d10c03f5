-- External (cloud) services (外部サービス, basic policy §6(8), domain.md §7.2 and §7.3): the register
-- of the services the town uses, each asked for by a unit (利用申請) and approved by that unit's
-- 情報セキュリティ管理者, who sets the highest confidentiality it may handle and names its
-- 外部サービス管理者; the requests and decisions behind it; its reviews (見直し); and its end, with
-- the deletion of the town's data at the provider.

CREATE SEQUENCE external_service_number_seq;

-- requested_level is the highest confidentiality the service is asked to handle; approved_level
-- what the 管理者 approved it for. While an approved service waits for a higher level, the first
-- is above the second (external_service_decisions holds the pending request). Both are levels of
-- the confidentiality axis; the store keeps them to the active scheme.
CREATE TABLE external_services (
    id                   bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    number               text NOT NULL UNIQUE DEFAULT 'S-' || lpad(nextval('external_service_number_seq')::text, 5, '0'),
    name                 text NOT NULL CHECK (name <> ''),     -- サービス名
    provider             text NOT NULL CHECK (provider <> ''), -- 提供者
    purpose              text NOT NULL CHECK (purpose <> ''),  -- 利用目的・業務
    unit_id              bigint NOT NULL REFERENCES units (id), -- 所管課
    -- 全庁で利用: every member of staff sees it, so any unit's assets may be linked to it.
    shared               boolean NOT NULL DEFAULT false,
    contract_form        text NOT NULL CHECK (contract_form IN ('contract', 'terms')), -- 個別契約 / 約款
    requested_level      text NOT NULL REFERENCES classification_levels (code),
    approved_level       text REFERENCES classification_levels (code),
    status               text NOT NULL DEFAULT 'requested' CHECK (status IN ('requested', 'approved', 'rejected', 'ended')),
    ismap_registered     boolean NOT NULL DEFAULT false,
    ismap_number         text NOT NULL DEFAULT '', -- ISMAP 登録番号
    data_location        text NOT NULL CHECK (data_location IN ('domestic', 'overseas', 'both')),
    governing_law        text NOT NULL DEFAULT '', -- 準拠法
    jurisdiction         text NOT NULL DEFAULT '', -- 裁判管轄
    mfa                  boolean NOT NULL DEFAULT false,
    auth_method          text NOT NULL DEFAULT '',
    users_scope          text NOT NULL DEFAULT '', -- 利用者範囲
    account_count        integer CHECK (account_count >= 0),
    requested_by         bigint NOT NULL REFERENCES users (id),
    requested_at         timestamptz NOT NULL DEFAULT now(),
    -- The decision on the use request; every later decision is kept in external_service_decisions.
    decided_by           bigint REFERENCES users (id),
    decided_at           timestamptz,
    approval_number      text NOT NULL DEFAULT '', -- 承認番号
    decision_note        text NOT NULL DEFAULT '',
    admin_person_id      bigint REFERENCES people (id), -- 外部サービス管理者
    use_from             date,
    use_to               date,
    review_due           date,
    data_deleted_on      date, -- 終了時データ消去の確認日
    data_deletion_method text NOT NULL DEFAULT '',
    created_at           timestamptz NOT NULL DEFAULT now(),
    updated_at           timestamptz NOT NULL DEFAULT now(),
    version              integer NOT NULL DEFAULT 1,
    CONSTRAINT external_services_ismap CHECK (ismap_registered OR ismap_number = ''),
    -- An approved service (and one that was, once ended) has its level, its 管理者 and its decision.
    CONSTRAINT external_services_approval CHECK ((status IN ('approved', 'ended')) =
        (approved_level IS NOT NULL AND admin_person_id IS NOT NULL AND decided_at IS NOT NULL)),
    CONSTRAINT external_services_rejected CHECK (status <> 'rejected' OR decided_at IS NOT NULL),
    CONSTRAINT external_services_end CHECK ((status = 'ended') = (use_to IS NOT NULL)),
    CONSTRAINT external_services_period CHECK (use_to IS NULL OR use_from IS NULL OR use_to >= use_from),
    CONSTRAINT external_services_deletion CHECK (data_deleted_on IS NULL OR status = 'ended' AND data_deletion_method <> '')
);
-- The list pages by id, newest first, within a unit, a status or a level; the 要対応 filter and the
-- tasks read the reviews due and the ends without deletion.
CREATE INDEX external_services_unit_idx ON external_services (unit_id, id);
CREATE INDEX external_services_status_idx ON external_services (status, id);
CREATE INDEX external_services_level_idx ON external_services ((coalesce(approved_level, requested_level)), id);
CREATE INDEX external_services_shared_idx ON external_services (id) WHERE shared;
CREATE INDEX external_services_review_idx ON external_services (review_due) WHERE status = 'approved';
CREATE INDEX external_services_undeleted_idx ON external_services (id) WHERE status = 'ended' AND data_deleted_on IS NULL;
CREATE INDEX external_services_admin_idx ON external_services (admin_person_id);

-- The requests and decisions of a service, oldest first: the use request ('use'), each request for
-- a higher level ('raise'), and each lowering by the 管理者 ('lower', decided when made). A request
-- waits while decided_at is NULL; a service has at most one waiting.
CREATE TABLE external_service_decisions (
    id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    service_id      bigint NOT NULL REFERENCES external_services (id) ON DELETE CASCADE,
    kind            text NOT NULL CHECK (kind IN ('use', 'raise', 'lower')),
    requested_level text NOT NULL REFERENCES classification_levels (code),
    reason          text NOT NULL DEFAULT '',
    requested_by    bigint NOT NULL REFERENCES users (id),
    requested_at    timestamptz NOT NULL DEFAULT now(),
    outcome         text CHECK (outcome IN ('approved', 'rejected')),
    approved_level  text REFERENCES classification_levels (code),
    admin_person_id bigint REFERENCES people (id),
    approval_number text NOT NULL DEFAULT '',
    note            text NOT NULL DEFAULT '',
    decided_by      bigint REFERENCES users (id),
    decided_at      timestamptz,
    CONSTRAINT external_service_decisions_outcome CHECK ((outcome IS NULL) = (decided_at IS NULL)),
    CONSTRAINT external_service_decisions_approved CHECK (outcome IS DISTINCT FROM 'approved' OR approved_level IS NOT NULL)
);
CREATE INDEX external_service_decisions_service_idx ON external_service_decisions (service_id, id);
CREATE UNIQUE INDEX external_service_decisions_pending_key ON external_service_decisions (service_id) WHERE decided_at IS NULL;

-- Reviews (見直し): when, by whom, the result, and the next review's day, which becomes the
-- service's review_due.
CREATE TABLE external_service_reviews (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    service_id  bigint NOT NULL REFERENCES external_services (id) ON DELETE CASCADE,
    reviewed_on date NOT NULL,
    reviewed_by bigint NOT NULL REFERENCES users (id),
    result      text NOT NULL CHECK (result IN ('continue', 'improve', 'end')),
    note        text NOT NULL DEFAULT '',
    next_due    date,
    created_at  timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT external_service_reviews_next CHECK (next_due IS NULL OR next_due > reviewed_on)
);
CREATE INDEX external_service_reviews_service_idx ON external_service_reviews (service_id, reviewed_on, id);
