-- The information asset register and the system register (basic policy §6(2), §6(3);
-- domain.md §1, §3, §8). Classification, handling restrictions and asset types are master data
-- the town edits, so that a new edition of the guideline is a data change, not a release.

-- A classification scheme: the levels of the three axes of one edition of the guideline.
-- Exactly one scheme is active; assets carry levels of the active one, or of the earlier one
-- until they are reclassified.
CREATE TABLE classification_schemes (
    code                 text PRIMARY KEY,
    name_ja              text NOT NULL CHECK (name_ja <> ''),
    name_en              text NOT NULL CHECK (name_en <> ''),
    effective_from       date NOT NULL,
    active               boolean NOT NULL DEFAULT false,
    -- The lowest confidentiality level allowed for 特定個人情報 (My Number data) in this scheme.
    my_number_min_level  text NOT NULL,
    updated_at           timestamptz NOT NULL DEFAULT now(),
    version              integer NOT NULL DEFAULT 1
);
CREATE UNIQUE INDEX classification_schemes_one_active ON classification_schemes (active) WHERE active;

-- A level of one axis (C confidentiality, I integrity, A availability). rank orders the levels of
-- an axis: the higher, the stricter. Rank 2 and above is "2以上" (自治体機密性2以上, 完全性2, 可用性2),
-- the threshold of the guideline's handling rules.
CREATE TABLE classification_levels (
    code          text PRIMARY KEY,
    scheme_code   text NOT NULL REFERENCES classification_schemes (code),
    axis          char(1) NOT NULL CHECK (axis IN ('C', 'I', 'A')),
    rank          integer NOT NULL CHECK (rank >= 1),
    name_ja       text NOT NULL CHECK (name_ja <> ''),
    name_en       text NOT NULL CHECK (name_en <> ''),
    definition_ja text NOT NULL DEFAULT '',
    definition_en text NOT NULL DEFAULT '',
    updated_at    timestamptz NOT NULL DEFAULT now(),
    version       integer NOT NULL DEFAULT 1,
    UNIQUE (scheme_code, axis, rank)
);
ALTER TABLE classification_schemes ADD FOREIGN KEY (my_number_min_level) REFERENCES classification_levels (code)
    DEFERRABLE INITIALLY DEFERRED;

-- How a level of one scheme maps onto another when the town switches schemes. basis narrows a
-- confidentiality mapping by the asset's personal-information flags: 'special' (特定個人情報 or
-- 要配慮個人情報), 'personal' (other 個人情報), 'none' (neither), 'any'.
CREATE TABLE classification_mappings (
    from_level text NOT NULL REFERENCES classification_levels (code),
    basis      text NOT NULL CHECK (basis IN ('any', 'special', 'personal', 'none')),
    to_level   text NOT NULL REFERENCES classification_levels (code),
    PRIMARY KEY (from_level, basis)
);

-- 取扱制限: the handling restrictions, and which ones each level brings by default.
CREATE TABLE handling_restrictions (
    code       text PRIMARY KEY,
    name_ja    text NOT NULL CHECK (name_ja <> ''),
    name_en    text NOT NULL CHECK (name_en <> ''),
    sort_order integer NOT NULL,
    updated_at timestamptz NOT NULL DEFAULT now(),
    version    integer NOT NULL DEFAULT 1
);
CREATE TABLE level_restrictions (
    level_code       text NOT NULL REFERENCES classification_levels (code) ON DELETE CASCADE,
    restriction_code text NOT NULL REFERENCES handling_restrictions (code) ON DELETE CASCADE,
    PRIMARY KEY (level_code, restriction_code)
);

-- The kinds of information asset (domain.md §3.2).
CREATE TABLE asset_types (
    code       text PRIMARY KEY,
    name_ja    text NOT NULL CHECK (name_ja <> ''),
    name_en    text NOT NULL CHECK (name_en <> ''),
    electronic boolean NOT NULL, -- held in electronic form, so it sits in a network zone
    sort_order integer NOT NULL
);

