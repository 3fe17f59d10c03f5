-- Self-inspections (自己点検, basic policy §8, domain.md §6.2 and §6.5): checklists that the town
-- edits and versions, the yearly campaigns that send them to units and role holders, the answer
-- sheets with their answers and improvement measures (改善策), and the results sent to the
-- committee.

-- A checklist: its items are data the security office edits. Once a campaign using a checklist
-- has opened, its items are frozen (answers refer to them); an edit then makes a new version of
-- the same family (family_id: the first version's id, NULL on the first version itself).
CREATE TABLE inspection_checklists (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    family_id   bigint REFERENCES inspection_checklists (id),
    name        text NOT NULL CHECK (name <> ''),
    fiscal_year integer NOT NULL CHECK (fiscal_year BETWEEN 2000 AND 2100), -- the fiscal year it is made for
    status      text NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'active', 'retired')),
    version_no  integer NOT NULL DEFAULT 1 CHECK (version_no > 0),
    created_at  timestamptz NOT NULL DEFAULT now(),
    updated_at  timestamptz NOT NULL DEFAULT now(),
    version     integer NOT NULL DEFAULT 1
);
CREATE UNIQUE INDEX inspection_checklists_family_version_key
    ON inspection_checklists (coalesce(family_id, id), version_no);

-- An item: who answers it is a security role code, or 'staff' for the 職員等 of a unit (their
-- unit answers once, through its staff or its 管理者). clause_ref names the 対策基準 article the
-- item checks, so that results roll up to the policy review.
CREATE TABLE inspection_items (
    id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    checklist_id bigint NOT NULL REFERENCES inspection_checklists (id) ON DELETE CASCADE,
    number       integer NOT NULL CHECK (number > 0),
    text_ja      text NOT NULL CHECK (text_ja <> ''),
    text_en      text NOT NULL DEFAULT '',
    area         text NOT NULL DEFAULT '',
    respondent   text NOT NULL CHECK (respondent IN ('ISM_SECTION', 'staff', 'SYS_ADMIN', 'DEPUTY_CISO', 'ISO_DEPT', 'SNS_OWNER')),
    clause_ref   text NOT NULL DEFAULT '',
    sort_order   integer NOT NULL DEFAULT 0,
    created_at   timestamptz NOT NULL DEFAULT now(),
    updated_at   timestamptz NOT NULL DEFAULT now(),
    version      integer NOT NULL DEFAULT 1,
    UNIQUE (checklist_id, number)
);
CREATE INDEX inspection_items_order_idx ON inspection_items (checklist_id, sort_order, number);

-- A campaign: one checklist version sent for a period, to every in-scope 課-level unit (all_units)
-- or to the units chosen in inspection_campaign_units. Opening it makes the answer sheets.
-- committee_sent_on records the day its results went to the 情報セキュリティ委員会 (the committee's
-- agenda links here by subject_kind 'inspection_campaign').
CREATE TABLE inspection_campaigns (
    id                bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name              text NOT NULL CHECK (name <> ''),
    fiscal_year       integer NOT NULL CHECK (fiscal_year BETWEEN 2000 AND 2100),
    checklist_id      bigint NOT NULL REFERENCES inspection_checklists (id),
    starts_on         date NOT NULL,
    ends_on           date NOT NULL,
    status            text NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'open', 'closed')),
    all_units         boolean NOT NULL DEFAULT true,
    opened_at         timestamptz,
    closed_at         timestamptz,
    committee_sent_on date,
    created_by        bigint REFERENCES users (id),
    created_at        timestamptz NOT NULL DEFAULT now(),
    updated_at        timestamptz NOT NULL DEFAULT now(),
    version           integer NOT NULL DEFAULT 1,
    CONSTRAINT inspection_campaigns_period CHECK (ends_on >= starts_on)
);
CREATE INDEX inspection_campaigns_year_idx ON inspection_campaigns (fiscal_year, starts_on);
CREATE INDEX inspection_campaigns_checklist_idx ON inspection_campaigns (checklist_id);

CREATE TABLE inspection_campaign_units (
    campaign_id bigint NOT NULL REFERENCES inspection_campaigns (id) ON DELETE CASCADE,
    unit_id     bigint NOT NULL REFERENCES units (id),
    PRIMARY KEY (campaign_id, unit_id)
);

