package isms

import (
	"slices"
	"testing"
	"time"
)

func ptr[T any](v T) *T { return &v }

// TestIncidentMoves walks every pair of statuses: the workflow allows exactly the moves of the
// table below and refuses every other one, judged incidents included.
func TestIncidentMoves(t *testing.T) {
	allowed := map[[2]IncidentStatus]bool{
		{IncidentReceived, IncidentInvestigating}:    true,
		{IncidentReceived, IncidentNotIncident}:      true,
		{IncidentInvestigating, IncidentResponding}:  true,
		{IncidentInvestigating, IncidentPrevention}:  true,
		{IncidentInvestigating, IncidentNotIncident}: true,
		{IncidentResponding, IncidentInvestigating}:  true,
		{IncidentResponding, IncidentPrevention}:     true,
		{IncidentPrevention, IncidentResponding}:     true,
		{IncidentPrevention, IncidentClosed}:         true,
		{IncidentClosed, IncidentInvestigating}:      true,
		{IncidentNotIncident, IncidentInvestigating}: true,
	}
	for _, from := range IncidentStatuses {
		for _, to := range IncidentStatuses {
			// An incident ready for every move the table allows: judged as the target needs,
			// with its cause, a done preventive measure and its reports made.
			judged := to != IncidentNotIncident
			i := Incident{Status: from, IsIncident: &judged, Severity: ptr(2), RootCause: "誤操作",
				Actions: []IncidentAction{{Kind: IncidentPreventionAction, DoneOn: ptr(time.Now())}}}
			fe := i.CheckMove(to)
			if want := allowed[[2]IncidentStatus{from, to}]; (len(fe) == 0) != want {
				t.Errorf("%s → %s: errors %v, want allowed=%v", from, to, fe, want)
			}
			if !allowed[[2]IncidentStatus{from, to}] && fe["status"] != "incident.move.not_allowed" {
				t.Errorf("%s → %s: refused with %v, want incident.move.not_allowed", from, to, fe)
			}
		}
	}
}

// TestIncidentMoveConditions checks what each guarded move asks for beyond the table.
func TestIncidentMoveConditions(t *testing.T) {
	yes, no := true, false
	cases := []struct {
		name string
		i    Incident
		to   IncidentStatus
		want map[string]string
	}{
		{"investigate before the triage", Incident{Status: IncidentReceived}, IncidentInvestigating,
			map[string]string{"status": "incident.move.not_judged"}},
		{"investigate a non-incident", Incident{Status: IncidentReceived, IsIncident: &no}, IncidentInvestigating,
			map[string]string{"status": "incident.move.not_judged"}},
		{"dismiss a judged incident", Incident{Status: IncidentInvestigating, IsIncident: &yes}, IncidentNotIncident,
			map[string]string{"status": "incident.move.judged_incident"}},
		{"close with nothing", Incident{Status: IncidentPrevention, IsIncident: &yes}, IncidentClosed,
			map[string]string{"root_cause": "incident.move.root_cause", "severity": "incident.move.severity"}},
		{"close severity 1 without prevention", Incident{Status: IncidentPrevention, IsIncident: &yes, Severity: ptr(1), RootCause: "x"},
			IncidentClosed, map[string]string{"actions": "incident.move.prevention"}},
		{"close a near miss without prevention", Incident{Status: IncidentPrevention, IsIncident: &yes, Severity: ptr(0), RootCause: "x"},
			IncidentClosed, map[string]string{}},
		{"close with an open action", Incident{Status: IncidentPrevention, IsIncident: &yes, Severity: ptr(3), RootCause: "x",
			Actions: []IncidentAction{{Kind: IncidentPreventionAction}}}, IncidentClosed,
			map[string]string{"actions": "incident.move.actions_open"}},
		{"close with the 確報 not made", Incident{Status: IncidentPrevention, IsIncident: &yes, Severity: ptr(3), RootCause: "x",
			Actions: []IncidentAction{{Kind: IncidentPreventionAction, DoneOn: ptr(time.Now())}},
			Reports: []IncidentReport{{Recipient: ReportPPCPrelim, DoneOn: ptr(time.Now())}, {Recipient: ReportPPCFinal}}},
			IncidentClosed, map[string]string{"reports": "incident.move.reports_open"}},
	}
	for _, c := range cases {
		fe := c.i.CheckMove(c.to)
		if len(fe) != len(c.want) {
			t.Errorf("%s: errors %v, want %v", c.name, fe, c.want)
			continue
		}
		for k, v := range c.want {
			if fe[k] != v {
				t.Errorf("%s: %s = %q, want %q", c.name, k, fe[k], v)
			}
		}
	}
}

