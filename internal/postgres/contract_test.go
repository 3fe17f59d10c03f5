package postgres_test

import (
	"context"
	"slices"
	"strings"
	"testing"

	"github.com/jichitai-isms/isms/internal/isms"
)

// The contract tests act in the incident tests' town on 2026-11-25: 税務課 (sato, staff; kato, its
// 管理者), 住民生活課 (yamada, staff; suzuki, its 管理者), the security office and an auditor.

// contractOf is a contract of 税務課 with 株式会社北日本システム, its next check due on checkDue.
func contractOf(unit int64, checkDue string) isms.ContractInput {
	return isms.ContractInput{ContractorName: "株式会社北日本システム", UnitID: unit, Title: "税務システム保守業務委託",
		PeriodFrom: at("2026-04-01"), PeriodTo: at("2027-03-31"), Scope: "税務システムの保守・運用",
		PersonalData: isms.PersonalDataMyNumber, NextCheckDue: at(checkDue)}
}

func (tw *incTown) contract(t *testing.T, who isms.Actor, in isms.ContractInput) isms.Contract {
	t.Helper()
	c, err := tw.db.CreateContract(context.Background(), who, in)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// trailOf lists the audit actions recorded for a record, oldest first, each one the viewer lists.
func (tw *incTown) trailOf(t *testing.T, entity string, id int64) []string {
	t.Helper()
	events, _, err := tw.db.FindAuditEvents(context.Background(), office, isms.AuditFilter{EntityType: entity, EntityID: idStr(id), Limit: 100})
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, e := range slices.Backward(events) {
		if !slices.Contains(isms.AuditActions, e.Action) || !slices.Contains(isms.AuditEntityTypes, e.EntityType) {
			t.Errorf("trail event %s on %s is not listed for the viewer", e.Action, e.EntityType)
		}
		out = append(out, e.Action)
	}
	return out
}

// allClausesBut ticks every clause except those named.
func allClausesBut(version int, missing ...int) isms.ContractClausesInput {
	in := isms.ContractClausesInput{Version: version}
	for n := 1; n <= isms.ContractClauseCount; n++ {
		in.Clauses = append(in.Clauses, isms.ContractClause{Clause: n, Included: !slices.Contains(missing, n)})
	}
	return in
}

// A new contract has its 13 clauses missing; ticking 12 leaves the 13th missing, and the list's
// 要対応 filter finds it for that reason until it is ticked too. The contractor is registered by
// name once and chosen by the same name after.
func TestContractClausesAndAttention(t *testing.T) {
	tw := newIncTown(t)
	ctx := context.Background()
	c := tw.contract(t, tw.reporter, contractOf(tw.tax.ID, "2027-03-01"))
	if c.Number != "K-00001" || len(c.Missing()) != 13 || len(c.Clauses) != 13 {
		t.Fatalf("new contract %s: missing %v of %d clauses", c.Number, c.Missing(), len(c.Clauses))
	}
	c, err := tw.db.SaveContractClauses(ctx, tw.reporter, c.ID, allClausesBut(c.Version, 9))
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(c.Missing(), []int{9}) || !slices.Equal(c.Issues(day(incToday)), []string{"clauses"}) {
		t.Errorf("after ticking 12: missing %v, issues %v", c.Missing(), c.Issues(day(incToday)))
	}
	other := tw.contract(t, tw.reporter, contractOf(tw.tax.ID, "2027-03-01"))
	if other.ContractorID != c.ContractorID {
		t.Errorf("the same name registered a second contractor")
	}
	if _, err := tw.db.SaveContractClauses(ctx, tw.reporter, other.ID, allClausesBut(other.Version)); err != nil {
		t.Fatal(err)
	}
	list, _, err := tw.db.FindContracts(ctx, tw.reporter, isms.ContractFilter{Attention: true})
	if err != nil {
		t.Fatal(err)
	}
	if len(list) != 1 || list[0].ID != c.ID {
		t.Fatalf("要対応 lists %v, want only %s", list, c.Number)
	}
	if _, err := tw.db.SaveContractClauses(ctx, tw.reporter, c.ID, allClausesBut(c.Version)); err != nil {
		t.Fatal(err)
	}
	if list, _, _ = tw.db.FindContracts(ctx, tw.reporter, isms.ContractFilter{Attention: true}); len(list) != 0 {
		t.Errorf("要対応 still lists %d contracts with every clause ticked", len(list))
	}
}

// Another unit's staff do not find the contract (404); the security office and auditors read it;
// only the unit's 管理者 or the security office record a check, and an auditor, who reads, may not
// change it (403).
func TestContractScope(t *testing.T) {
	tw := newIncTown(t)
	ctx := context.Background()
	c := tw.contract(t, tw.reporter, contractOf(tw.tax.ID, "2027-03-01"))
	if _, err := tw.db.FindContract(ctx, tw.otherStaff, c.ID); isms.ErrorCode(err) != isms.ENOTFOUND {
		t.Errorf("another unit's staff: %v, want not found", err)
	}
	if list, _, _ := tw.db.FindContracts(ctx, tw.otherStaff, isms.ContractFilter{}); len(list) != 0 {
		t.Errorf("another unit's staff lists %d contracts", len(list))
	}
	for _, who := range []isms.Actor{tw.office, tw.auditor, tw.taxManager} {
		if _, err := tw.db.FindContract(ctx, who, c.ID); err != nil {
			t.Errorf("%s cannot read the contract: %v", who.Label, err)
		}
	}
	check := isms.ContractCheckInput{CheckedOn: at("2026-11-20"), Method: isms.CheckOnsite, Result: isms.CheckConforming, NextDue: at("2027-05-20")}
	if err := tw.db.AddContractCheck(ctx, tw.otherStaff, c.ID, check); isms.ErrorCode(err) != isms.ENOTFOUND {
		t.Errorf("another unit's staff records a check: %v", err)
	}
	if err := tw.db.AddContractCheck(ctx, tw.reporter, c.ID, check); isms.ErrorCode(err) != isms.EFORBIDDEN {
		t.Errorf("the unit's staff (not its 管理者) records a check: %v", err)
	}
	if _, err := tw.db.UpdateContract(ctx, tw.auditor, c.ID, contractOf(tw.tax.ID, "2027-03-01")); isms.ErrorCode(err) != isms.EFORBIDDEN {
		t.Errorf("an auditor changes the contract: %v", err)
	}
	if err := tw.db.AddContractCheck(ctx, tw.taxManager, c.ID, check); err != nil {
		t.Fatal(err)
	}
	got, err := tw.db.FindContract(ctx, tw.office, c.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(got.Checks) != 1 || got.Checks[0].CheckedBy != tw.taxManager.UserID || dayOf(got.NextCheckDue) != "2027-05-20" {
		t.Errorf("after the check: %+v, next %s", got.Checks, dayOf(got.NextCheckDue))
	}
	bad := check
	bad.Result, bad.NextDue = isms.CheckImprovement, at("2026-11-01")
	fe := fieldErrors(tw.db.AddContractCheck(ctx, tw.office, c.ID, bad))
	if fe["findings"] != "contract.error.findings" || fe["next_due"] != "contract.error.next_due" {
		t.Errorf("an improvement without findings, next due before: %v", fe)
	}
}

// A stale edit is refused as a conflict and changes nothing; every change is in the audit trail
// under the contract.
func TestContractConflictAndTrail(t *testing.T) {
	tw := newIncTown(t)
	ctx := context.Background()
	c := tw.contract(t, tw.reporter, contractOf(tw.tax.ID, "2027-03-01"))
	in := contractOf(tw.tax.ID, "2027-03-01")
	in.Title, in.Version = "税務システム保守（変更）", c.Version
	if _, err := tw.db.UpdateContract(ctx, tw.reporter, c.ID, in); err != nil {
		t.Fatal(err)
	}
	stale := in
	stale.Title = "古い画面からの変更"
	if _, err := tw.db.UpdateContract(ctx, tw.office, c.ID, stale); isms.ErrorCode(err) != isms.ECONFLICT {
		t.Fatalf("stale edit: %v, want conflict", err)
	}
	if _, err := tw.db.SaveContractClauses(ctx, tw.reporter, c.ID, allClausesBut(c.Version)); isms.ErrorCode(err) != isms.ECONFLICT {
		t.Errorf("stale checklist: %v, want conflict", err)
	}
	got, _ := tw.db.FindContract(ctx, tw.office, c.ID)
	if got.Title != "税務システム保守（変更）" || len(got.Missing()) != 13 {
		t.Errorf("a stale edit changed the record: %q, missing %v", got.Title, got.Missing())
	}
	if err := tw.db.AddContractReport(ctx, tw.reporter, c.ID, isms.ContractReportInput{Period: "令和8年10月分", ReceivedOn: at("2026-11-10")}); err != nil {
		t.Fatal(err)
	}
	end := isms.ContractEndInput{EndedOn: at("2026-11-20"), ReturnedOn: at("2026-11-24"), ReturnMethod: "媒体を返却", Version: got.Version + 1,
		Certificate: []byte("%PDF-1.7\n"), CertificateName: "返却証明書.pdf"}
	if got, err := tw.db.EndContract(ctx, tw.reporter, c.ID, end); err != nil || got.Status != isms.ContractEnded || got.Unreturned() {
		t.Fatalf("end: %v %+v", err, got)
	}
	if name, content, err := tw.db.FindContractCertificate(ctx, tw.taxManager, c.ID); err != nil || name != "返却証明書.pdf" || string(content) != "%PDF-1.7\n" {
		t.Errorf("certificate: %q %q %v", name, content, err)
	}
	events, _, err := tw.db.FindAuditEvents(ctx, office, isms.AuditFilter{EntityType: "contract", EntityID: idStr(c.ID), Action: "contract.report"})
	if err != nil || len(events) != 1 || !strings.Contains(string(events[0].After), "令和8年10月分") {
		t.Errorf("the trail does not hold the report received: %v %d", err, len(events))
	}
	want := []string{"contract.create", "contract.update", "contract.report", "contract.end"}
	if got := tw.trailOf(t, "contract", c.ID); !slices.Equal(got, want) {
		t.Errorf("trail %v, want %v", got, want)
	}
	if got := tw.trailOf(t, "contractor", c.ContractorID); !slices.Equal(got, []string{"contractor.create"}) {
		t.Errorf("contractor trail %v", got)
	}
}

// The tasks: the 管理者 of 税務課 has the check due within 30 days, the missing clauses and the
// overdue report of its contract, not another unit's; the unit's page has the same; an ended
// contract without return confirmed is a task until it is confirmed. The security office's
// attention covers every unit.
func TestContractTasks(t *testing.T) {
	tw := newIncTown(t)
	ctx := context.Background()
	in := contractOf(tw.tax.ID, "2026-12-10") // within 30 days of 2026-11-25
	in.ReportEveryMonths, in.NextReportDue = 1, at("2026-11-10")
	c := tw.contract(t, tw.reporter, in)
	far := tw.contract(t, tw.otherStaff, contractOf(tw.life.ID, "2027-06-01"))
	if _, err := tw.db.SaveContractClauses(ctx, tw.otherStaff, far.ID, allClausesBut(far.Version)); err != nil {
		t.Fatal(err)
	}
	kinds := func(tasks []isms.Task) []string {
		var out []string
		for _, task := range tasks {
			out = append(out, task.Kind+" "+task.Title)
		}
		slices.Sort(out)
		return out
	}
	title := c.Number + " " + c.Title
	want := []string{"contract_check " + title, "contract_clauses " + title, "contract_report " + title}
	mine, err := tw.db.FindContractTasks(ctx, tw.taxManager, 0)
	if err != nil {
		t.Fatal(err)
	}
	if got := kinds(mine); !slices.Equal(got, want) {
		t.Errorf("the 管理者's tasks %v, want %v", got, want)
	}
	if got, _ := tw.db.FindContractTasks(ctx, tw.lifeManager, 0); len(got) != 0 {
		t.Errorf("住民生活課's 管理者 has %v (its check is months away, its clauses complete)", kinds(got))
	}
	if _, err := tw.db.FindContractTasks(ctx, tw.otherStaff, tw.tax.ID); isms.ErrorCode(err) != isms.ENOTFOUND {
		t.Errorf("another unit's tasks: %v", err)
	}
	if got, _ := tw.db.FindContractTasks(ctx, tw.reporter, tw.tax.ID); !slices.Equal(kinds(got), want) {
		t.Errorf("the unit's tasks %v", kinds(got))
	}
	// The report received moves the next due a month on from the one it answers.
	if err := tw.db.AddContractReport(ctx, tw.reporter, c.ID, isms.ContractReportInput{Period: "令和8年10月分",
		DueOn: at("2026-11-10"), ReceivedOn: at("2026-11-20")}); err != nil {
		t.Fatal(err)
	}
	got, _ := tw.db.FindContract(ctx, tw.reporter, c.ID)
	if dayOf(got.NextReportDue) != "2026-12-10" {
		t.Errorf("next report due %s, want 2026-12-10", dayOf(got.NextReportDue))
	}
	if _, err := tw.db.EndContract(ctx, tw.reporter, c.ID, isms.ContractEndInput{EndedOn: at("2026-11-24"), Version: got.Version}); err != nil {
		t.Fatal(err)
	}
	if got, _ := tw.db.FindContractTasks(ctx, tw.taxManager, 0); !slices.Equal(kinds(got), []string{"contract_return " + title}) {
		t.Errorf("after the end without return: %v", kinds(got))
	}
	all, err := tw.db.FindContractAttention(ctx, tw.office)
	if err != nil {
		t.Fatal(err)
	}
	if len(all) != 1 || all[0].Kind != "contract_return" {
		t.Errorf("the office's attention: %v", kinds(all))
	}
}

// Only an incident the actor sees can be linked; the contract's readers see the linked incidents
// they may see and only a count of the others.
func TestContractIncidentLinking(t *testing.T) {
	tw := newIncTown(t)
	ctx := context.Background()
	c := tw.contract(t, tw.reporter, contractOf(tw.tax.ID, "2027-03-01"))
	own := tw.report(t, tw.reporter, "委託先作業員による誤送信", incAt("2026-11-20 10:00"))
	foreign := tw.report(t, tw.otherStaff, "住民生活課の紛失", incAt("2026-11-21 10:00"))
	fe := fieldErrors(tw.db.LinkContractIncident(ctx, tw.reporter, c.ID, foreign.Number))
	if fe["incident_number"] != "contract.error.incident_not_found" {
		t.Errorf("linking an incident the actor does not see: %v", fe)
	}
	if err := tw.db.LinkContractIncident(ctx, tw.reporter, c.ID, own.Number); err != nil {
		t.Fatal(err)
	}
	if fe := fieldErrors(tw.db.LinkContractIncident(ctx, tw.reporter, c.ID, own.Number)); fe["incident_number"] != "contract.error.incident_linked" {
		t.Errorf("linking twice: %v", fe)
	}
	// The security office sees every incident and links the other unit's too.
	if err := tw.db.LinkContractIncident(ctx, tw.office, c.ID, foreign.Number); err != nil {
		t.Fatal(err)
	}
	got, err := tw.db.FindContract(ctx, tw.reporter, c.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(got.Incidents) != 1 || got.Incidents[0].Code != own.Number || got.HiddenIncidents != 1 {
		t.Errorf("the reporter sees %v and %d hidden", got.Incidents, got.HiddenIncidents)
	}
	if err := tw.db.UnlinkContractIncident(ctx, tw.reporter, c.ID, foreign.ID); isms.ErrorCode(err) != isms.ENOTFOUND {
		t.Errorf("unlinking an incident the actor does not see: %v", err)
	}
	if got := tw.trailOf(t, "contract", c.ID); !slices.Equal(got, []string{"contract.create", "contract.link_incident", "contract.link_incident"}) {
		t.Errorf("trail %v", got)
	}
}