-- An answer sheet: the items of one respondent kind for one unit (unit_id NULL: a town-level role
-- such as the 統括, answered by whoever holds it). The 管理者's sheet carries the 責任者's items
-- too (ISO_DEPT: the 責任者 self-inspects with the 管理者, domain.md §6.2).
CREATE TABLE inspection_sheets (
    id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    campaign_id  bigint NOT NULL REFERENCES inspection_campaigns (id) ON DELETE CASCADE,
    respondent   text NOT NULL CHECK (respondent IN ('ISM_SECTION', 'staff', 'SYS_ADMIN', 'DEPUTY_CISO', 'SNS_OWNER')),
    unit_id      bigint REFERENCES units (id),
    status       text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'submitted')),
    submitted_at timestamptz,
    submitted_by bigint REFERENCES users (id),
    created_at   timestamptz NOT NULL DEFAULT now(),
    updated_at   timestamptz NOT NULL DEFAULT now(),
    version      integer NOT NULL DEFAULT 1,
    CONSTRAINT inspection_sheets_submitted CHECK ((status = 'submitted') = (submitted_at IS NOT NULL))
);
CREATE UNIQUE INDEX inspection_sheets_key ON inspection_sheets (campaign_id, respondent, coalesce(unit_id, 0));
CREATE INDEX inspection_sheets_unit_idx ON inspection_sheets (unit_id, campaign_id);

-- One answer per item of a sheet; answer NULL: not answered yet. 一部実施 and 未実施 need an
-- improvement measure with its due day; measure_done_on records when it was carried out.
CREATE TABLE inspection_answers (
    sheet_id        bigint NOT NULL REFERENCES inspection_sheets (id) ON DELETE CASCADE,
    item_id         bigint NOT NULL REFERENCES inspection_items (id),
    answer          text CHECK (answer IN ('compliant', 'partial', 'not_compliant', 'not_applicable')),
    comment         text NOT NULL DEFAULT '',
    measure         text NOT NULL DEFAULT '',
    measure_due_on  date,
    measure_done_on date,
    answered_by     bigint REFERENCES users (id),
    answered_at     timestamptz,
    created_at      timestamptz NOT NULL DEFAULT now(),
    updated_at      timestamptz NOT NULL DEFAULT now(),
    version         integer NOT NULL DEFAULT 1,
    PRIMARY KEY (sheet_id, item_id),
    CONSTRAINT inspection_answers_measure CHECK (answer IS NULL OR answer NOT IN ('partial', 'not_compliant')
        OR (measure <> '' AND measure_due_on IS NOT NULL))
);
CREATE INDEX inspection_answers_item_idx ON inspection_answers (item_id);
-- Open improvement measures are found by their due days.
CREATE INDEX inspection_answers_open_measures_idx ON inspection_answers (measure_due_on)
    WHERE answer IN ('partial', 'not_compliant') AND measure_done_on IS NULL;

-- The seed: the 35 items of domain.md §6.5 as the checklist of 令和8年度, version 1, active.
-- Respondents follow the table (管理者 → ISM_SECTION, 職員 → staff, システム管理者 → SYS_ADMIN,
-- 統括 → DEPUTY_CISO, 統括 / 責任者 and 責任者 → ISO_DEPT, SNS責任者 → SNS_OWNER).
-- 【推定】 The areas and the clause references (対策基準 第N条) are estimates, to be edited by the town
-- to the articles of its own 対策基準.
WITH c AS (
    INSERT INTO inspection_checklists (name, fiscal_year, status, version_no)
    VALUES ('自己点検チェックリスト（令和8年度）', 2026, 'active', 1)
    RETURNING id)