// TestDetermine checks each trigger alone, the 100-subject boundary of the public sector and the
// rules' switches.
func TestDetermine(t *testing.T) {
	r := DefaultIncidentRules()
	cases := []struct {
		name string
		f    PIFacts
		want []PPCTrigger
	}{
		{"nothing", PIFacts{PersonalInfo: PersonalInfoYes, Subjects: ptr(3)}, nil},
		{"100 subjects", PIFacts{PersonalInfo: PersonalInfoYes, Subjects: ptr(100)}, nil},
		{"101 subjects", PIFacts{PersonalInfo: PersonalInfoYes, Subjects: ptr(101)}, []PPCTrigger{TriggerSubjects}},
		{"subjects unknown", PIFacts{PersonalInfo: PersonalInfoUnknown}, nil},
		{"sensitive", PIFacts{PersonalInfo: PersonalInfoYes, Sensitive: true}, []PPCTrigger{TriggerSensitive}},
		{"financial", PIFacts{PersonalInfo: PersonalInfoYes, Financial: true}, []PPCTrigger{TriggerFinancial}},
		{"wrongful, suspected", PIFacts{PersonalInfo: PersonalInfoUnknown, Wrongful: true}, []PPCTrigger{TriggerWrongful}},
		{"ordinance", PIFacts{PersonalInfo: PersonalInfoYes, Ordinance: true}, []PPCTrigger{TriggerOrdinance}},
		{"my number", PIFacts{PersonalInfo: PersonalInfoYes, MyNumber: true}, []PPCTrigger{TriggerMyNumber}},
		{"several, in the law's order", PIFacts{PersonalInfo: PersonalInfoYes, Subjects: ptr(150), Wrongful: true, Sensitive: true},
			[]PPCTrigger{TriggerSensitive, TriggerWrongful, TriggerSubjects}},
		{"no personal information", PIFacts{PersonalInfo: PersonalInfoNo, Subjects: ptr(500), Sensitive: true}, nil},
	}
	for _, c := range cases {
		if got := r.Determine(c.f); !slices.Equal(got, c.want) {
			t.Errorf("%s: %v, want %v", c.name, got, c.want)
		}
	}

	r.Triggers[TriggerSensitive] = false
	r.SubjectThreshold = 1000
	if got := r.Determine(PIFacts{PersonalInfo: PersonalInfoYes, Sensitive: true, Subjects: ptr(999)}); got != nil {
		t.Errorf("switched-off trigger and a raised threshold: %v, want none", got)
	}
	if got := r.Determine(PIFacts{PersonalInfo: PersonalInfoYes, Subjects: ptr(1001)}); !slices.Equal(got, []PPCTrigger{TriggerSubjects}) {
		t.Errorf("1001 subjects over a threshold of 1000: %v", got)
	}
}

// TestPPCDue counts from the day of awareness in Japan: late on 31 March (JST) is still March,
// whatever the clock's zone.
func TestPPCDue(t *testing.T) {
	r := DefaultIncidentRules()
	aware := time.Date(2026, 3, 31, 23, 30, 0, 0, japan) // 14:30 UTC
	prelim, final := r.PPCDue(aware.UTC(), false)
	if want := time.Date(2026, 4, 5, 0, 0, 0, 0, time.UTC); !prelim.Equal(want) {
		t.Errorf("速報 due %v, want %v", prelim, want)
	}
	if want := time.Date(2026, 4, 30, 0, 0, 0, 0, time.UTC); !final.Equal(want) {
		t.Errorf("確報 due %v, want %v", final, want)
	}
	_, final = r.PPCDue(aware, true)
	if want := time.Date(2026, 5, 30, 0, 0, 0, 0, time.UTC); !final.Equal(want) {
		t.Errorf("確報 due with wrongful intent %v, want %v (60 days)", final, want)
	}
}

func TestEscalations(t *testing.T) {
	cases := []struct {
		severity *int
		triggers []PPCTrigger
		want     []Escalation
	}{
		{nil, nil, nil},
		{ptr(1), nil, nil},
		{ptr(2), nil, []Escalation{EscalationSeverity}},
		{ptr(3), []PPCTrigger{TriggerSubjects}, []Escalation{EscalationSeverity, EscalationPPC}},
		{ptr(0), []PPCTrigger{TriggerSensitive}, []Escalation{EscalationPPC}},
	}
	for _, c := range cases {
		if got := Escalations(c.severity, c.triggers); !slices.Equal(got, c.want) {
			t.Errorf("Escalations(%v, %v) = %v, want %v", c.severity, c.triggers, got, c.want)
		}
	}
}