-- 情報システム台帳.
CREATE TABLE systems (
    id                   bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    code                 text NOT NULL CHECK (code <> ''),
    name                 text NOT NULL CHECK (name <> ''),
    business             text NOT NULL DEFAULT '',
    unit_id              bigint NOT NULL REFERENCES units (id),
    admin_person_id      bigint REFERENCES people (id), -- 情報システム管理者: holds SYS_ADMIN for unit_id
    operators            text NOT NULL DEFAULT '',      -- 情報システム担当者, vendor staff included
    zone                 text NOT NULL CHECK (zone IN ('MYNUMBER', 'LGWAN', 'INTERNET', 'OTHER')),
    hosting              text NOT NULL CHECK (hosting IN ('onpremises', 'datacenter', 'gov_cloud', 'lgwan_asp', 'public_cloud')),
    standard_system      boolean NOT NULL DEFAULT false,
    handles_my_number    boolean NOT NULL DEFAULT false,
    handles_personal     boolean NOT NULL DEFAULT false,
    vendor_dev           text NOT NULL DEFAULT '',
    vendor_ops           text NOT NULL DEFAULT '',
    vendor_maint         text NOT NULL DEFAULT '',
    contract_from        date,
    contract_to          date,
    hardware             text NOT NULL DEFAULT '',
    location             text NOT NULL DEFAULT '',
    os_middleware        text NOT NULL DEFAULT '',
    auth_method          text NOT NULL DEFAULT '',
    mfa_enabled          boolean NOT NULL DEFAULT false,
    usb_block_enabled    boolean NOT NULL DEFAULT false,
    sanitization_method  text NOT NULL DEFAULT '' CHECK (sanitization_method IN ('', 'text', 'screen_transfer', 'file_sanitization')),
    external_connections text NOT NULL DEFAULT '',
    backup               text NOT NULL DEFAULT '',
    recovery_hours       integer CHECK (recovery_hours > 0),
    seismic_fixing       boolean NOT NULL DEFAULT false,
    flood_risk           text NOT NULL DEFAULT '',
    documents            text NOT NULL DEFAULT '',      -- 構成図・仕様書: what exists and where it is kept
    replacement_due      date,
    warnings             text[] NOT NULL DEFAULT '{}',
    created_at           timestamptz NOT NULL DEFAULT now(),
    updated_at           timestamptz NOT NULL DEFAULT now(),
    version              integer NOT NULL DEFAULT 1,
    CONSTRAINT systems_contract_period CHECK (contract_to IS NULL OR contract_from IS NULL OR contract_to >= contract_from)
);
CREATE UNIQUE INDEX systems_code_key ON systems (code);
CREATE INDEX systems_unit_idx ON systems (unit_id, code);