INSERT INTO inspection_items (checklist_id, number, text_ja, text_en, area, respondent, clause_ref, sort_order)
SELECT c.id, i.number, i.text_ja, i.text_en, i.area, i.respondent, i.clause_ref, i.number * 10
FROM c, (VALUES
    (1,  '所管する情報資産が情報資産管理台帳に登録され、年度内に見直されているか。', 'Assets registered and reviewed this year', '情報資産の管理', 'ISM_SECTION', '対策基準 第3条（情報資産の管理）'),
    (2,  '情報資産に機密性・完全性・可用性の分類が付され、ファイル・媒体・文書に表示されているか。', 'Classified and labelled', '情報資産の管理', 'staff', '対策基準 第2条（情報資産の分類）'),
    (3,  '業務上必要のない情報を作成・保有していないか。', 'No unnecessary information created or kept', '情報資産の管理', 'staff', '対策基準 第3条（情報資産の管理）'),
    (4,  '自治体機密性2以上の情報を電子メール等で送信する際、必要に応じ暗号化・パスワード設定をしているか。', 'Encrypt when sending level 2 or above', '情報資産の管理', 'staff', '対策基準 第3条（情報資産の管理）'),
    (5,  '自治体機密性2以上の情報資産の運搬・外部提供に際し、情報セキュリティ管理者の許可を得ているか。', 'Manager''s permission to transport or provide', '情報資産の管理', 'ISM_SECTION', '対策基準 第3条（情報資産の管理）'),
    (6,  '重要な情報を記録した電磁的記録媒体を耐火・耐水等の施錠可能な場所に保管しているか。', 'Locked, protected storage of media', '物理的セキュリティ', 'ISM_SECTION', '対策基準 第5条（物理的セキュリティ）'),
    (7,  '情報資産の廃棄時に復元不可能な処理を行い、日時・担当者・処理内容を記録しているか。', 'Irrecoverable disposal and disposal log', '情報資産の管理', 'ISM_SECTION', '対策基準 第3条（情報資産の管理）'),
    (8,  '業務以外の目的で情報資産・端末を利用していないか。', 'No non-business use', '人的セキュリティ', 'staff', '対策基準 第6条（人的セキュリティ）'),
    (9,  '離席時に端末をロックし、机上に重要書類を放置していないか（クリアデスク・クリアスクリーン）。', 'Clear desk / clear screen', '人的セキュリティ', 'staff', '対策基準 第6条（人的セキュリティ）'),
    (10, 'パスワード等の認証情報を他人に知られないよう管理し、共有していないか。', 'Credentials not shared', '人的セキュリティ', 'staff', '対策基準 第6条（人的セキュリティ）'),
    (11, '許可されていないソフトウェアのインストールや端末設定の変更をしていないか。', 'No unauthorised software or settings changes', '人的セキュリティ', 'staff', '対策基準 第6条（人的セキュリティ）'),
    (12, '許可されていない電磁的記録媒体（私物USB等）を接続していないか。', 'No unauthorised removable media', '人的セキュリティ', 'staff', '対策基準 第6条（人的セキュリティ）'),
    (13, '支給以外の端末で自治体機密性3の情報を取り扱っていないか。', 'No level-3 work on non-issued devices', '人的セキュリティ', 'staff', '対策基準 第6条（人的セキュリティ）'),
    (14, '不審なメールを受信した際、開封せず統一的な窓口に報告する手順を理解しているか。', 'Knows the phishing reporting procedure', '運用', 'staff', '対策基準 第8条（運用）'),
    (15, '情報セキュリティインシデントを認知した場合の報告先・報告手順を把握しているか。', 'Knows the incident reporting path', '運用', 'staff', '対策基準 第8条（運用）'),
    (16, '今年度の情報セキュリティ研修を受講したか。', 'Completed this year''s training', '人的セキュリティ', 'staff', '対策基準 第6条（人的セキュリティ）'),
    (17, '緊急連絡網が最新の状態に更新されているか。', 'Emergency contact list current', '組織体制', 'ISO_DEPT', '対策基準 第1条（組織体制）'),
    (18, '人事異動・退職時にIDの削除・権限変更が速やかに行われているか。', 'Prompt ID removal or changes on transfer or exit', '技術的セキュリティ', 'SYS_ADMIN', '対策基準 第7条（技術的セキュリティ）'),
    (19, '特権IDの利用者が限定され、利用が記録されているか。', 'Privileged IDs limited and logged', '技術的セキュリティ', 'SYS_ADMIN', '対策基準 第7条（技術的セキュリティ）'),
    (20, 'アクセスログ等の各種ログを取得し、一定期間保存・点検しているか。', 'Logs collected, kept and reviewed', '技術的セキュリティ', 'SYS_ADMIN', '対策基準 第7条（技術的セキュリティ）'),
    (21, 'OS・ソフトウェアのセキュリティ更新（パッチ）を適時適用しているか。', 'Timely patching', '技術的セキュリティ', 'SYS_ADMIN', '対策基準 第7条（技術的セキュリティ）'),
    (22, '不正プログラム対策ソフトのパターンファイルが最新か。', 'Anti-malware definitions current', '技術的セキュリティ', 'SYS_ADMIN', '対策基準 第7条（技術的セキュリティ）'),
    (23, 'バックアップを定期的に取得し、復元テストを実施しているか。', 'Backups taken and restore-tested', '技術的セキュリティ', 'SYS_ADMIN', '対策基準 第7条（技術的セキュリティ）'),
    (24, 'マイナンバー利用事務系の端末で多要素認証が有効になっているか。', 'MFA on My Number zone terminals', '情報システム全体の強靭性', 'SYS_ADMIN', '対策基準 第4条（情報システム全体の強靭性の向上）'),
    (25, 'マイナンバー利用事務系の端末でUSBメモリ等による情報持ち出しができない設定になっているか。', 'Data-removal blocking in the My Number zone', '情報システム全体の強靭性', 'SYS_ADMIN', '対策基準 第4条（情報システム全体の強靭性の向上）'),
    (26, 'マイナンバー利用事務系と他の領域との通信が遮断（又は限定）されているか。', 'My Number zone isolated or restricted', '情報システム全体の強靭性', 'DEPUTY_CISO', '対策基準 第4条（情報システム全体の強靭性の向上）'),
    (27, 'インターネット接続系からLGWAN接続系へのファイル取込みが無害化通信を経由しているか。', 'Sanitised transfer into the LGWAN zone', '情報システム全体の強靭性', 'DEPUTY_CISO', '対策基準 第4条（情報システム全体の強靭性の向上）'),
    (28, 'サーバ室（管理区域）の入退室が管理・記録されているか。', 'Server-room access controlled and logged', '物理的セキュリティ', 'DEPUTY_CISO', '対策基準 第5条（物理的セキュリティ）'),
    (29, 'ネットワーク構成図・システム仕様書が適切に管理され、最新か。', 'Network diagrams and specifications controlled and current', '技術的セキュリティ', 'SYS_ADMIN', '対策基準 第7条（技術的セキュリティ）'),
    (30, '業務委託契約に情報セキュリティ要件（守秘、再委託制限、監査、返還・廃棄等）が明記されているか。', 'Security clauses in outsourcing contracts', '業務委託と外部サービス', 'ISM_SECTION', '対策基準 第9条（業務委託と外部サービスの利用）'),
    (31, '委託先のセキュリティ対策状況を定期的に確認し、報告しているか。', 'Contractor security checked periodically', '業務委託と外部サービス', 'ISM_SECTION', '対策基準 第9条（業務委託と外部サービスの利用）'),
    (32, '外部サービス（クラウド）の利用が承認され、外部サービス管理者が指名されているか。', 'Cloud use approved; administrator appointed', '業務委託と外部サービス', 'ISM_SECTION', '対策基準 第9条（業務委託と外部サービスの利用）'),
    (33, 'ソーシャルメディアアカウントに責任者が定められ、なりすまし・乗っ取り対策が講じられているか。', 'SNS owner assigned; impersonation and takeover controls', '業務委託と外部サービス', 'SNS_OWNER', '対策基準 第9条（業務委託と外部サービスの利用）'),
    (34, '例外措置を講じている場合、CISOの許可を得て、記録が保管されているか。', 'Exceptions approved and recorded', '運用', 'ISM_SECTION', '対策基準 第8条（運用）'),
    (35, '前回の監査・自己点検の指摘事項が改善されているか。', 'Previous findings resolved', '評価・見直し', 'ISO_DEPT', '対策基準 第10条（評価・見直し）')
) AS i (number, text_ja, text_en, area, respondent, clause_ref);