func TestReportDueState(t *testing.T) {
	today := time.Date(2026, 12, 4, 0, 0, 0, 0, time.UTC)
	day := func(d int) *time.Time { return ptr(today.AddDate(0, 0, d)) }
	cases := []struct {
		r    IncidentReport
		want string
	}{
		{IncidentReport{DueOn: day(-1)}, "overdue"},
		{IncidentReport{DueOn: day(0)}, "soon"},
		{IncidentReport{DueOn: day(2)}, "soon"},
		{IncidentReport{DueOn: day(3)}, "open"},
		{IncidentReport{}, "open"},
		{IncidentReport{DueOn: day(-10), DoneOn: day(-11)}, "done"},
	}
	for _, c := range cases {
		if got := c.r.DueState(today, 2); got != c.want {
			t.Errorf("due %v done %v: %s, want %s", c.r.DueOn, c.r.DoneOn, got, c.want)
		}
	}
}

func TestIncidentInputValidate(t *testing.T) {
	now := time.Date(2026, 12, 4, 10, 0, 0, 0, time.UTC)
	ok := IncidentInput{Title: "誤送信", Description: "住民150人分の一覧を別の事業者に送った", AwareAt: ptr(now.Add(-time.Hour)),
		PersonalInfo: PersonalInfoYes, Channel: ChannelPortal}
	if fe := ok.Validate(now); len(fe) != 0 {
		t.Fatalf("valid report refused: %v", fe)
	}
	bad := ok
	bad.AwareAt = ptr(now.Add(time.Hour))
	bad.OccurredAt = ptr(now.Add(2 * time.Hour))
	bad.Channel = ChannelPhone
	fe := bad.Validate(now)
	for field, key := range map[string]string{"aware_at": "incident.error.future", "occurred_at": "incident.error.future",
		"external_reporter": "incident.error.external_reporter"} {
		if fe[field] != key {
			t.Errorf("%s = %q, want %q", field, fe[field], key)
		}
	}
	bad = ok
	bad.OccurredAt = ptr(now)
	if fe := bad.Validate(now); fe["occurred_at"] != "incident.error.occurred_after_aware" {
		t.Errorf("occurred after noticed: %v", fe)
	}
}

func TestIncidentTriageValidate(t *testing.T) {
	now := time.Date(2026, 12, 4, 10, 0, 0, 0, time.UTC)
	yes := true
	in := IncidentTriage{IsIncident: &yes, AwareAt: ptr(now), PersonalInfo: PersonalInfoYes}
	fe := in.Validate(now, []string{"MISDELIVERY"})
	if fe["severity"] != "incident.error.severity_required" || fe["category"] != "incident.error.category_required" {
		t.Errorf("incident without severity and category: %v", fe)
	}
	in.Severity, in.Category = ptr(3), "MISDELIVERY"
	if fe := in.Validate(now, []string{"MISDELIVERY"}); len(fe) != 0 {
		t.Errorf("valid triage refused: %v", fe)
	}
	in.Category = "RETIRED"
	if fe := in.Validate(now, []string{"MISDELIVERY"}); fe["category"] != "validation.choose" {
		t.Errorf("inactive category accepted: %v", fe)
	}
}

func TestIncidentHandler(t *testing.T) {
	staff := Actor{UserID: 1, Role: RoleStaff}
	if IncidentHandler(staff) || SeesAllIncidents(staff) {
		t.Error("plain staff handles incidents")
	}
	member := staff
	member.HeldRoles = []SecurityRoleCode{RoleCodeCSIRTMember}
	if !IncidentHandler(member) || !SeesAllIncidents(member) {
		t.Error("a CSIRT member does not handle incidents")
	}
	office := Actor{UserID: 2, Role: RoleSecurityOffice}
	if !IncidentHandler(office) {
		t.Error("the security office does not handle incidents")
	}
	auditor := Actor{UserID: 3, Role: RoleAuditor, AllUnits: true}
	if IncidentHandler(auditor) || !SeesAllIncidents(auditor) || RecordsIncidentEvents(auditor) {
		t.Error("an auditor reads every incident and writes nothing")
	}
}
