package isms

import (
	"errors"
	"testing"
	"time"
)

func saDay(s string) *time.Time {
	d, err := time.Parse(time.DateOnly, s)
	if err != nil {
		panic(err)
	}
	return &d
}

// The audit form's rules: a contractor's audit names the contractor, an external one its firm
// (which may then lead instead of a person); dates in order and in the fiscal year; the status
// follows the dates recorded; the lead is not also a member.
func TestSecurityAuditInputRules(t *testing.T) {
	base := func() SecurityAuditInput {
		return SecurityAuditInput{FiscalYear: 2026, Kind: AuditInternal, Title: "内部監査", UnitIDs: []int64{3, 3, 0},
			LeadID: 7, MemberIDs: []int64{7, 9}, PlannedStart: saDay("2026-11-16"), PlannedEnd: saDay("2026-11-20")}
	}
	in := base()
	in.Normalize()
	if fe := in.Validate(); len(fe) != 0 {
		t.Fatalf("valid form refused: %v", fe)
	}
	if len(in.UnitIDs) != 1 || len(in.MemberIDs) != 1 || in.Status != AuditPlanned {
		t.Errorf("normalised: %+v", in)
	}
	cases := []struct {
		name, field string
		change      func(*SecurityAuditInput)
	}{
		{"contractor unnamed", "contractor_name", func(in *SecurityAuditInput) { in.Kind = AuditContractor }},
		{"external without firm", "auditor_firm", func(in *SecurityAuditInput) { in.Kind = AuditExternal }},
		{"internal without lead", "lead_id", func(in *SecurityAuditInput) { in.LeadID = 0; in.AuditorFirm = "監査法人" }},
		{"end before start", "planned_end", func(in *SecurityAuditInput) { in.PlannedEnd = saDay("2026-11-01") }},
		{"other fiscal year", "planned_start", func(in *SecurityAuditInput) { in.FiscalYear = 2025 }},
		{"in progress not started", "actual_start", func(in *SecurityAuditInput) { in.Status = AuditInProgress }},
		{"reported without report", "report_on", func(in *SecurityAuditInput) { in.Status = AuditReported }},
		{"report before fieldwork ended", "report_on", func(in *SecurityAuditInput) {
			in.ActualStart, in.ActualEnd, in.ReportOn = saDay("2026-11-16"), saDay("2026-11-20"), saDay("2026-11-19")
		}},
	}
	for _, c := range cases {
		in := base()
		c.change(&in)
		in.Normalize()
		if fe := in.Validate(); fe[c.field] == "" {
			t.Errorf("%s: no error on %s (%v)", c.name, c.field, fe)
		}
	}
	in = base()
	in.Kind, in.LeadID, in.AuditorFirm = AuditExternal, 0, "○○監査法人"
	in.Normalize()
	if fe := in.Validate(); len(fe) != 0 {
		t.Errorf("external audit led by its firm: %v", fe)
	}
	in = base()
	in.ActualStart, in.ActualEnd = saDay("2026-11-10"), saDay("2026-11-27")
	if from, to := in.Period(); !from.Equal(*in.ActualStart) || !to.Equal(*in.ActualEnd) {
		t.Errorf("period %v–%v", from, to)
	}
}

// The independence refusal is a validation error of the auditors' field, naming the person and unit.
func TestIndependenceErrorIsValidation(t *testing.T) {
	var err error = &IndependenceError{Person: "佐藤 一郎", Unit: "税務課", Manages: true}
	ve, ok := errors.AsType[*ValidationError](err)
	if !ok || ve.Fields["auditors"] != "security_audit.error.independence_manages" || ErrorCode(err) != EINVALID {
		t.Errorf("independence error: %v %v", ve, ErrorCode(err))
	}
}

// Who may do what with a finding's actions and checks.
func TestAuditFindingDuties(t *testing.T) {
	auditor := Actor{UserID: 10, Role: RoleStaff}
	owner := Actor{UserID: 20, Role: RoleStaff, ManagedUnitIDs: []int64{5}}
	staff := Actor{UserID: 30, Role: RoleStaff, UnitID: 5}
	lead := Actor{UserID: 40, Role: RoleStaff, HeldRoles: []SecurityRoleCode{"AUDIT_LEAD"}}
	f := AuditFinding{Unit: AuditUnit{ID: 5}, Audit: SecurityAudit{Status: AuditInProgress, Auditors: []Auditor{{UserID: 10, Lead: true}}}}
	open := CorrectiveAction{Status: ActionOpen, OwnerUserID: 20, DueOn: *saDay("2026-11-20")}
	done := open
	done.Status = ActionDone
	if !f.CanCompleteAction(owner, open) || f.CanCompleteAction(staff, open) || f.CanCompleteAction(auditor, open) {
		t.Error("completing: the owner or the unit's manager only")
	}
	if !f.CanVerifyAction(auditor, done) || f.CanVerifyAction(owner, done) || f.CanVerifyAction(auditor, open) {
		t.Error("verifying: an auditor, of an action done")
	}
	mixed := f
	mixed.Audit.Auditors = append(mixed.Audit.Auditors, Auditor{UserID: 20})
	if mixed.CanVerifyAction(owner, done) {
		t.Error("the owner verified their own action as an auditor")
	}
	if !f.CanRequestChecks(lead) || !f.CanRequestChecks(auditor) || f.CanRequestChecks(owner) {
		t.Error("requesting checks: the audit manager and the auditors")
	}
	if !f.Audit.CanWriteFindings(auditor) || f.Audit.CanWriteFindings(staff) {
		t.Error("writing findings: the auditors")
	}
	today := *saDay("2026-11-25")
	if !open.Overdue(today) || done.Overdue(today) || open.Overdue(*saDay("2026-11-20")) {
		t.Error("overdue: to be done after its due day")
	}
	check := AuditCheck{Status: "open", Unit: AuditUnit{ID: 5}}
	if !check.CanAnswer(owner) || check.CanAnswer(staff) {
		t.Error("answering a check: the unit's manager")
	}
}
