package postgres

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/jichitai-isms/isms/internal/isms"
)

// The rest of a town beside a bulk register: what the dashboards count for every unit. A bulk
// load (`isms seed bulk`) adds, in the same transaction as the assets and set-based (one INSERT …
// SELECT per table, no store call per row): people posted to every unit, most with an account;
// role assignments; the fiscal year's training with about three in four people done; five years
// of incidents with their units and PPC reports, a few open; external services; the year's
// self-inspection campaign with a sheet per 課 and its answers; an internal audit with findings
// and corrective actions; requests waiting for a 管理者; and the ledger confirmations of about
// half the units. Choices that look random are hashes of the row's number and the load's seed,
// so that the same seed writes the same town.

// BulkTown is what to add besides the register. People are given (the generator names them);
// the other registers are drawn from them and the units in the numbers asked for.
type BulkTown struct {
	Today     time.Time
	People    []BulkPerson
	Incidents int // over the five years before Today
	Services  int // external services
	Requests  int // asset requests waiting for a decision
	Seed      uint64
	// Done receives what was written, before the load's summary is asked for.
	Done func(BulkTownResult)
}

// BulkPerson is one member of staff to add, posted to a unit from From (to To, when set). With
// Account, the person gets a portal account (role staff) that cannot sign in until an
// administrator sets its password.
type BulkPerson struct {
	EmployeeNo, Name, Kana, Email string
	Employment                    isms.EmploymentType
	UnitID                        int64
	From                          time.Time
	To                            *time.Time
	Account                       bool
}

// BulkTownResult counts what a bulk load added besides the register.
type BulkTownResult struct {
	Kept                bool `json:"kept,omitempty"` // an earlier load added the town's registers: none added again
	People              int  `json:"people"`
	Accounts            int  `json:"accounts"`
	Assignments         int  `json:"assignments"`
	Sessions            int  `json:"training_sessions"`
	Attendances         int  `json:"attendances"`
	Incidents           int  `json:"incidents"`
	IncidentsOpen       int  `json:"incidents_open"`
	PPCReports          int  `json:"ppc_reports"`
	PPCOverdue          int  `json:"ppc_overdue"`
	Services            int  `json:"external_services"`
	ServicesOverdue     int  `json:"external_services_review_overdue"`
	Sheets              int  `json:"inspection_sheets"`
	SheetsSubmitted     int  `json:"inspection_sheets_submitted"`
	Answers             int  `json:"inspection_answers"`
	Findings            int  `json:"audit_findings"`
	Actions             int  `json:"corrective_actions"`
	ActionsOverdue      int  `json:"corrective_actions_overdue"`
	Requests            int  `json:"asset_requests_pending"`
	LedgerConfirmations int  `json:"ledger_confirmations"`
}

// bulkEmployeePrefix starts the employee numbers of the people a bulk load adds; an organisation
// with such people has had its town's registers loaded, and a later load adds assets only.
const bulkEmployeePrefix = "B"

// bulkUnusablePassword is the password hash of the accounts a bulk load makes: not a hash at all,
// so that no password matches it (auth.CheckPassword refuses it) until one is set.
const bulkUnusablePassword = "!bulk-no-password"

// bulkTownTables are analysed after a load that added the town's registers.
var bulkTownTables = []string{"users", "people", "postings", "role_assignments", "training_sessions", "attendances",
	"training_person_years", "incidents", "incident_units", "incident_reports", "external_services",
	"external_service_decisions", "inspection_campaigns", "inspection_sheets", "inspection_answers", "security_audits",
	"security_audit_units", "security_audit_auditors", "security_audit_findings", "security_audit_actions",
	"asset_requests", "ledger_confirmations"}