-- 情報資産管理台帳. number is the town's asset number (資産番号), unique. warnings holds the codes
-- of the rules the asset breaks as a warning (要確認) as of its last save; the list filters on it.
CREATE SEQUENCE asset_number_seq;
CREATE TABLE assets (
    id                  bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    number              text NOT NULL DEFAULT 'A-' || lpad(nextval('asset_number_seq')::text, 7, '0'),
    name                text NOT NULL CHECK (name <> ''),
    asset_type          text NOT NULL REFERENCES asset_types (code),
    description         text NOT NULL DEFAULT '',
    unit_id             bigint NOT NULL REFERENCES units (id),
    form                text NOT NULL CHECK (form IN ('electronic', 'paper', 'both')),
    location            text NOT NULL DEFAULT '',
    zone                text CHECK (zone IN ('MYNUMBER', 'LGWAN', 'INTERNET', 'OTHER')),
    system_id           bigint REFERENCES systems (id),
    confidentiality     text NOT NULL REFERENCES classification_levels (code),
    integrity           text NOT NULL REFERENCES classification_levels (code),
    availability        text NOT NULL REFERENCES classification_levels (code),
    -- Ranks copied from the levels, so that lists filter and sort on them without a join.
    c_rank              integer NOT NULL,
    i_rank              integer NOT NULL,
    a_rank              integer NOT NULL,
    contains_personal   boolean NOT NULL DEFAULT false,
    contains_my_number  boolean NOT NULL DEFAULT false,
    contains_sensitive  boolean NOT NULL DEFAULT false,
    data_subjects       integer CHECK (data_subjects >= 0),
    users_scope         text NOT NULL DEFAULT '',
    retention           text NOT NULL DEFAULT '',
    backup_policy       text NOT NULL DEFAULT '',
    recovery_hours      integer CHECK (recovery_hours > 0),
    contractor          text NOT NULL DEFAULT '',
    classified_by       bigint REFERENCES users (id),
    classified_at       date NOT NULL,
    review_due          date NOT NULL,
    status              text NOT NULL DEFAULT 'in_use' CHECK (status IN ('in_use', 'stored', 'disposed')),
    reclassify          boolean NOT NULL DEFAULT false, -- 再分類要確認 after a scheme switch
    warnings            text[] NOT NULL DEFAULT '{}',
    -- name and description folded for search: NFKC (全角/半角 letters, digits and kana alike), lower case.
    search              text GENERATED ALWAYS AS (lower(normalize(name || ' ' || description, NFKC))) STORED,
    created_at          timestamptz NOT NULL DEFAULT now(),
    updated_at          timestamptz NOT NULL DEFAULT now(),
    version             integer NOT NULL DEFAULT 1
);
CREATE UNIQUE INDEX assets_number_key ON assets (number);
-- The lists: by unit (staff), by number, by name, by review date, each keyset-paged on (key, id).
CREATE INDEX assets_unit_number_idx ON assets (unit_id, number);
CREATE INDEX assets_name_idx ON assets (name, id);
-- Not partial: the list sorted by review date includes disposed assets unless a filter leaves them out.
-- status and unit_id ride along so that counting the overdue (status <> 'disposed') of everyone or
-- of one's units reads the index alone (make bench: 40 ms to 2 ms at a million assets).
CREATE INDEX assets_review_idx ON assets (review_due, id) INCLUDE (status, unit_id);
-- The 要確認 list (FindAssets Flagged): its page and its count read this index alone, for everyone
-- or filtered to one's units (make bench: 100 ms to 3 ms at a million assets, 30,000 flagged).
CREATE INDEX assets_flagged_idx ON assets (number, id) INCLUDE (unit_id) WHERE warnings <> '{}' OR reclassify;
CREATE INDEX assets_system_idx ON assets (system_id) WHERE system_id IS NOT NULL;
CREATE INDEX assets_warnings_idx ON assets USING gin (warnings) WHERE warnings <> '{}';
CREATE INDEX assets_reclassify_idx ON assets (id) WHERE reclassify;

-- What a storage medium holds: its classification must be at least the highest of its contents.
CREATE TABLE asset_contents (
    medium_id  bigint NOT NULL REFERENCES assets (id),
    content_id bigint NOT NULL REFERENCES assets (id),
    PRIMARY KEY (medium_id, content_id),
    CHECK (medium_id <> content_id)
);
CREATE INDEX asset_contents_content_idx ON asset_contents (content_id);

-- Restrictions added to an asset beyond its levels' defaults, or defaults removed (with a reason).
CREATE TABLE asset_restrictions (
    asset_id         bigint NOT NULL REFERENCES assets (id),
    restriction_code text NOT NULL REFERENCES handling_restrictions (code),
    removed          boolean NOT NULL DEFAULT false,
    reason           text NOT NULL DEFAULT '',
    PRIMARY KEY (asset_id, restriction_code),
    CHECK (NOT removed OR reason <> '')
);

-- 例外措置: a rule an asset or system may break, with the CISO's permission, until valid_to.
CREATE TABLE rule_exceptions (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    asset_id    bigint REFERENCES assets (id),
    system_id   bigint REFERENCES systems (id),
    rule_code   text NOT NULL,
    reason      text NOT NULL CHECK (reason <> ''),
    measures    text NOT NULL DEFAULT '', -- 代替措置
    approved_by bigint NOT NULL REFERENCES users (id),
    approved_at timestamptz NOT NULL DEFAULT now(),
    valid_to    date NOT NULL,
    created_at  timestamptz NOT NULL DEFAULT now(),
    CHECK ((asset_id IS NULL) <> (system_id IS NULL))
);
CREATE INDEX rule_exceptions_asset_idx ON rule_exceptions (asset_id) WHERE asset_id IS NOT NULL;
CREATE INDEX rule_exceptions_system_idx ON rule_exceptions (system_id) WHERE system_id IS NOT NULL;

