package postgres_test

import (
	"context"
	"maps"
	"slices"
	"testing"
	"time"

	"github.com/jichitai-isms/isms/internal/isms"
)

// dashTown is the incident town with records in every register the dashboards count, on
// 2026-11-25 (fiscal year 2026):
//
//	税務課     assets: 住民税課税台帳 (3B, マイナンバー利用事務系), a notice 再分類要確認 whose review
//	           was due on 1 October, a disposed notice (not counted); a pending request to
//	           provide the ledger; an open incident of severity 2 with 150 residents' data
//	           noticed on 1 November (速報 overdue since 6 November, 確報 due 1 December); an
//	           audit finding whose corrective action was due on 1 November and one not yet due;
//	           the self-inspection sheet open with 2 of 3 answered (1 実施, 1 未実施); a contract
//	           missing clauses.
//	           and a report of 24 November not judged yet (the reporter's unit).
//	住民生活課 one notice (LGWAN), the ledger confirmed for 2026, the sheet submitted (2 実施,
//	           1 該当なし), a closed incident, an external service awaiting its decision.
//	税務課 and 総務部 have their 管理者 / 責任者; 住民税係 and 総務課 have no 情報セキュリティ管理者.
type dashTown struct {
	*incTown
	ledger, notice isms.Asset
}