// bulkTown writes the town's registers in the load's transaction.
func bulkTown(ctx context.Context, tx pgx.Tx, town BulkTown) (BulkTownResult, error) {
	var res BulkTownResult
	var kept bool
	if err := tx.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM people WHERE starts_with(employee_no, $1))`,
		bulkEmployeePrefix).Scan(&kept); err != nil {
		return res, err
	}
	if kept || len(town.People) == 0 {
		res.Kept = kept
		return res, nil
	}
	today := isms.Day(town.Today)
	fy := isms.FiscalYearOf(today)
	fyStart, fyEnd := isms.FiscalYearBounds(fy)
	// r(x, salt) is a number in [0, 1) drawn from x and the seed: the same for the same load.
	r := func(x string, salt int) string {
		return fmt.Sprintf("(abs(hashint8extended((%s)::bigint, %d)) %% 1000000 / 1000000.0)", x, int64(town.Seed%1_000_000)*100+int64(salt))
	}
	exec := func(what string, n *int, sql string, args ...any) error {
		tag, err := tx.Exec(ctx, sql, args...)
		if err != nil {
			return fmt.Errorf("bulk %s: %w", what, err)
		}
		if n != nil {
			*n += int(tag.RowsAffected())
		}
		return nil
	}
	count := func(what string, n *int, sql string, args ...any) error {
		if err := tx.QueryRow(ctx, sql, args...).Scan(n); err != nil {
			return fmt.Errorf("bulk %s: %w", what, err)
		}
		return nil
	}

	// People, their accounts and postings, in one statement.
	ps := town.People
	nos, names, kanas, emails, emps := make([]string, len(ps)), make([]string, len(ps)), make([]string, len(ps)),
		make([]string, len(ps)), make([]string, len(ps))
	units, froms, tos, accounts := make([]int64, len(ps)), make([]time.Time, len(ps)), make([]*time.Time, len(ps)), make([]bool, len(ps))
	for i, p := range ps {
		if !strings.HasPrefix(p.EmployeeNo, bulkEmployeePrefix) {
			return res, fmt.Errorf("bulk person %s: employee numbers start with %s", p.EmployeeNo, bulkEmployeePrefix)
		}
		nos[i], names[i], kanas[i], emails[i], emps[i] = p.EmployeeNo, p.Name, p.Kana, p.Email, string(p.Employment)
		units[i], froms[i], tos[i], accounts[i] = p.UnitID, p.From, p.To, p.Account
	}
	if err := exec("people", &res.People, `
		WITH src AS (
			SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::bigint[], $7::date[],
				$8::date[], $9::boolean[]) AS s (no, name, kana, email, emp, unit_id, valid_from, valid_to, account)),
		acc AS (
			INSERT INTO users (login_id, display_name, display_name_kana, email, role, unit_id, password_hash)
			SELECT lower(no), name, kana, email, 'staff', unit_id, $10 FROM src WHERE account ORDER BY no
			RETURNING id, login_id),
		ppl AS (
			INSERT INTO people (employee_no, name, name_kana, employment_type, email, valid_from, valid_to, user_id)
			SELECT s.no, s.name, s.kana, s.emp, s.email, s.valid_from, s.valid_to, acc.id
			FROM src s LEFT JOIN acc ON acc.login_id = lower(s.no) ORDER BY s.no
			RETURNING id, employee_no, valid_from, valid_to)
		INSERT INTO postings (person_id, unit_id, valid_from, valid_to)
		SELECT p.id, s.unit_id, p.valid_from, p.valid_to FROM ppl p JOIN src s ON s.no = p.employee_no`,
		nos, names, kanas, emails, emps, units, froms, tos, accounts, bulkUnusablePassword); err != nil {
		return res, err
	}
	if err := count("accounts", &res.Accounts, `SELECT count(*) FROM people WHERE starts_with(employee_no, $1) AND user_id IS NOT NULL`,
		bulkEmployeePrefix); err != nil {
		return res, err
	}
	// The staff of this load as the statements below draw from them: k numbers each unit's people.
	if err := exec("staff", nil, `
		CREATE TEMP TABLE bulk_staff ON COMMIT DROP AS
		SELECT p.id, p.user_id, po.unit_id, p.employment_type AS emp, p.valid_from, p.valid_to,
			row_number() OVER (PARTITION BY po.unit_id ORDER BY p.id) AS k,
			row_number() OVER (ORDER BY p.id) AS n
		FROM people p JOIN postings po ON po.person_id = p.id
		WHERE starts_with(p.employee_no, $1)`, bulkEmployeePrefix); err != nil {
		return res, err
	}
	for _, stmt := range []string{`CREATE INDEX ON bulk_staff (unit_id, k)`, `ANALYZE bulk_staff`} {
		if err := exec("staff", nil, stmt); err != nil {
			return res, err
		}
	}
	// users: an account of the unit (else any), for who reported, asked or answered.
	const unitUser = `coalesce((SELECT b.user_id FROM bulk_staff b WHERE b.unit_id = %s AND b.user_id IS NOT NULL ORDER BY b.k LIMIT 1),
		(SELECT b.user_id FROM bulk_staff b WHERE b.user_id IS NOT NULL ORDER BY b.n LIMIT 1))`
	const unitPerson = `coalesce((SELECT b.id FROM bulk_staff b WHERE b.unit_id = %s AND b.emp <> 'contractor' ORDER BY b.k LIMIT 1),
		(SELECT b.id FROM bulk_staff b ORDER BY b.n LIMIT 1))`

	// Roles: two 情報システム担当者 in each unit that keeps a system; CSIRT members from the unit
	// of the 情報政策 (or the first unit); 管理者代理 (acting) in a few units.
	if err := exec("roles", &res.Assignments, `
		INSERT INTO role_assignments (person_id, role_code, unit_id, valid_from, note)
		SELECT b.id, 'SYS_OPERATOR', b.unit_id, $1::date, '情報システムの運用（試験データ）'
		FROM bulk_staff b WHERE b.k <= 2 AND b.emp <> 'contractor' AND b.valid_to IS NULL
			AND b.unit_id IN (SELECT unit_id FROM systems)
		UNION ALL
		SELECT b.id, 'CSIRT_MEMBER', NULL, $1::date, 'CSIRT要員（試験データ）'
		FROM bulk_staff b WHERE b.unit_id = coalesce((SELECT id FROM units WHERE code = '1103'), (SELECT min(unit_id) FROM bulk_staff))
			AND b.k BETWEEN 3 AND 6 AND b.emp = 'regular' AND b.valid_to IS NULL
		ORDER BY 1, 2`, fyStart); err != nil {
		return res, err
	}

	// Training of the fiscal year, held up to today: the all-staff course three times as
	// e-learning, the phishing drill and its follow-up, the My Number course, the new hires'
	// and the contractors'. About three in four of those due complete each.
	span := int(today.Sub(fyStart).Hours() / 24)
	held := func(part, of int) time.Time { return fyStart.AddDate(0, 0, span*part/of) }
	sessions := []struct {
		course, title string
		on            time.Time
		method        string
	}{
		{"GEN_ANNUAL", "情報セキュリティ研修（eラーニング 第1回）", held(1, 6), "elearning"},
		{"GEN_ANNUAL", "情報セキュリティ研修（eラーニング 第2回）", held(3, 6), "elearning"},
		{"GEN_ANNUAL", "情報セキュリティ研修（eラーニング 第3回）", held(5, 6), "elearning"},
		{"NEW_HIRE", "新規採用職員 情報セキュリティ研修", held(0, 6), "classroom"},
		{"PHISHING_DRILL", "標的型攻撃メール訓練", held(2, 6), "exercise"},
		{"PHISHING_FOLLOWUP", "標的型攻撃メール訓練 再教育（eラーニング）", held(4, 6), "elearning"},
		{"MYNUMBER", "特定個人情報取扱研修（eラーニング）", held(3, 6), "elearning"},
		{"CONTRACTOR", "委託先従事者 情報セキュリティ教育の確認", held(1, 6), "classroom"},
		{"MANAGER", "管理者向け情報セキュリティ研修", held(1, 6), "classroom"},
		{"SYSADMIN", "システム管理者・担当者研修", held(2, 6), "classroom"},
		{"CSIRT", "CSIRT要員研修（CYDER）", held(2, 6), "exercise"},
		{"IR_DRILL", "インシデント対応訓練", held(4, 6), "exercise"},
	}
	courses, titles, days, methods := make([]string, len(sessions)), make([]string, len(sessions)), make([]time.Time, len(sessions)), make([]string, len(sessions))
	for i, s := range sessions {
		courses[i], titles[i], days[i], methods[i] = s.course, s.title, s.on, s.method
	}
	if err := exec("training sessions", nil, `
		CREATE TEMP TABLE bulk_sessions (id bigint, course_code text, held_on date) ON COMMIT DROP`); err != nil {
		return res, err
	}
	if err := exec("training sessions", &res.Sessions, `
		WITH made AS (
			INSERT INTO training_sessions (course_code, title, held_on, method, provider)
			SELECT s.course, s.title, s.held_on, s.method, '総務課情報政策係'
			FROM unnest($1::text[], $2::text[], $3::date[], $4::text[]) AS s (course, title, held_on, method)
			ORDER BY s.held_on, s.course
			RETURNING id, course_code, held_on)
		INSERT INTO bulk_sessions SELECT * FROM made`, courses, titles, days, methods); err != nil {
		return res, err
	}
	// Everyone in service today is due, the demo town's people too; who completed the all-staff
	// course already this year is left as they are.
	if err := exec("attendances", &res.Attendances, `
		WITH active AS (
			SELECT p.id, p.employment_type AS emp, p.valid_from, po.unit_id
			FROM people p JOIN postings po ON po.person_id = p.id AND po.valid_from <= $1::date
				AND (po.valid_to IS NULL OR po.valid_to >= $1::date)
			WHERE p.valid_from <= $1::date AND (p.valid_to IS NULL OR p.valid_to >= $1::date)),
		roles AS (
			SELECT DISTINCT ra.person_id, c.code AS course
			FROM role_assignments ra JOIN courses c ON c.audience = 'roles' AND ra.role_code = ANY (c.roles)
			WHERE ra.valid_from <= $1::date AND (ra.valid_to IS NULL OR ra.valid_to >= $1::date)),
		drill AS (SELECT * FROM bulk_sessions WHERE course_code = 'PHISHING_DRILL'),
		gen AS (SELECT array_agg(id ORDER BY held_on, id) AS ids FROM bulk_sessions WHERE course_code = 'GEN_ANNUAL'),
		due AS (
			-- The all-staff course in one of its three sessions.
			SELECT a.id AS person_id, gen.ids[1 + a.id % cardinality(gen.ids)] AS session_id,
				`+r("a.id", 1)+` < 0.72 AS completed, false AS opened, false AS clicked, false AS reported
			FROM active a, gen WHERE a.emp <> 'contractor'
				AND NOT EXISTS (SELECT 1 FROM attendances x JOIN training_sessions s ON s.id = x.session_id
					WHERE x.person_id = a.id AND x.completed AND s.course_code = 'GEN_ANNUAL' AND x.completed_on >= $2::date)
			UNION ALL
			-- The drill: everyone a target; 8 % follow a link, a fifth report it.
			SELECT a.id, d.id, true, `+r("a.id", 2)+` < 0.3, `+r("a.id", 3)+` < 0.08, `+r("a.id", 4)+` < 0.2
			FROM active a, drill d WHERE a.emp <> 'contractor'
			UNION ALL
			SELECT a.id, s.id, `+r("a.id", 5)+` < 0.65, false, false, false
			FROM active a JOIN bulk_sessions s ON s.course_code = 'PHISHING_FOLLOWUP'
			WHERE a.emp <> 'contractor' AND `+r("a.id", 3)+` < 0.08
			UNION ALL
			SELECT a.id, s.id, `+r("a.id", 6)+` < 0.75, false, false, false
			FROM active a JOIN bulk_sessions s ON s.course_code = 'MYNUMBER'
			WHERE a.emp <> 'contractor' AND a.unit_id IN (SELECT unit_id FROM systems WHERE zone = 'MYNUMBER')
			UNION ALL
			SELECT a.id, s.id, `+r("a.id", 7)+` < 0.9, false, false, false
			FROM active a JOIN bulk_sessions s ON s.course_code = 'NEW_HIRE'
			WHERE a.emp <> 'contractor' AND a.valid_from >= $2::date
			UNION ALL
			SELECT a.id, s.id, `+r("a.id", 8)+` < 0.8, false, false, false
			FROM active a JOIN bulk_sessions s ON s.course_code = 'CONTRACTOR' WHERE a.emp = 'contractor'
			UNION ALL
			SELECT a.id, s.id, `+r("a.id * 16 + length(s.course_code)", 9)+` < 0.75, false, false, false
			FROM active a JOIN roles ro ON ro.person_id = a.id JOIN bulk_sessions s ON s.course_code = ro.course)
		INSERT INTO attendances (session_id, person_id, completed, completed_on, opened, clicked, reported)
		SELECT d.session_id, d.person_id, true, greatest(s.held_on, a.valid_from), d.opened, d.clicked, d.reported
		FROM due d JOIN bulk_sessions s ON s.id = d.session_id JOIN active a ON a.id = d.person_id
		WHERE d.completed ORDER BY d.person_id, d.session_id
		ON CONFLICT (session_id, person_id) DO NOTHING`, today, fyStart); err != nil {
		return res, err
	}

	// Incidents over five years, newest first: mostly mis-sent mail and post, lost items and
	// suspicious mail; about 3 % of them (the recent ones) still open. Each is reported by an
	// account of the unit it concerns, numbered within its fiscal year after any number taken.
	if town.Incidents > 0 {
		if err := exec("incidents", &res.Incidents, `
			CREATE TEMP TABLE bulk_incidents ON COMMIT DROP AS
			WITH accounts AS (SELECT array_agg(user_id ORDER BY n) AS ids FROM bulk_staff WHERE user_id IS NOT NULL),
			kinds (k, category, title, personal, zone) AS (VALUES
				(0, 'MISDELIVERY', 'メールの誤送信（宛先の誤り）', 'yes', 'LGWAN'),
				(1, 'MISDELIVERY', '通知書の誤送付', 'yes', NULL),
				(2, 'MISDELIVERY', 'FAXの誤送信', 'yes', NULL),
				(3, 'LOSS_THEFT', 'USBメモリの紛失', 'unknown', NULL),
				(4, 'LOSS_THEFT', '書類の紛失', 'yes', NULL),
				(5, 'MALWARE', '不審メールの添付ファイルを開封', 'no', 'INTERNET'),
				(6, 'UNAUTHORISED_ACCESS', 'ホームページへの不正アクセスの試み', 'no', 'INTERNET'),
				(7, 'MISCONFIGURATION', '共有フォルダのアクセス権設定の誤り', 'unknown', 'LGWAN'),
				(8, 'SYSTEM_FAILURE', '業務システムの障害', 'no', 'MYNUMBER'),
				(9, 'POLICY_VIOLATION', '許可のない情報の持出し', 'yes', NULL),
				(10, 'CONTRACTOR', '委託先における個人情報の誤廃棄', 'yes', NULL),
				(11, 'MISDELIVERY', 'メールの誤送信（BCCの漏れ）', 'yes', 'LGWAN')),
			g AS (
				SELECT g, now_ts - make_interval(days => (g - 1) * 1826 / $2::int, mins => (`+r("g", 10)+` * 600)::int) AS aware,
					(SELECT ids FROM accounts) AS ids
				FROM generate_series(1, $2::int) g, LATERAL (SELECT ($1::date + time '17:00')::timestamptz AS now_ts) t),
			x AS (
				SELECT g.g, g.aware, g.ids[1 + (`+r("g.g", 11)+` * cardinality(g.ids))::int % cardinality(g.ids)] AS reporter,
					k.category, k.title, k.personal, k.zone,
					CASE WHEN g.aware > $1::date - 90 AND `+r("g.g", 12)+` < 0.62 THEN
						(ARRAY['received', 'investigating', 'responding', 'prevention'])[1 + (`+r("g.g", 13)+` * 4)::int % 4]
					WHEN `+r("g.g", 14)+` < 0.15 THEN 'not_incident' ELSE 'closed' END AS status,
					CASE WHEN `+r("g.g", 15)+` < 0.4 THEN 0 WHEN `+r("g.g", 15)+` < 0.8 THEN 1 WHEN `+r("g.g", 15)+` < 0.95 THEN 2 ELSE 3 END AS severity,
					k.personal = 'yes' AND `+r("g.g", 16)+` < 0.12 AS ppc
				FROM g JOIN kinds k ON k.k = (`+r("g.g", 17)+` * 12)::int % 12)
			SELECT x.*, fiscal_year_of(x.aware::date) AS fy,
				row_number() OVER (PARTITION BY fiscal_year_of(x.aware::date) ORDER BY x.aware, x.g) AS seq
			FROM x`, today, town.Incidents); err != nil {
			return res, err
		}
		if err := exec("incidents", nil, `
			WITH made AS (
				INSERT INTO incidents (number, title, description, occurred_at, aware_at, place, personal_info, channel,
					reported_by, reported_at, is_incident, decided_at, decided_by, severity, category, zone, pi_subjects,
					ppc_triggers, escalations, status, recovered_at, closed_at)
				SELECT x.fy || '-' || lpad((coalesce(n.last, 0) + x.seq)::text, 4, '0'), x.title,
					x.title || 'が発生した。' || CASE x.personal WHEN 'yes' THEN '個人情報を含む。' ELSE '' END || '（試験データ）',
					x.aware - interval '2 hours', x.aware, '庁舎内', x.personal, 'portal', x.reporter, x.aware + interval '30 minutes',
					CASE WHEN x.status = 'received' THEN NULL ELSE x.status <> 'not_incident' END,
					CASE WHEN x.status = 'received' THEN NULL ELSE x.aware + interval '1 day' END,
					CASE WHEN x.status = 'received' THEN NULL ELSE x.reporter END,
					CASE WHEN x.status IN ('received', 'not_incident') THEN NULL ELSE x.severity END,
					x.category, x.zone,
					CASE WHEN x.ppc THEN 120 + (x.g % 400) END,
					CASE WHEN x.ppc THEN '{subjects}'::text[] ELSE '{}' END,
					CASE WHEN x.status NOT IN ('received', 'not_incident') AND x.severity >= 2 THEN ARRAY['severity'] ELSE '{}' END
						|| CASE WHEN x.ppc THEN ARRAY['ppc'] ELSE '{}' END,
					x.status,
					CASE WHEN x.status IN ('closed', 'prevention') THEN x.aware + interval '3 days' END,
					CASE WHEN x.status IN ('closed', 'not_incident') THEN x.aware + make_interval(days => 10 + x.g % 50) END
				FROM bulk_incidents x LEFT JOIN incident_numbers n ON n.fiscal_year = x.fy
				ORDER BY x.aware, x.g
				RETURNING id, number, reported_by, aware_at, status, ppc_triggers),
			units AS (
				INSERT INTO incident_units (incident_id, unit_id)
				SELECT m.id, u.unit_id FROM made m JOIN users u ON u.id = m.reported_by WHERE u.unit_id IS NOT NULL
				RETURNING incident_id)
			INSERT INTO incident_reports (incident_id, recipient, due_on, done_on)
			SELECT m.id, rc.recipient, m.aware_at::date + rc.days,
				CASE WHEN m.status IN ('closed', 'not_incident') THEN m.aware_at::date + rc.days - 1
					WHEN rc.recipient = 'ppc_prelim' AND `+r("m.id", 18)+` < 0.7 THEN m.aware_at::date + 3 END
			FROM made m CROSS JOIN (VALUES ('ppc_prelim', 5), ('ppc_final', 30)) rc (recipient, days)
			WHERE m.ppc_triggers <> '{}'`); err != nil {
			return res, err
		}
		if err := exec("incident numbers", nil, `
			INSERT INTO incident_numbers (fiscal_year, last)
			SELECT fy, max(seq) FROM bulk_incidents GROUP BY fy
			ON CONFLICT (fiscal_year) DO UPDATE SET last = incident_numbers.last + excluded.last`); err != nil {
			return res, err
		}
		if err := count("incidents", &res.IncidentsOpen, `SELECT count(*) FROM bulk_incidents WHERE status NOT IN ('closed', 'not_incident')`); err != nil {
			return res, err
		}
		if err := tx.QueryRow(ctx, `
			SELECT count(*), count(*) FILTER (WHERE r.done_on IS NULL AND r.due_on < $1)
			FROM incident_reports r JOIN incidents i ON i.id = r.incident_id
			WHERE i.reported_by IN (SELECT user_id FROM bulk_staff)`, today).
			Scan(&res.PPCReports, &res.PPCOverdue); err != nil {
			return res, fmt.Errorf("bulk ppc reports: %w", err)
		}
	}

	// External services: most approved for 自治体機密性2 or lower with a named 管理者 and a
	// yearly review (about one in ten past due), some waiting, rejected or ended.
	if town.Services > 0 {
		if err := exec("external services", &res.Services, `
			WITH svc (k, name, provider, purpose) AS (VALUES
				(0, 'Web会議サービス', 'クラウド会議株式会社', '庁内外との会議'),
				(1, 'オンライン申請サービス', '電子申請サービス株式会社', '住民からの申請の受付'),
				(2, '施設予約システム', '公共施設予約株式会社', '公共施設の予約受付'),
				(3, 'アンケート作成サービス', 'フォーム作成株式会社', '住民アンケートの実施'),
				(4, 'ファイル転送サービス', 'セキュア転送株式会社', '大容量ファイルの受渡し'),
				(5, 'ホームページ管理システム', 'CMSクラウド株式会社', '町ホームページの更新'),
				(6, 'メール配信サービス', '配信クラウド株式会社', '防災・行政情報の配信'),
				(7, 'グループウェア', 'グループウェア株式会社', '庁内の情報共有'),
				(8, '電子契約サービス', '電子契約クラウド株式会社', '契約書の締結'),
				(9, '予約受付サービス', '予約クラウド株式会社', '健診・相談の予約受付')),
			targets AS (SELECT array_agg(DISTINCT unit_id ORDER BY unit_id) AS ids FROM bulk_staff),
			levels AS (
				SELECT array_agg(l.code ORDER BY l.rank) AS codes FROM classification_levels l
				JOIN classification_schemes s ON s.code = l.scheme_code AND s.active
				WHERE l.axis = 'C' AND l.rank <= 3),
			g AS (
				SELECT g, t.ids[1 + (`+r("g", 20)+` * cardinality(t.ids))::int % cardinality(t.ids)] AS unit_id,
					(SELECT codes FROM levels)[CASE WHEN `+r("g", 21)+` < 0.3 THEN 1 WHEN `+r("g", 21)+` < 0.85 THEN 2 ELSE 3 END] AS level,
					CASE WHEN `+r("g", 22)+` < 0.84 THEN 'approved' WHEN `+r("g", 22)+` < 0.9 THEN 'requested'
						WHEN `+r("g", 22)+` < 0.93 THEN 'rejected' ELSE 'ended' END AS status,
					$1::date - 30 - (`+r("g", 23)+` * 1500)::int AS since
				FROM generate_series(1, $2::int) g, targets t),
			made AS (
				INSERT INTO external_services (name, provider, purpose, unit_id, contract_form, requested_level, approved_level, status,
					ismap_registered, data_location, governing_law, jurisdiction, mfa, auth_method, users_scope, requested_by,
					requested_at, decided_by, decided_at, admin_person_id, use_from, use_to, review_due, data_deleted_on,
					data_deletion_method)
				SELECT s.name, s.provider, s.purpose, g.unit_id, CASE WHEN g.g % 3 = 0 THEN 'contract' ELSE 'terms' END, g.level,
					CASE WHEN g.status IN ('approved', 'ended') THEN g.level END, g.status, g.g % 4 = 0, 'domestic', '日本法',
					'東京地方裁判所', g.g % 2 = 0, 'ID・パスワード', '所管課の職員',
					`+fmt.Sprintf(unitUser, "g.unit_id")+`, g.since,
					CASE WHEN g.status <> 'requested' THEN `+fmt.Sprintf(unitUser, "g.unit_id")+` END,
					CASE WHEN g.status <> 'requested' THEN g.since + interval '7 days' END,
					CASE WHEN g.status IN ('approved', 'ended') THEN `+fmt.Sprintf(unitPerson, "g.unit_id")+` END,
					CASE WHEN g.status IN ('approved', 'ended') THEN g.since + 14 END,
					CASE WHEN g.status = 'ended' THEN greatest(g.since + 14, $1::date - (g.g % 200)) END,
					CASE WHEN g.status = 'approved' THEN $1::date + (`+r("g", 24)+` * 365)::int - 36 END,
					CASE WHEN g.status = 'ended' AND g.g % 2 = 0 THEN least($1::date, greatest(g.since + 14, $1::date - (g.g % 200)) + 30) END,
					CASE WHEN g.status = 'ended' AND g.g % 2 = 0 THEN '事業者の消去証明書により確認' ELSE '' END
				FROM g JOIN svc s ON s.k = g.g % 10
				ORDER BY g.g
				RETURNING id, requested_level, approved_level, admin_person_id, requested_by, requested_at, decided_by, decided_at, status)
			INSERT INTO external_service_decisions (service_id, kind, requested_level, requested_by, requested_at, outcome,
				approved_level, admin_person_id, decided_by, decided_at)
			SELECT id, 'use', requested_level, requested_by, requested_at,
				CASE WHEN status = 'requested' THEN NULL WHEN status = 'rejected' THEN 'rejected' ELSE 'approved' END,
				approved_level, admin_person_id, decided_by, decided_at
			FROM made`, today, town.Services); err != nil {
			return res, err
		}
		// Waiting decisions were the rows just added; the services themselves are counted here.
		if err := tx.QueryRow(ctx, `SELECT count(*), count(*) FILTER (WHERE status = 'approved' AND review_due < $1)
			FROM external_services WHERE requested_by IN (SELECT user_id FROM bulk_staff)`, today).
			Scan(&res.Services, &res.ServicesOverdue); err != nil {
			return res, fmt.Errorf("bulk external services: %w", err)
		}
	}

	// The fiscal year's self-inspection: the active checklist sent to every 課 (the sheets the
	// campaign's opening makes), opened six weeks ago; four in five sheets submitted, the others
	// half answered.
	var checklist int64
	err := tx.QueryRow(ctx, `SELECT coalesce((SELECT id FROM inspection_checklists WHERE status = 'active'
		ORDER BY fiscal_year DESC, id DESC LIMIT 1), 0)`).Scan(&checklist)
	if err != nil {
		return res, fmt.Errorf("bulk checklist: %w", err)
	}
	if checklist != 0 {
		starts := today.AddDate(0, 0, -42)
		if starts.Before(fyStart) {
			starts = fyStart
		}
		ends := starts.AddDate(0, 2, 0)
		if ends.After(fyEnd) {
			ends = fyEnd
		}
		if err := exec("inspection sheets", &res.Sheets, `
			WITH c AS (
				INSERT INTO inspection_campaigns (name, fiscal_year, checklist_id, starts_on, ends_on, status, all_units, opened_at)
				VALUES ($1, $2, $3, $4, $5, 'open', true, $4::date + time '09:00')
				RETURNING id),
			targets AS (
				SELECT u.id FROM units u
				WHERE u.in_scope AND u.unit_type = ANY($6) AND u.valid_from <= $7::date AND (u.valid_to IS NULL OR u.valid_to >= $7::date)),
			kinds AS (
				SELECT DISTINCT CASE WHEN respondent = 'ISO_DEPT' THEN 'ISM_SECTION' ELSE respondent END AS kind
				FROM inspection_items WHERE checklist_id = $3)
			INSERT INTO inspection_sheets (campaign_id, respondent, unit_id, status, submitted_at, submitted_by)
			SELECT c.id, s.kind, s.unit_id, CASE WHEN s.submitted THEN 'submitted' ELSE 'open' END,
				CASE WHEN s.submitted THEN $4::date + 20 + time '15:00' END,
				CASE WHEN s.submitted THEN `+fmt.Sprintf(unitUser, "s.unit_id")+` END
			FROM c, (
				SELECT k.kind, t.id AS unit_id, `+r("t.id * 7 + length(k.kind)", 30)+` < 0.8 AS submitted
				FROM kinds k CROSS JOIN targets t
				WHERE k.kind IN ('ISM_SECTION', 'staff')
					OR k.kind IN ('SYS_ADMIN', 'SNS_OWNER') AND EXISTS (SELECT 1 FROM role_assignments ra
						WHERE ra.role_code = k.kind AND ra.unit_id = t.id AND ra.valid_from <= $7::date
							AND (ra.valid_to IS NULL OR ra.valid_to >= $7::date))
				UNION ALL
				SELECT k.kind, NULL, true FROM kinds k WHERE k.kind = 'DEPUTY_CISO') s
			ORDER BY s.unit_id NULLS FIRST, s.kind`,
			fmt.Sprintf("%d年度 情報セキュリティ自己点検", fy), fy, checklist, starts, ends, managedTypes(), today); err != nil {
			return res, err
		}
		if err := exec("inspection answers", &res.Answers, `
			WITH a AS (
				SELECT s.id AS sheet_id, i.id AS item_id, s.status, s.unit_id, s.submitted_by,
					`+r("s.id * 100 + i.number", 31)+` AS x
				FROM inspection_sheets s
				JOIN inspection_campaigns c ON c.id = s.campaign_id AND c.checklist_id = $1 AND c.fiscal_year = $2
				JOIN inspection_items i ON i.checklist_id = $1
					AND CASE WHEN i.respondent = 'ISO_DEPT' THEN 'ISM_SECTION' ELSE i.respondent END = s.respondent),
			v AS (
				SELECT a.*, CASE WHEN a.status = 'open' AND a.x >= 0.5 THEN NULL
					WHEN a.x < 0.75 THEN 'compliant' WHEN a.x < 0.87 THEN 'partial' WHEN a.x < 0.92 THEN 'not_compliant'
					ELSE 'not_applicable' END AS answer
				FROM a)
			INSERT INTO inspection_answers (sheet_id, item_id, answer, measure, measure_due_on, answered_by, answered_at)
			SELECT v.sheet_id, v.item_id, v.answer,
				CASE WHEN v.answer IN ('partial', 'not_compliant') THEN '手順を見直し、課内で周知する。' ELSE '' END,
				CASE WHEN v.answer IN ('partial', 'not_compliant') THEN $3::date + 90 END,
				CASE WHEN v.answer IS NOT NULL THEN coalesce(v.submitted_by, `+fmt.Sprintf(unitUser, "v.unit_id")+`) END,
				CASE WHEN v.answer IS NOT NULL THEN $3::date + 10 + time '10:00' END
			FROM v ORDER BY v.sheet_id, v.item_id`, checklist, fy, starts); err != nil {
			return res, err
		}
		if err := count("inspection sheets", &res.SheetsSubmitted, `SELECT count(*) FROM inspection_sheets s
			JOIN inspection_campaigns c ON c.id = s.campaign_id WHERE c.fiscal_year = $1 AND s.status = 'submitted'`, fy); err != nil {
			return res, err
		}
	}

	// An internal audit reported about three months ago: a dozen units with assets, three
	// findings each, each answered by a corrective action with a due day; about a third verified,
	// the rest open or done, those of them past due overdue.
	audited := max(3, min(12, len(town.People)/200))
	var auditID int64
	if err := tx.QueryRow(ctx, `
		INSERT INTO security_audits (fiscal_year, kind, title, objective, planned_start, planned_end, actual_start,
			actual_end, report_on, status)
		VALUES (fiscal_year_of($1::date - 120), 'internal', '情報セキュリティ内部監査（試験データ）',
			'情報資産の管理と人的セキュリティの遵守状況', $1::date - 130, $1::date - 110, $1::date - 128, $1::date - 112,
			$1::date - 100, 'reported')
		RETURNING id`, today).Scan(&auditID); err != nil {
		return res, fmt.Errorf("bulk audit: %w", err)
	}
	if err := exec("audit", nil, `
		CREATE TEMP TABLE bulk_audit ON COMMIT DROP AS
		SELECT a.id, a.report_on, u.unit_id
		FROM security_audits a, (SELECT DISTINCT unit_id FROM asset_tallies WHERE n > 0
			AND unit_id IN (SELECT unit_id FROM bulk_staff)) u
		WHERE a.id = $1
		ORDER BY `+r("u.unit_id", 40)+` LIMIT $2`, auditID, audited); err != nil {
		return res, err
	}
	if err := exec("audit units", nil, `INSERT INTO security_audit_units (audit_id, unit_id) SELECT id, unit_id FROM bulk_audit`); err != nil {
		return res, err
	}
	if err := exec("auditors", nil, `
		INSERT INTO security_audit_auditors (audit_id, person_id, lead)
		SELECT $1::bigint, b.id, row_number() OVER (ORDER BY b.n) = 1
		FROM bulk_staff b WHERE b.emp = 'regular' AND b.valid_to IS NULL AND b.unit_id NOT IN (SELECT unit_id FROM bulk_audit)
		ORDER BY b.n LIMIT 2`, auditID); err != nil {
		return res, err
	}
	if err := exec("audit findings", &res.Findings, `
		INSERT INTO security_audit_findings (audit_id, number, title, description, severity, clause, unit_id)
		SELECT a.id, row_number() OVER (ORDER BY a.unit_id, f.k), f.title, f.title || '。（試験データ）',
			CASE WHEN `+r("a.unit_id * 10 + f.k", 41)+` < 0.15 THEN 'MAJOR' WHEN `+r("a.unit_id * 10 + f.k", 41)+` < 0.7 THEN 'MINOR' ELSE 'OBSERVATION' END,
			f.clause, a.unit_id
		FROM bulk_audit a CROSS JOIN (VALUES
			(1, '情報資産管理台帳の見直しが年度内に行われていない', '対策基準 第3条'),
			(2, '離席時の端末ロックが徹底されていない', '対策基準 第6条'),
			(3, '電磁的記録媒体の保管庫が施錠されていない', '対策基準 第5条')) f (k, title, clause)
		ORDER BY 2`); err != nil {
		return res, err
	}
	if err := exec("corrective actions", &res.Actions, `
		INSERT INTO security_audit_actions (finding_id, description, owner_id, due_on, status, done_on, done_note,
			verified_on, verify_note)
		SELECT f.id, '是正措置: ' || f.title, `+fmt.Sprintf(unitPerson, "f.unit_id")+`, d.due,
			d.status, CASE WHEN d.status IN ('done', 'verified') THEN least(d.due, $1::date) - 3 END,
			CASE WHEN d.status IN ('done', 'verified') THEN '措置を完了した。' ELSE '' END,
			CASE WHEN d.status = 'verified' THEN least(d.due, $1::date) END,
			CASE WHEN d.status = 'verified' THEN '確認した。' ELSE '' END
		FROM security_audit_findings f JOIN bulk_audit a ON a.id = f.audit_id AND a.unit_id = f.unit_id,
			LATERAL (SELECT a.report_on + (ARRAY[30, 60, 90, 180])[1 + f.id % 4] AS due,
				CASE WHEN `+r("f.id", 42)+` < 0.35 THEN 'verified' WHEN `+r("f.id", 42)+` < 0.5 THEN 'done'
					WHEN `+r("f.id", 42)+` < 0.55 THEN 'reopened' ELSE 'open' END AS status) d
		ORDER BY f.id`, today); err != nil {
		return res, err
	}
	if err := count("corrective actions", &res.ActionsOverdue, `SELECT count(*) FROM security_audit_actions x
		JOIN security_audit_findings f ON f.id = x.finding_id WHERE f.audit_id IN (SELECT id FROM bulk_audit)
		AND x.status IN ('open', 'reopened') AND x.due_on < $1`, today); err != nil {
		return res, err
	}

	// Requests waiting for the 管理者: transport, provision or disposal of assets in use at 2以上,
	// each asked by an account of the asset's unit, spread along the register.
	if town.Requests > 0 {
		var total int64
		if err := tx.QueryRow(ctx, `SELECT coalesce(max(id) - min(id) + 1, 0) FROM assets`).Scan(&total); err != nil {
			return res, err
		}
		step := max(1, total/int64(town.Requests*2))
		if err := exec("asset requests", &res.Requests, `
			WITH picked AS (
				SELECT a.id, a.unit_id, a.c_rank FROM assets a
				WHERE a.status = 'in_use' AND a.c_rank >= $3 AND a.id % $2 = 0
				ORDER BY a.id LIMIT $1),
			k AS (
				SELECT p.*, (ARRAY['transport', 'transport', 'provide', 'dispose'])[1 + p.id % 4] AS kind FROM picked p)
			INSERT INTO asset_requests (asset_id, kind, detail, method, planned_on, needs_approval, requested_by, requested_at)
			SELECT k.id, k.kind,
				CASE k.kind WHEN 'transport' THEN '本庁舎から北部支所への運搬' WHEN 'provide' THEN '県への照会回答として提供'
					ELSE '保存期間満了による廃棄' END,
				CASE k.kind WHEN 'dispose' THEN '' ELSE '施錠できる鞄で運搬し、電子データは暗号化する' END,
				$4::date + 7 + (k.id % 14)::int, true, `+fmt.Sprintf(unitUser, "k.unit_id")+`,
				$4::date - (k.id % 20)::int + time '10:00'
			FROM k ORDER BY k.id`, town.Requests, step, isms.ThresholdRank, today); err != nil {
			return res, err
		}
	}

	// The year's ledger confirmation (棚卸) of about half the units with assets, with the counts
	// of the day.
	if err := exec("ledger confirmations", &res.LedgerConfirmations, `
		INSERT INTO ledger_confirmations (unit_id, fiscal_year, confirmed_by, confirmed_at, note, asset_count, overdue_count)
		SELECT t.unit_id, $2, `+fmt.Sprintf(unitUser, "t.unit_id")+`, $1::date - 5 + time '16:00', '台帳を確認した。（試験データ）',
			t.n, least(t.n, coalesce((SELECT sum(n) FROM asset_review_tallies r WHERE r.unit_id = t.unit_id AND r.review_due < $1), 0))
		FROM (SELECT unit_id, sum(n)::int AS n FROM asset_tallies GROUP BY unit_id HAVING sum(n) > 0) t
		WHERE `+r("t.unit_id", 50)+` < 0.5 AND t.unit_id IN (SELECT unit_id FROM bulk_staff WHERE user_id IS NOT NULL)
		ORDER BY t.unit_id
		ON CONFLICT (unit_id, fiscal_year) DO NOTHING`, today, fy); err != nil {
		return res, err
	}
	return res, nil
}