-- Requests to transport (運搬), provide outside (外部提供) or dispose of (廃棄) an asset at 2以上
-- (V-A2), decided by the unit's 情報セキュリティ管理者, never by the requester (兼務の禁止). A
-- disposal is completed with its record (廃棄記録, V-A3), which also sets the asset 廃棄済; below
-- 2以上 a disposal needs no approval and is recorded at once, completed, with the same record.
CREATE TABLE asset_requests (
    id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    asset_id        bigint NOT NULL REFERENCES assets (id),
    kind            text NOT NULL CHECK (kind IN ('transport', 'provide', 'dispose')),
    detail          text NOT NULL CHECK (detail <> ''), -- destination, recipient, purpose, reason
    method          text NOT NULL DEFAULT '',           -- how: lockable case, encryption, password
    planned_on      date,
    -- Whether the asset was at 2以上 when asked: then the 管理者 decides before it is done.
    needs_approval  boolean NOT NULL,
    requested_by    bigint NOT NULL REFERENCES users (id),
    requested_at    timestamptz NOT NULL DEFAULT now(),
    status          text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'approved', 'refused', 'completed', 'withdrawn')),
    decided_by      bigint REFERENCES users (id),
    decided_at      timestamptz,
    decision_note   text NOT NULL DEFAULT '',
    -- Done: the day a transport or provision took place; who recorded the completion, and when.
    done_on         date,
    completed_by    bigint REFERENCES users (id),
    completed_at    timestamptz,
    -- The disposal record (廃棄記録): when, by whom, how, and the evidence.
    disposed_at     timestamptz,
    disposed_by     text NOT NULL DEFAULT '',
    disposal_method text NOT NULL DEFAULT '' CHECK (disposal_method IN ('', 'initialise', 'physical', 'melt', 'shred', 'vendor_certificate')),
    evidence        text NOT NULL DEFAULT '',
    updated_at      timestamptz NOT NULL DEFAULT now(),
    version         integer NOT NULL DEFAULT 1,
    CHECK (decided_by IS NULL OR decided_by <> requested_by),
    CONSTRAINT asset_requests_decision CHECK (status NOT IN ('approved', 'refused') OR (decided_by IS NOT NULL AND decided_at IS NOT NULL)),
    CONSTRAINT asset_requests_refusal_note CHECK (status <> 'refused' OR decision_note <> ''),
    CONSTRAINT asset_requests_approved_first CHECK (status <> 'completed' OR NOT needs_approval OR decided_by IS NOT NULL),
    CONSTRAINT asset_requests_done CHECK (status <> 'completed' OR (completed_by IS NOT NULL AND completed_at IS NOT NULL AND
        CASE WHEN kind = 'dispose'
            THEN disposed_at IS NOT NULL AND disposed_by <> '' AND disposal_method <> '' AND evidence <> ''
            ELSE done_on IS NOT NULL END))
);
CREATE INDEX asset_requests_asset_idx ON asset_requests (asset_id, id);
CREATE INDEX asset_requests_open_idx ON asset_requests (status, id) WHERE status IN ('pending', 'approved');
-- An asset has at most one disposal under way and one disposal record.
CREATE UNIQUE INDEX asset_requests_open_disposal ON asset_requests (asset_id) WHERE kind = 'dispose' AND status IN ('pending', 'approved');
CREATE UNIQUE INDEX asset_requests_disposal_record ON asset_requests (asset_id) WHERE kind = 'dispose' AND status = 'completed';

-- 棚卸: a unit's 情報セキュリティ管理者 confirms the unit's ledger once per fiscal year (April to
-- March). The counts are the ledger as it stood then: its assets, and those past their review date.
CREATE TABLE ledger_confirmations (
    unit_id       bigint NOT NULL REFERENCES units (id),
    fiscal_year   integer NOT NULL,
    confirmed_by  bigint NOT NULL REFERENCES users (id),
    confirmed_at  timestamptz NOT NULL DEFAULT now(),
    note          text NOT NULL DEFAULT '',
    asset_count   integer NOT NULL CHECK (asset_count >= 0),
    overdue_count integer NOT NULL CHECK (overdue_count >= 0 AND overdue_count <= asset_count),
    PRIMARY KEY (unit_id, fiscal_year)
);

-- Japanese has no spaces and its words are often two characters long (住民, 税務), so substring
-- search is indexed by character pairs: a row can contain the query only if it contains every
-- pair of the query. The LIKE that follows confirms the match.
--
-- The pairs are cut by two regular expressions, the pairs starting at odd positions and those at
-- even ones, joined by a separator that cannot occur (U+0001, replaced in s beforehand): about a
-- third of the cost of a loop over the positions, which matters because the function runs for
-- every row when the index is built and for every row of a lossy bitmap page when a search is
-- rechecked (make bench). The array may repeat a pair; GIN keeps each key once.
CREATE FUNCTION text_bigrams(s text) RETURNS text[]
LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT AS $$
    SELECT array_remove(string_to_array(
        regexp_replace(translate(s, E'\x01', ' '), '(..)|.', E'\\1\x01', 'g') ||
        regexp_replace(translate(substr(s, 2), E'\x01', ' '), '(..)|.', E'\\1\x01', 'g'), E'\x01'), '')