func newDashTown(t *testing.T) *dashTown {
	t.Helper()
	ctx := context.Background()
	tw := &dashTown{incTown: newIncTown(t)}
	a := &assetTown{town: tw.town}
	ledger := a.ledger()
	tw.ledger, _ = a.create(t, tw.office, ledger)
	notice := a.notice("税務課からのお知らせ", tw.tax)
	notice.ReviewDue = at("2026-10-01")
	tw.notice, _ = a.create(t, tw.office, notice)
	disposed, _ := a.create(t, tw.office, a.notice("廃棄した通知", tw.tax))
	a.exec(t, `UPDATE assets SET status = 'disposed' WHERE id = $1`, disposed.ID)
	life := a.notice("住民生活課の掲示", tw.life)
	life.Zone = isms.ZoneLGWAN
	a.create(t, tw.office, life)
	a.exec(t, `UPDATE assets SET reclassify = true WHERE id = $1`, tw.notice.ID)
	if _, err := tw.db.ConfirmLedger(ctx, tw.lifeManager, tw.life.ID, day(incToday).Add(time.Hour), ""); err != nil {
		t.Fatal(err)
	}
	a.exec(t, `INSERT INTO asset_requests (asset_id, kind, detail, needs_approval, requested_by)
		VALUES ($1, 'provide', '県への提供', true, $2)`, tw.ledger.ID, tw.reporter.UserID)

	severe := tw.report(t, tw.reporter, "課税通知の誤送信", day("2026-11-01"))
	subjects, severity := 150, isms.SeverityMajor
	tw.triage(t, tw.office, severe, func(in *isms.IncidentTriage) {
		in.Severity, in.PISubjects, in.UnitIDs = &severity, &subjects, []int64{tw.tax.ID}
	})
	tw.report(t, tw.reporter, "不審なメールを開いた", day("2026-11-24")) // not judged yet
	closed := tw.triage(t, tw.office, tw.report(t, tw.otherStaff, "窓口での書類の置き忘れ", day("2026-10-01")),
		func(in *isms.IncidentTriage) { in.UnitIDs = []int64{tw.life.ID} })
	a.exec(t, `UPDATE incidents SET status = 'closed', closed_at = now() WHERE id = $1`, closed.ID)

	a.exec(t, `INSERT INTO security_audits (fiscal_year, kind, title, planned_start, planned_end, status)
		VALUES (2026, 'internal', '令和8年度 内部監査', '2026-09-01', '2026-09-30', 'reported')`)
	a.exec(t, `INSERT INTO security_audit_findings (audit_id, number, title, description, severity, unit_id)
		VALUES ((SELECT max(id) FROM security_audits), 1, 'USBメモリの管理', '持出記録がない', 'MINOR', $1)`, tw.tax.ID)
	a.exec(t, `INSERT INTO security_audit_actions (finding_id, description, owner_id, due_on)
		VALUES ((SELECT max(id) FROM security_audit_findings), '持出簿を整備する', $1, '2026-11-01'),
			((SELECT max(id) FROM security_audit_findings), '研修を行う', $1, '2026-12-15')`, tw.kato.ID)

	a.exec(t, `INSERT INTO inspection_campaigns (name, fiscal_year, checklist_id, starts_on, ends_on, status)
		VALUES ('令和8年度 自己点検', 2026, (SELECT min(id) FROM inspection_checklists), '2026-10-01', '2026-12-31', 'open')`)
	a.exec(t, `INSERT INTO inspection_sheets (campaign_id, respondent, unit_id, status, submitted_at)
		VALUES ((SELECT max(id) FROM inspection_campaigns), 'ISM_SECTION', $1, 'open', NULL),
			((SELECT max(id) FROM inspection_campaigns), 'ISM_SECTION', $2, 'submitted', now())`, tw.tax.ID, tw.life.ID)
	answer := func(unit int64, item int, answer string) {
		a.exec(t, `INSERT INTO inspection_answers (sheet_id, item_id, answer, measure, measure_due_on)
			SELECT s.id, (SELECT id FROM inspection_items ORDER BY id OFFSET $2 LIMIT 1), $3,
				CASE WHEN $3 = 'not_compliant' THEN '手順書を作る' ELSE '' END,
				CASE WHEN $3 = 'not_compliant' THEN date '2027-01-31' END
			FROM inspection_sheets s WHERE s.unit_id = $1`, unit, item, answer)
	}
	answer(tw.tax.ID, 0, "compliant")
	answer(tw.tax.ID, 1, "not_compliant")
	a.exec(t, `INSERT INTO inspection_answers (sheet_id, item_id)
		SELECT s.id, (SELECT id FROM inspection_items ORDER BY id OFFSET 2 LIMIT 1) FROM inspection_sheets s WHERE s.unit_id = $1`, tw.tax.ID)
	answer(tw.life.ID, 0, "compliant")
	answer(tw.life.ID, 1, "compliant")
	answer(tw.life.ID, 2, "not_applicable")

	tw.contract(t, tw.office, contractOf(tw.tax.ID, "2027-03-31"))
	ext := &extTown{town: tw.town}
	service := ext.request("電子申請サービス", "LGC1")
	service.UnitID, service.UsersScope = tw.life.ID, "住民生活課職員"
	ext.create(t, tw.otherStaff, service)
	a.exec(t, `INSERT INTO policy_documents (kind, title, visibility) VALUES ('standards', '情報セキュリティ対策基準', 'internal')`)
	a.exec(t, `INSERT INTO policy_reviews (document_id, reviewer_id, due_on, reason)
		VALUES ((SELECT max(id) FROM policy_documents), $1, '2026-11-01', 'scheduled')`, tw.office.UserID)
	return tw
}

// unitOf returns the measures of unit in d.
func unitOf(t *testing.T, d isms.Dashboard, unit isms.Unit) isms.UnitMeasures {
	t.Helper()
	for _, m := range d.Units {
		if m.UnitID == unit.ID {
			return m
		}
	}
	t.Fatalf("unit %s not on the dashboard", unit.Name)
	return isms.UnitMeasures{}
}

