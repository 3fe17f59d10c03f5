-- Education and training (研修・訓練, basic policy §6(5), domain.md §5): the catalogue of courses
-- and drills with whom each is for and how often, the plan of each fiscal year with the committee's
-- approval, the sessions held and who attended them (for a 標的型攻撃メール訓練 also what each target
-- did), and each person's confirmation that they read the current basic policy.

-- The catalogue. audience says who must take a course: everyone but contractors, people who
-- joined in the fiscal year, the holders of the listed security roles, the staff of units that
-- keep a system in the マイナンバー利用事務系, contractors' staff, or those who fell for a phishing
-- drill. requirement says how often: once each fiscal year (4月–3月), within within_days of
-- joining, once per contract (a contractor's period of service), or after each drill they fell for.
CREATE TABLE courses (
    code         text PRIMARY KEY CHECK (code ~ '^[A-Z][A-Z0-9_]*$'),
    name_ja      text NOT NULL CHECK (name_ja <> ''),
    name_en      text NOT NULL CHECK (name_en <> ''),
    kind         text NOT NULL CHECK (kind IN ('course', 'drill')),
    audience     text NOT NULL CHECK (audience IN ('all', 'new_hires', 'roles', 'my_number_zone', 'contractors', 'drill_clicked')),
    roles        text[] NOT NULL DEFAULT '{}', -- audience roles: security_roles codes
    requirement  text NOT NULL CHECK (requirement IN ('yearly', 'on_joining', 'per_contract', 'after_drill')),
    within_days  integer CHECK (within_days > 0), -- on_joining and after_drill: days allowed
    active       boolean NOT NULL DEFAULT true,
    sort_order   integer NOT NULL DEFAULT 0,
    updated_at   timestamptz NOT NULL DEFAULT now(),
    version      integer NOT NULL DEFAULT 1,
    CONSTRAINT courses_roles CHECK ((audience = 'roles') = (cardinality(roles) > 0)),
    CONSTRAINT courses_within CHECK ((requirement IN ('on_joining', 'after_drill')) = (within_days IS NOT NULL))
);
-- The seed of domain.md §5.2 【推定】: every row is the town's to change.
INSERT INTO courses (code, name_ja, name_en, kind, audience, roles, requirement, within_days, sort_order) VALUES
    ('GEN_ANNUAL', '全職員向け情報セキュリティ研修', 'Annual information security training for all staff', 'course', 'all', '{}', 'yearly', NULL, 10),
    ('NEW_HIRE', '新規採用職員研修', 'New-hire training', 'course', 'new_hires', '{}', 'on_joining', 30, 20),
    ('MANAGER', '管理者向け研修', 'Training for managers', 'course', 'roles',
        '{CISO,DEPUTY_CISO,ISO_DEPT,ISM_SECTION}', 'yearly', NULL, 30),
    ('SYSADMIN', 'システム管理者・担当者研修', 'Training for system administrators and operators', 'course', 'roles',
        '{SYS_ADMIN,SYS_OPERATOR}', 'yearly', NULL, 40),
    ('CSIRT', 'CSIRT要員研修・演習 (CYDER等)', 'CSIRT training and exercises (CYDER etc.)', 'course', 'roles',
        '{CSIRT_LEAD,CSIRT_MEMBER}', 'yearly', NULL, 50),
    ('PHISHING_DRILL', '標的型攻撃メール訓練', 'Targeted-email (phishing) drill', 'drill', 'all', '{}', 'yearly', NULL, 60),
    ('PHISHING_FOLLOWUP', '標的型攻撃メール訓練 再教育', 'Follow-up training after a phishing drill', 'course', 'drill_clicked', '{}',
        'after_drill', 30, 65),
    ('IR_DRILL', '緊急時対応訓練 (インシデント対応訓練)', 'Incident and emergency-response drill', 'drill', 'roles',
        '{CSIRT_LEAD,CSIRT_MEMBER,ISM_SECTION}', 'yearly', NULL, 70),
    ('MYNUMBER', '特定個人情報取扱研修', 'Training on handling My Number data', 'course', 'my_number_zone', '{}', 'yearly', NULL, 80),
    ('CONTRACTOR', '委託先従事者教育 (確認)', 'Education of contractors'' staff (verified)', 'course', 'contractors', '{}',
        'per_contract', NULL, 90);

-- The training plan of a fiscal year (研修計画): the courses planned with their months, and the
-- information security committee's approval.
CREATE TABLE training_plans (
    fiscal_year  integer PRIMARY KEY CHECK (fiscal_year BETWEEN 2000 AND 2100),
    note         text NOT NULL DEFAULT '',
    approved_on  date,          -- the committee's approval
    approved_by  text NOT NULL DEFAULT '', -- who approved: the committee meeting or its chair
    created_at   timestamptz NOT NULL DEFAULT now(),
    updated_at   timestamptz NOT NULL DEFAULT now(),
    version      integer NOT NULL DEFAULT 1,
    CONSTRAINT training_plans_approval CHECK ((approved_on IS NULL) = (approved_by = ''))
);
CREATE TABLE training_plan_items (
    id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    fiscal_year  integer NOT NULL REFERENCES training_plans (fiscal_year) ON DELETE CASCADE,
    course_code  text NOT NULL REFERENCES courses (code),
    months       integer[] NOT NULL DEFAULT '{}' CHECK (months <@ '{1,2,3,4,5,6,7,8,9,10,11,12}'),
    method       text NOT NULL DEFAULT '' CHECK (method IN ('', 'classroom', 'elearning', 'video', 'exercise')),
    note         text NOT NULL DEFAULT '',
    UNIQUE (fiscal_year, course_code)
);

-- A session of a course or a drill as held.
CREATE TABLE training_sessions (
    id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    course_code   text NOT NULL REFERENCES courses (code),
    title         text NOT NULL DEFAULT '',
    held_on       date NOT NULL,
    method        text NOT NULL CHECK (method IN ('classroom', 'elearning', 'video', 'exercise')),
    provider      text NOT NULL DEFAULT '', -- 講師 or 提供者
    materials_url text NOT NULL DEFAULT '',
    has_test      boolean NOT NULL DEFAULT false, -- 理解度テスト
    note          text NOT NULL DEFAULT '',
    created_by    bigint REFERENCES users (id),
    created_at    timestamptz NOT NULL DEFAULT now(),
    updated_at    timestamptz NOT NULL DEFAULT now(),
    version       integer NOT NULL DEFAULT 1
);
CREATE INDEX training_sessions_held_idx ON training_sessions (held_on DESC, id DESC);
CREATE INDEX training_sessions_course_idx ON training_sessions (course_code, held_on);

-- Who attended a session: completed or not, on which day, the test score and the evidence. For a
-- phishing drill a row is a target, with what they did; clicked (a link or an attachment) is what
-- puts them under the follow-up course.
CREATE TABLE attendances (
    id                bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    session_id        bigint NOT NULL REFERENCES training_sessions (id) ON DELETE CASCADE,
    person_id         bigint NOT NULL REFERENCES people (id),
    completed         boolean NOT NULL DEFAULT true,
    completed_on      date,        -- the day completed; the session's day unless given
    score             integer CHECK (score BETWEEN 0 AND 100),
    evidence          text NOT NULL DEFAULT '', -- 証跡: certificate number, log reference
    opened            boolean NOT NULL DEFAULT false, -- drills: the mail opened
    clicked           boolean NOT NULL DEFAULT false, -- drills: a link followed or an attachment opened
    reported          boolean NOT NULL DEFAULT false, -- drills: reported to the 窓口
    recorded_by       bigint REFERENCES users (id),
    created_at        timestamptz NOT NULL DEFAULT now(),
    updated_at        timestamptz NOT NULL DEFAULT now(),
    version           integer NOT NULL DEFAULT 1,
    UNIQUE (session_id, person_id),
    CONSTRAINT attendances_completion CHECK (completed = (completed_on IS NOT NULL))
);
-- A person's record, and the completions of a fiscal year by day.
CREATE INDEX attendances_person_idx ON attendances (person_id, completed_on);

-- Versions of the basic policy (情報セキュリティ基本方針) that staff confirm they have read
-- (誓約・確認). A new version asks everyone again.
CREATE TABLE policy_versions (
    id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    title        text NOT NULL CHECK (title <> ''),
    version_label text NOT NULL CHECK (version_label <> ''), -- e.g. 令和8年4月1日改定
    effective_on date NOT NULL,
    summary      text NOT NULL DEFAULT '',
    document_url text NOT NULL DEFAULT '',
    created_by   bigint REFERENCES users (id),
    created_at   timestamptz NOT NULL DEFAULT now()
);
CREATE TABLE policy_acknowledgements (
    policy_version_id bigint NOT NULL REFERENCES policy_versions (id),
    person_id         bigint NOT NULL REFERENCES people (id),
    acknowledged_at   timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (policy_version_id, person_id)
);

-- Attendance lists of e-learning systems come in through the ledger import.
ALTER TABLE imports DROP CONSTRAINT imports_kind_check;
ALTER TABLE imports ADD CONSTRAINT imports_kind_check CHECK (kind IN ('assets', 'systems', 'people', 'attendance'));