$$;
CREATE INDEX assets_search_idx ON assets USING gin (text_bigrams(search));

-- The master data as the guideline words it 【GL】 and as domain.md proposes it 【推定】; the town
-- edits the wording and the defaults.
INSERT INTO classification_schemes (code, name_ja, name_en, effective_from, active, my_number_min_level) VALUES
    ('R6', '自治体機密性による分類 (令和6年10月版〜)', 'Municipal confidentiality levels (October 2024 edition on)', '2024-10-02', true, 'LGC3B'),
    ('R5', '機密性3段階による分類 (令和5年3月版まで)', 'Three confidentiality levels (editions to March 2023)', '2001-03-01', false, 'C2');

INSERT INTO classification_levels (code, scheme_code, axis, rank, name_ja, name_en, definition_ja, definition_en) VALUES
    ('LGC3A', 'R6', 'C', 5, '自治体機密性3A', 'Municipal confidentiality 3A',
        '「行政文書の管理に関するガイドライン」に定める秘密文書に相当する機密性を要する情報資産',
        'Information assets requiring the confidentiality of classified documents under the Guidelines for the Management of Administrative Documents'),
    ('LGC3B', 'R6', 'C', 4, '自治体機密性3B', 'Municipal confidentiality 3B',
        '漏えい等が生じた際に、個人の権利利益の侵害の度合いが大きく、事務又は業務の遂行に重大な支障を及ぼすおそれがある情報資産 (特定個人情報、要配慮個人情報、住民基本台帳情報等)',
        'Information assets whose leak would gravely harm individuals'' rights and interests or seriously disrupt the work (My Number data, special-care personal data, basic resident register data etc.)'),
    ('LGC3C', 'R6', 'C', 3, '自治体機密性3C', 'Municipal confidentiality 3C',
        '公開することを予定していない情報資産のうち、漏えい等により住民の権利利益の侵害又は行政事務の遂行に支障を及ぼすおそれがある情報資産 (自治体機密性3A・3B以外の保有個人情報等)',
        'Non-public information assets whose leak could harm residents'' rights or disrupt administrative work (other personal data held etc.)'),
    ('LGC2', 'R6', 'C', 2, '自治体機密性2', 'Municipal confidentiality 2',
        '直ちに一般に公表することを前提としていない情報資産 (自治体機密性3以外のもの)',
        'Information assets not intended for immediate publication (other than level 3)'),
    ('LGC1', 'R6', 'C', 1, '自治体機密性1', 'Municipal confidentiality 1',
        '自治体機密性2以上の情報資産以外の情報資産 (公表済み又は公表を前提とする情報)',
        'Information assets other than level 2 and above (published or to be published)'),
    ('LGI2', 'R6', 'I', 2, '完全性2', 'Integrity 2',
        '行政事務で取り扱う情報資産のうち、改ざん、誤びゅう又は破損により、住民の権利が侵害される又は行政事務の適確な遂行に支障（軽微なものを除く。）を及ぼすおそれがある情報資産',
        'Information assets whose alteration, error or damage could infringe residents'' rights or hinder the proper conduct of administrative work (beyond minor effects)'),
    ('LGI1', 'R6', 'I', 1, '完全性1', 'Integrity 1', '完全性2の情報資産以外の情報資産', 'Information assets other than integrity 2'),
    ('LGA2', 'R6', 'A', 2, '可用性2', 'Availability 2',
        '行政事務で取り扱う情報資産のうち、滅失、紛失又は当該情報資産が利用不可能であることにより、住民の権利が侵害される又は行政事務の安定的な遂行に支障（軽微なものを除く。）を及ぼすおそれがある情報資産',
        'Information assets whose loss or unavailability could infringe residents'' rights or hinder the stable conduct of administrative work (beyond minor effects)'),
    ('LGA1', 'R6', 'A', 1, '可用性1', 'Availability 1', '可用性2の情報資産以外の情報資産', 'Information assets other than availability 2'),
    ('C3', 'R5', 'C', 3, '機密性3', 'Confidentiality 3',
        '行政事務で取り扱う情報資産のうち、秘密文書に相当する機密性を要する情報資産',
        'Information assets requiring the confidentiality of classified documents'),
    ('C2', 'R5', 'C', 2, '機密性2', 'Confidentiality 2',
        '行政事務で取り扱う情報資産のうち、秘密文書に相当する機密性は要しないが、直ちに一般に公表することを前提としていない情報資産',
        'Information assets not requiring classified-document confidentiality but not intended for immediate publication'),
    ('C1', 'R5', 'C', 1, '機密性1', 'Confidentiality 1', '機密性2又は機密性3の情報資産以外の情報資産', 'Information assets other than confidentiality 2 or 3'),
    ('I2', 'R5', 'I', 2, '完全性2', 'Integrity 2',
        '行政事務で取り扱う情報資産のうち、改ざん、誤びゅう又は破損により、住民の権利が侵害される又は行政事務の適確な遂行に支障（軽微なものを除く。）を及ぼすおそれがある情報資産',
        'Information assets whose alteration, error or damage could infringe residents'' rights or hinder the proper conduct of administrative work (beyond minor effects)'),
    ('I1', 'R5', 'I', 1, '完全性1', 'Integrity 1', '完全性2の情報資産以外の情報資産', 'Information assets other than integrity 2'),
    ('A2', 'R5', 'A', 2, '可用性2', 'Availability 2',
        '行政事務で取り扱う情報資産のうち、滅失、紛失又は当該情報資産が利用不可能であることにより、住民の権利が侵害される又は行政事務の安定的な遂行に支障（軽微なものを除く。）を及ぼすおそれがある情報資産',
        'Information assets whose loss or unavailability could infringe residents'' rights or hinder the stable conduct of administrative work (beyond minor effects)'),
    ('A1', 'R5', 'A', 1, '可用性1', 'Availability 1', '可用性2の情報資産以外の情報資産', 'Information assets other than availability 2');