// Each figure of the CISO's dashboard is what the records of the town say, counted by hand.
func TestDashboardFigures(t *testing.T) {
	ctx := context.Background()
	tw := newDashTown(t)
	d, err := tw.db.FindDashboard(ctx, tw.ciso, isms.DashboardFilter{FiscalYear: 2026})
	if err != nil {
		t.Fatal(err)
	}
	if len(d.Units) != 6 || !d.Day.Equal(day(incToday)) {
		t.Fatalf("%d units on %v, want the 6 units on %s", len(d.Units), d.Day, incToday)
	}
	tax, life, general := unitOf(t, d, tw.tax), unitOf(t, d, tw.life), unitOf(t, d, tw.general)
	type figures struct {
		Assets, Flagged, ReviewOverdue int
		Ledger                         bool
		Open, Severe, PPCOverdue       int
		Corrective, Approvals          int
		Sheets, Submitted, Score       int
		Vacant, Contracts, Services    int
	}
	of := func(m isms.UnitMeasures) figures {
		return figures{m.Assets, m.Flagged, m.ReviewOverdue, m.LedgerConfirmed, m.OpenIncidents, m.SevereIncidents,
			m.PPCOverdue, m.CorrectiveOverdue, m.ApprovalsWaiting, m.InspectionSheets, m.InspectionSubmitted,
			m.InspectionScore, m.VacantRoles, m.ContractsAttention, m.ServicesAttention}
	}
	for _, c := range []struct {
		name string
		got  isms.UnitMeasures
		want figures
	}{
		{"税務課", tax, figures{Assets: 2, Flagged: 1, ReviewOverdue: 1, Open: 2, Severe: 1, PPCOverdue: 1, Corrective: 1,
			Approvals: 1, Sheets: 1, Score: 50, Contracts: 1}},
		{"住民生活課", life, figures{Assets: 1, Ledger: true, Sheets: 1, Submitted: 1, Score: 100, Services: 1}},
		{"総務課", general, figures{Score: -1, Vacant: 1}},
	} {
		if got := of(c.got); got != c.want {
			t.Errorf("%s: %+v\nwant %+v", c.name, got, c.want)
		}
	}
	// The states the heat map shows.
	for _, c := range []struct {
		m    isms.UnitMeasures
		x    isms.Measure
		want isms.State
	}{
		{tax, isms.MeasureFlagged, isms.StateWatch},
		{tax, isms.MeasureReview, isms.StateAct}, // 1 of 2 assets
		{tax, isms.MeasureLedger, isms.StateWatch},
		{tax, isms.MeasureIncidents, isms.StateAct},
		{tax, isms.MeasureOverdue, isms.StateAct},
		{tax, isms.MeasureInspection, isms.StateWatch},
		{life, isms.MeasureLedger, isms.StateGood},
		{life, isms.MeasureIncidents, isms.StateGood},
		{life, isms.MeasureOutsourcing, isms.StateWatch},
		{general, isms.MeasureLedger, isms.StateNone},
		{general, isms.MeasureInspection, isms.StateNone},
		{general, isms.MeasureRoles, isms.StateAct},
	} {
		if got := c.m.State(c.x); got != c.want {
			t.Errorf("%s %s: %v, want %v", c.m.UnitName, c.x, got, c.want)
		}
	}
	// Training required of the seeded catalogue, nobody trained yet: 税務課 the annual course and the
	// phishing drill for its 2 people, the managers' course and the incident drill for its 管理者
	// (6); 住民生活課 the same for its 3 people and its 管理者, the CSIRT course and the incident
	// drill for its CSIRT member (10).
	if tax.TrainingRequired != 6 || tax.TrainingDone != 0 || life.TrainingRequired != 10 || tax.State(isms.MeasureTraining) != isms.StateAct {
		t.Errorf("training 税務課 %d/%d, 住民生活課 %d/%d", tax.TrainingDone, tax.TrainingRequired, life.TrainingDone, life.TrainingRequired)
	}
	if w, s := tax.Worst(); w != isms.MeasureReview || s != isms.StateAct {
		t.Errorf("税務課's worst measure %s (%v), want review (act)", w, s)
	}
	if d.Total.Assets != 3 || d.Total.Flagged != 1 || d.Total.OpenIncidents != 2 || d.Total.LedgerConfirmed {
		t.Errorf("total %+v", d.Total)
	}
	matrix := map[string]int{}
	for _, c := range d.AssetMatrix {
		matrix[c.Level+"/"+string(c.Zone)] = c.Count
	}
	if want := map[string]int{"LGC3B/MYNUMBER": 1, "LGC1/": 1, "LGC1/LGWAN": 1}; !maps.Equal(matrix, want) {
		t.Errorf("assets by level and zone %v, want %v", matrix, want)
	}
	if !slices.Equal(d.OpenBySeverity, []isms.StatCount{{Key: "2", Count: 1}, {Key: "", Count: 1}}) || d.PPCOverdue != 1 || d.PPCDueSoon != 1 {
		t.Errorf("open incidents %v, PPC overdue %d, due soon %d", d.OpenBySeverity, d.PPCOverdue, d.PPCDueSoon)
	}
	if d.ReviewsOverdue != 1 {
		t.Errorf("policy reviews overdue %d, want 1", d.ReviewsOverdue)
	}

	// The tallies follow every change: the ledger disposed, the notice moved to 住民生活課.
	a := &assetTown{town: tw.town}
	a.exec(t, `UPDATE assets SET status = 'disposed' WHERE id = $1`, tw.ledger.ID)
	a.exec(t, `UPDATE assets SET unit_id = $1 WHERE id = $2`, tw.life.ID, tw.notice.ID)
	if d, err = tw.db.FindDashboard(ctx, tw.ciso, isms.DashboardFilter{FiscalYear: 2026}); err != nil {
		t.Fatal(err)
	}
	if tax, life = unitOf(t, d, tw.tax), unitOf(t, d, tw.life); tax.Assets != 0 || life.Assets != 2 || life.Flagged != 1 ||
		life.ReviewOverdue != 1 || d.Total.Assets != 2 {
		t.Errorf("after the changes: 税務課 %d assets, 住民生活課 %d (%d flagged, %d overdue), total %d",
			tax.Assets, life.Assets, life.Flagged, life.ReviewOverdue, d.Total.Assets)
	}
}

