package isms

import (
	"slices"
	"testing"
	"time"
)

func dayPtr(s string) *time.Time {
	d, err := time.Parse(time.DateOnly, s)
	if err != nil {
		panic(err)
	}
	return &d
}

// An agenda item links to the page of what it decides on, by kind; a kind named by its year needs
// the year, one named by its record the record's number, and the other reference is dropped.
func TestAgendaItemSubject(t *testing.T) {
	id, fy := int64(42), 2027
	for _, tc := range []struct {
		kind SubjectKind
		want string
	}{
		{SubjectTrainingPlan, "/training/plans/2027"},
		{SubjectTrainingReport, "/training/report?fy=2027"},
		{SubjectAuditPlan, "/audits/plans/2027"},
		{SubjectImprovementPlan, "/committee/improvement/2027"},
		{SubjectAuditResult, "/audits/42"},
		{SubjectInspectionCampaign, "/inspections/42/report"},
		{SubjectPolicyVersion, "/policies"},
		{SubjectIncident, "/incidents/42"},
		{SubjectOther, ""},
	} {
		in := AgendaInput{Subject: "議題", SubjectKind: tc.kind, SubjectID: &id, SubjectYear: &fy}
		in.Normalize()
		if fe := in.Validate(); len(fe) != 0 {
			t.Errorf("%s: %v", tc.kind, fe)
		}
		it := AgendaItem{SubjectKind: tc.kind, SubjectID: in.SubjectID, SubjectYear: in.SubjectYear}
		if got := it.Href(); got != tc.want {
			t.Errorf("%s: href %q, want %q", tc.kind, got, tc.want)
		}
		if (in.SubjectID != nil) != tc.kind.ByID() || (in.SubjectYear != nil) != tc.kind.ByYear() {
			t.Errorf("%s kept id %v, year %v", tc.kind, in.SubjectID, in.SubjectYear)
		}
	}
	bad := 1999
	if fe := (AgendaInput{Subject: "x", SubjectKind: SubjectAuditPlan, SubjectYear: &bad}).Validate(); fe["subject_ref"] != "committee.error.year" {
		t.Errorf("year 1999: %v", fe)
	}
	if fe := (AgendaInput{SubjectKind: "minutes"}).Validate(); fe["subject"] != "validation.required" || fe["subject_kind"] != "validation.choose" {
		t.Errorf("empty item: %v", fe)
	}
}

// Tasks come overdue first, then by due day, those without one last.
func TestSortTasks(t *testing.T) {
	today := time.Date(2026, 11, 25, 10, 0, 0, 0, japan)
	tasks := []Task{
		{Title: "期限なし"},
		{Title: "来月", DueOn: dayPtr("2026-12-20")},
		{Title: "先月", DueOn: dayPtr("2026-10-31")},
		{Title: "今日", DueOn: dayPtr("2026-11-25")},
		{Title: "昨日", DueOn: dayPtr("2026-11-24")},
	}
	SortTasks(tasks, today)
	var got []string
	for _, tk := range tasks {
		got = append(got, tk.Title)
	}
	if want := []string{"先月", "昨日", "今日", "来月", "期限なし"}; !slices.Equal(got, want) {
		t.Errorf("order %v, want %v", got, want)
	}
	if tasks[2].Overdue(today) || !tasks[1].Overdue(today) {
		t.Error("today's task is not overdue, yesterday's is")
	}
}

// The calendar runs April to March, each entry under the month it starts in.
func TestFiscalCalendar(t *testing.T) {
	months := FiscalCalendar(2026, []CalendarEntry{
		{Kind: "committee", Title: "第2回", Start: *dayPtr("2027-03-15")},
		{Kind: "training", Title: "全職員研修", Start: *dayPtr("2026-07-15")},
		{Kind: "audit", Title: "内部監査", Start: *dayPtr("2026-07-01"), End: dayPtr("2026-07-31")},
		{Kind: "review", Title: "翌年度", Start: *dayPtr("2027-04-01")},
	})
	if len(months) != 12 || months[0].Month != time.April || months[0].Year != 2026 || months[11].Month != time.March || months[11].Year != 2027 {
		t.Fatalf("months %+v", months)
	}
	july := months[3]
	if july.Month != time.July || len(july.Entries) != 2 || july.Entries[0].Title != "内部監査" {
		t.Errorf("July: %+v", july)
	}
	if len(months[11].Entries) != 1 || months[11].Entries[0].Kind != "committee" {
		t.Errorf("March: %+v", months[11])
	}
	n := 0
	for _, m := range months {
		n += len(m.Entries)
	}
	if n != 3 {
		t.Errorf("%d entries placed, want 3 (the next year's left out)", n)
	}
}

// The committee is read by the security office, the CISO, auditors and the members.
func TestReadsCommittee(t *testing.T) {
	for _, tc := range []struct {
		a    Actor
		want bool
	}{
		{Actor{UserID: 1, Role: RoleSecurityOffice}, true},
		{Actor{UserID: 1, Role: RoleCISO}, true},
		{Actor{UserID: 1, Role: RoleAuditor}, true},
		{Actor{UserID: 1, Role: RoleStaff, HeldRoles: []SecurityRoleCode{RoleCodeCommittee}}, true},
		{Actor{UserID: 1, Role: RoleStaff, HeldRoles: []SecurityRoleCode{RoleCodeISM}}, false},
		{Actor{UserID: 1, Role: RoleSystemAdmin}, false},
		{Actor{Role: RoleCISO}, false},
	} {
		if got := ReadsCommittee(tc.a); got != tc.want {
			t.Errorf("%+v: %v, want %v", tc.a, got, tc.want)
		}
	}
}