-- Old → new (domain.md §1.2, 【推定】): every mapped asset is flagged 再分類要確認 for a person to confirm.
INSERT INTO classification_mappings (from_level, basis, to_level) VALUES
    ('C3', 'any', 'LGC3A'),
    ('C2', 'special', 'LGC3B'), ('C2', 'personal', 'LGC3C'), ('C2', 'none', 'LGC2'),
    ('C1', 'any', 'LGC1'),
    ('I2', 'any', 'LGI2'), ('I1', 'any', 'LGI1'), ('A2', 'any', 'LGA2'), ('A1', 'any', 'LGA1'),
    ('LGC3A', 'any', 'C3'), ('LGC3B', 'any', 'C2'), ('LGC3C', 'any', 'C2'), ('LGC2', 'any', 'C2'), ('LGC1', 'any', 'C1'),
    ('LGI2', 'any', 'I2'), ('LGI1', 'any', 'I1'), ('LGA2', 'any', 'A2'), ('LGA1', 'any', 'A1');

INSERT INTO handling_restrictions (code, name_ja, name_en, sort_order) VALUES
    ('NO_COPY', '複製禁止', 'No copying', 10),
    ('COPY_MIN', '必要以上の複製禁止', 'No copying beyond need', 20),
    ('NO_DISTRIBUTE', '配付禁止', 'No distribution', 30),
    ('DIST_LIMITED', '配付先限定', 'Distribution restricted', 40),
    ('DIST_APPROVAL', '配付要許可', 'Distribution requires approval', 50),
    ('NO_TAKEOUT', '持出禁止', 'No removal from premises', 60),
    ('TAKEOUT_APPROVAL', '持出要許可', 'Removal requires approval', 70),
    ('ENCRYPT', '暗号化必須', 'Encryption required', 80),
    ('NO_FORWARD', '転送禁止', 'No forwarding', 90),
    ('NO_SEND', '送信禁止', 'No electronic sending', 100),
    ('ISSUED_DEVICE_ONLY', '支給端末以外での作業禁止', 'Work only on issued devices', 110),
    ('LOCKED_STORAGE', '施錠保管', 'Locked storage', 120),
    ('STORAGE_RESTRICTED', '保管場所限定', 'Storage location restricted', 130),
    ('SECURE_DISPOSAL', '復元不可能な処理による廃棄', 'Irrecoverable disposal', 140),
    ('BACKUP', 'バックアップ必須', 'Backup required', 150),
    ('E_SIGNATURE', '電子署名付与', 'Electronic signature', 160),
    ('RTO', '指定時間内の復旧', 'Recovery within the specified time', 170),
    ('NEED_TO_KNOW', '関係者限り', 'Need-to-know only', 180);

