package isms

import (
	"slices"
	"testing"
)

// The checklist of the guideline's 13 clauses: a clause is missing until it is ticked, a clause
// without a row too; the form lays out 13 rows whatever it was sent.
func TestContractClauseChecklist(t *testing.T) {
	c := Contract{Status: ContractActive}
	if got := c.Missing(); len(got) != ContractClauseCount || got[0] != 1 || got[12] != 13 {
		t.Fatalf("no rows: missing %v", got)
	}
	in := ContractClausesInput{Clauses: []ContractClause{{Clause: 3, Included: true, Note: " 第5条 "}, {Clause: 14, Included: true}}}
	in.Normalize()
	if len(in.Clauses) != ContractClauseCount || !in.Clauses[2].Included || in.Clauses[2].Note != "第5条" || in.Clauses[13-1].Included {
		t.Fatalf("normalized rows %+v", in.Clauses)
	}
	for n := range in.Clauses {
		in.Clauses[n].Included = n+1 != 7
	}
	c.Clauses = in.Clauses
	if got := c.Missing(); !slices.Equal(got, []int{7}) {
		t.Errorf("ticked all but ⑦: missing %v", got)
	}
	if got := c.Issues(*saDay("2026-11-25")); !slices.Equal(got, []string{"clauses"}) {
		t.Errorf("issues %v", got)
	}
	// An ended contract's clauses no longer need action; its return does.
	c.Status = ContractEnded
	if got := c.Issues(*saDay("2026-11-25")); !slices.Equal(got, []string{"unreturned"}) {
		t.Errorf("ended: issues %v", got)
	}
}

// What needs action on a day: a check past its day (and due within 30 days as a task), a report
// past its day only when reports were agreed.
func TestContractDueDays(t *testing.T) {
	today := *saDay("2026-11-25")
	all := make([]ContractClause, ContractClauseCount)
	for n := range all {
		all[n] = ContractClause{Clause: n + 1, Included: true}
	}
	c := Contract{Status: ContractActive, Clauses: all, NextCheckDue: saDay("2026-11-24"), NextReportDue: saDay("2026-11-01")}
	if got := c.Issues(today); !slices.Equal(got, []string{"check_overdue"}) {
		t.Errorf("no reports agreed: issues %v", got)
	}
	c.ReportEveryMonths = 3
	if got := c.Issues(today); !slices.Equal(got, []string{"check_overdue", "report_overdue"}) {
		t.Errorf("issues %v", got)
	}
	c.NextCheckDue = saDay("2026-12-25")
	if c.CheckOverdue(today) || !c.CheckSoon(today) {
		t.Error("a check due in 30 days is soon, not overdue")
	}
	c.NextCheckDue = saDay("2026-12-26")
	if c.CheckSoon(today) {
		t.Error("a check due in 31 days is not yet a task")
	}
}

// The contract form: subcontracting needs its subcontractor and approval, remote maintenance its
// method, reports their first due day, the period its order; details that do not apply are dropped.
func TestContractInputRules(t *testing.T) {
	in := ContractInput{ContractorName: " 株式会社北日本システム ", UnitID: 1, Title: "保守", Scope: "保守",
		PeriodFrom: saDay("2026-04-01"), PeriodTo: saDay("2026-03-31"), PersonalData: PersonalDataPersonal,
		RemoteMaintenance: true, Subcontracting: true, ReportEveryMonths: 1, NextCheckDue: saDay("2026-10-01")}
	in.Normalize()
	fe := in.Validate()
	for field, key := range map[string]string{"period_to": "contract.error.period", "remote_method": "contract.error.remote_method",
		"subcontractor": "contract.error.subcontractor", "subcontract_approved_by": "contract.error.subcontract_approval",
		"next_report_due": "contract.error.next_report_due"} {
		if fe[field] != key {
			t.Errorf("%s: %q, want %q", field, fe[field], key)
		}
	}
	if in.ContractorName != "株式会社北日本システム" {
		t.Errorf("name not trimmed: %q", in.ContractorName)
	}
	in = ContractInput{ContractorName: "A", UnitID: 1, Title: "T", Scope: "S", PeriodFrom: saDay("2026-04-01"),
		PeriodTo: saDay("2027-03-31"), PersonalData: PersonalDataNone, RemoteMethod: "VPN", Subcontractor: "B社",
		NextReportDue: saDay("2026-05-01"), NextCheckDue: saDay("2026-10-01")}
	in.Normalize()
	if fe := in.Validate(); len(fe) != 0 || in.RemoteMethod != "" || in.Subcontractor != "" || in.NextReportDue != nil {
		t.Errorf("details that do not apply: %v %+v", fe, in)
	}
}

// Ending: a certificate is a PDF, within its size, and goes with the confirmed return.
func TestContractEndRules(t *testing.T) {
	today, from := *saDay("2026-11-25"), *saDay("2026-04-01")
	in := ContractEndInput{EndedOn: saDay("2026-03-01"), Certificate: []byte("PK\x03\x04")}
	fe := in.Validate(today, from)
	if fe["ended_on"] != "contract.error.ended_before_start" || fe["certificate"] != "contract.error.certificate_without_return" {
		t.Errorf("%v", fe)
	}
	in = ContractEndInput{EndedOn: saDay("2026-11-01"), ReturnedOn: saDay("2026-11-26"), Certificate: []byte("PK\x03\x04")}
	fe = in.Validate(today, from)
	if fe["returned_on"] != "contract.error.future" || fe["return_method"] != "contract.error.return_method" || fe["certificate"] != "contract.error.not_pdf" {
		t.Errorf("%v", fe)
	}
	in = ContractEndInput{EndedOn: saDay("2026-11-01"), ReturnedOn: saDay("2026-11-20"), ReturnMethod: "消去証明", Certificate: []byte("%PDF-1.7")}
	if fe := in.Validate(today, from); len(fe) != 0 {
		t.Errorf("a confirmed return with its PDF: %v", fe)
	}
}