// A 管理者 sees the figures of the units they manage and no other; a unit's dashboard covers the
// unit and its sub-units.
func TestDashboardScope(t *testing.T) {
	ctx := context.Background()
	tw := newDashTown(t)
	d, err := tw.db.FindDashboard(ctx, tw.lifeManager, isms.DashboardFilter{FiscalYear: 2026})
	if err != nil {
		t.Fatal(err)
	}
	if len(d.Units) != 1 || d.Units[0].UnitID != tw.life.ID || d.Total.OpenIncidents != 0 || len(d.OpenBySeverity) != 0 ||
		d.Total.Assets != 1 {
		t.Errorf("住民生活課's 管理者 sees %+v", d.Units)
	}
	if d, err = tw.db.FindDashboard(ctx, tw.lifeManager, isms.DashboardFilter{FiscalYear: 2026, UnitID: tw.tax.ID}); err != nil {
		t.Fatal(err)
	}
	if len(d.Units) != 0 || d.Total.Assets != 0 {
		t.Errorf("住民生活課's 管理者 sees 税務課's figures: %+v", d.Units)
	}
	// 総務部 with its sub-units, as the CISO reads it: 総務部, 税務課, 住民税係, 総務課.
	if d, err = tw.db.FindDashboard(ctx, tw.ciso, isms.DashboardFilter{FiscalYear: 2026, UnitID: tw.dept.ID}); err != nil {
		t.Fatal(err)
	}
	var codes []string
	for _, m := range d.Units {
		codes = append(codes, m.UnitCode)
	}
	if !slices.Equal(codes, []string{"110", "111", "1111", "112"}) || d.Total.Assets != 2 {
		t.Errorf("総務部's dashboard covers %v with %d assets", codes, d.Total.Assets)
	}
	// A past year is judged on its last day: nothing of fiscal 2025 was confirmed or inspected.
	if d, err = tw.db.FindDashboard(ctx, tw.ciso, isms.DashboardFilter{FiscalYear: 2025}); err != nil {
		t.Fatal(err)
	}
	if life := unitOf(t, d, tw.life); !d.Day.Equal(day("2026-03-31")) || life.LedgerConfirmed || life.InspectionSheets != 0 {
		t.Errorf("fiscal 2025 on %v: %+v", d.Day, life)
	}
}