INSERT INTO level_restrictions (level_code, restriction_code)
SELECT l, r FROM (VALUES
    ('LGC3A', 'NO_COPY'), ('LGC3A', 'DIST_LIMITED'), ('LGC3A', 'NO_TAKEOUT'), ('LGC3A', 'ENCRYPT'), ('LGC3A', 'ISSUED_DEVICE_ONLY'),
    ('LGC3A', 'LOCKED_STORAGE'), ('LGC3A', 'STORAGE_RESTRICTED'), ('LGC3A', 'SECURE_DISPOSAL'), ('LGC3A', 'NEED_TO_KNOW'),
    ('LGC3B', 'COPY_MIN'), ('LGC3B', 'DIST_APPROVAL'), ('LGC3B', 'TAKEOUT_APPROVAL'), ('LGC3B', 'ENCRYPT'), ('LGC3B', 'ISSUED_DEVICE_ONLY'),
    ('LGC3B', 'LOCKED_STORAGE'), ('LGC3B', 'SECURE_DISPOSAL'), ('LGC3B', 'NEED_TO_KNOW'),
    ('LGC3C', 'COPY_MIN'), ('LGC3C', 'DIST_APPROVAL'), ('LGC3C', 'TAKEOUT_APPROVAL'), ('LGC3C', 'ENCRYPT'), ('LGC3C', 'LOCKED_STORAGE'),
    ('LGC3C', 'SECURE_DISPOSAL'),
    ('LGC2', 'COPY_MIN'), ('LGC2', 'DIST_APPROVAL'), ('LGC2', 'ENCRYPT'), ('LGC2', 'SECURE_DISPOSAL'),
    ('LGI2', 'BACKUP'), ('LGI2', 'E_SIGNATURE'), ('LGI2', 'LOCKED_STORAGE'),
    ('LGA2', 'BACKUP'), ('LGA2', 'RTO'), ('LGA2', 'LOCKED_STORAGE'),
    ('C3', 'ISSUED_DEVICE_ONLY'), ('C3', 'COPY_MIN'), ('C3', 'STORAGE_RESTRICTED'), ('C3', 'ENCRYPT'), ('C3', 'SECURE_DISPOSAL'),
    ('C3', 'LOCKED_STORAGE'),
    ('C2', 'COPY_MIN'), ('C2', 'STORAGE_RESTRICTED'), ('C2', 'ENCRYPT'), ('C2', 'SECURE_DISPOSAL'), ('C2', 'LOCKED_STORAGE'),
    ('I2', 'BACKUP'), ('I2', 'E_SIGNATURE'), ('I2', 'LOCKED_STORAGE'),
    ('A2', 'BACKUP'), ('A2', 'RTO'), ('A2', 'LOCKED_STORAGE')
) AS d (l, r);

INSERT INTO asset_types (code, name_ja, name_en, electronic, sort_order) VALUES
    ('INFO_ELECTRONIC', '情報（電子データ）', 'Electronic information / data', true, 10),
    ('INFO_PAPER', '情報（紙文書）', 'Paper documents', false, 20),
    ('SYSTEM', '情報システム', 'Information system', true, 30),
    ('HARDWARE', 'ハードウェア（サーバ・端末・機器）', 'Hardware', true, 40),
    ('SOFTWARE', 'ソフトウェア', 'Software', true, 50),
    ('NETWORK', 'ネットワーク（回線・通信機器）', 'Network / communications equipment', true, 60),
    ('MEDIA', '電磁的記録媒体', 'Storage media', true, 70),
    ('FACILITY', '設備（サーバ室・電源等）', 'Facilities', false, 80),
    ('SYS_DOC', 'システム関連文書（仕様書・ネットワーク図）', 'System documentation', false, 90),
    ('CLOUD_SERVICE', '外部サービス（クラウド）', 'External / cloud service', true, 100),
    ('SNS_ACCOUNT', 'ソーシャルメディアアカウント', 'Social media account', true, 110);
