package postgres_test

import (
	"context"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/jichitai-isms/isms/internal/isms"
	"github.com/jichitai-isms/isms/internal/ledger"
	"github.com/jichitai-isms/isms/internal/postgres"
)

// trainingTown is the person town (the security office signed in on 2026-11-25) with three
// people in 税務課, one in 総務課, and one who left 税務課 before the session of 2026-06-10.
type trainingTown struct {
	personTown
	aoki, baba, chiba, doi, retired isms.Person
}

func newTrainingTown(t *testing.T) trainingTown {
	t.Helper()
	tw := trainingTown{personTown: newPersonTown(t)}
	tw.aoki = tw.staff(t, "T001", "青木 一郎", "アオキ イチロウ", tw.tax.ID)
	tw.baba = tw.staff(t, "T002", "馬場 花子", "ババ ハナコ", tw.tax.ID)
	tw.chiba = tw.staff(t, "T003", "千葉 次郎", "チバ ジロウ", tw.tax.ID)
	tw.doi = tw.staff(t, "G001", "土井 三郎", "ドイ サブロウ", tw.general.ID)
	tw.retired = tw.staff(t, "T009", "退職 四郎", "タイショク シロウ", tw.tax.ID)
	in := personInputOf(tw.retired)
	in.ValidTo = at("2026-05-31")
	if _, err := tw.db.UpdatePerson(context.Background(), tw.office, tw.retired.ID, in); err != nil {
		t.Fatal(err)
	}
	return tw
}

func personInputOf(p isms.Person) isms.PersonInput {
	from := p.From
	return isms.PersonInput{EmployeeNo: p.EmployeeNo, Name: p.Name, NameKana: p.NameKana, Employment: p.Employment,
		ValidFrom: &from, ValidTo: p.To, Version: p.Version}
}

func (tw trainingTown) session(t *testing.T, course, held string, hasTest bool) isms.TrainingSession {
	t.Helper()
	s, err := tw.db.CreateSession(context.Background(), tw.office, isms.SessionInput{CourseCode: course, HeldOn: at(held),
		Method: isms.MethodClassroom, HasTest: hasTest})
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// attended lists a session's attendance as "name:completed_on:score".
func (tw trainingTown) attended(t *testing.T, sessionID int64) []string {
	t.Helper()
	as, err := tw.db.FindAttendances(context.Background(), tw.office, sessionID)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, a := range as {
		s := a.PersonName + ":" + a.UnitName + ":"
		if a.CompletedOn != nil {
			s += a.CompletedOn.Format("2006-01-02")
		}
		if a.Score != nil {
			s += ":" + strconv.Itoa(*a.Score)
		}
		out = append(out, s)
	}
	return out
}

func score(n int) *int { return &n }

// The catalogue is master data with rules: a code of capitals, roles that exist for a course of
// role holders, a number of days for a timed requirement; only the security office keeps it, a
// stale form is refused, and the trail records each change.
func TestCourseCatalogueRules(t *testing.T) {
	ctx := context.Background()
	tw := newPersonTown(t)
	courses, err := tw.db.FindCourses(ctx)
	if err != nil || len(courses) != 10 || courses[0].Code != "GEN_ANNUAL" || courses[0].Requirement != isms.RequireYearly {
		t.Fatalf("seeded catalogue: %d courses, %v", len(courses), err)
	}
	_, staffUser := tw.person(t, "staff", "職員 一郎", tw.tax)
	staff := tw.scope(t, staffUser, "2026-11-25")
	good := isms.CourseInput{Code: "sns_rules", NameJa: "SNS運用研修", NameEn: "Social media rules", Kind: isms.CourseLesson,
		Audience: isms.AudienceRoles, Roles: []string{"SYS_ADMIN"}, Requirement: isms.RequireYearly, WithinDays: score(10), Active: true,
		SortOrder: 95}
	if _, err := tw.db.CreateCourse(ctx, staff, good); isms.ErrorCode(err) != isms.EFORBIDDEN {
		t.Errorf("staff adds a course: %v", err)
	}

	for name, c := range map[string]struct {
		change      func(*isms.CourseInput)
		field, want string
	}{
		"bad code":          {func(in *isms.CourseInput) { in.Code = "1ABC" }, "code", "course.error.code"},
		"no roles":          {func(in *isms.CourseInput) { in.Roles = nil }, "roles", "course.error.roles"},
		"unknown role":      {func(in *isms.CourseInput) { in.Roles = []string{"SYS_ADMIN", "NOBODY"} }, "roles", "course.error.roles"},
		"timed without day": {func(in *isms.CourseInput) { in.Requirement, in.WithinDays = isms.RequireOnJoining, nil }, "within_days", "course.error.within_days"},
	} {
		in := good
		c.change(&in)
		_, err := tw.db.CreateCourse(ctx, tw.office, in)
		if got := fieldErrors(err)[c.field]; got != c.want {
			t.Errorf("%s: %s = %q (%v), want %q", name, c.field, got, err, c.want)
		}
	}

	mark := auditMark(t, tw.db)
	created, err := tw.db.CreateCourse(ctx, tw.office, good)
	if err != nil {
		t.Fatal(err)
	}
	if created.Code != "SNS_RULES" || created.WithinDays != nil || !slices.Equal(created.Roles, []string{"SYS_ADMIN"}) || created.Version != 1 {
		t.Errorf("created: %+v (code upper-cased, no days for a yearly course)", created)
	}
	if _, err := tw.db.CreateCourse(ctx, tw.office, good); fieldErrors(err)["code"] != "course.error.code_taken" {
		t.Errorf("the same code again: %v", err)
	}

	edit := good
	edit.Audience, edit.Roles, edit.Requirement, edit.WithinDays, edit.Version = isms.AudienceNewHires, []string{"SYS_ADMIN"}, isms.RequireOnJoining, score(14), 1
	updated, err := tw.db.UpdateCourse(ctx, tw.office, "SNS_RULES", edit)
	if err != nil {
		t.Fatal(err)
	}
	if updated.Audience != isms.AudienceNewHires || len(updated.Roles) != 0 || updated.WithinDays == nil || *updated.WithinDays != 14 || updated.Version != 2 {
		t.Errorf("updated: %+v (roles dropped for new hires, 14 days)", updated)
	}
	if _, err := tw.db.UpdateCourse(ctx, tw.office, "SNS_RULES", edit); isms.ErrorCode(err) != isms.ECONFLICT {
		t.Errorf("stale edit: %v", err)
	}
	if _, err := tw.db.UpdateCourse(ctx, tw.office, "NO_SUCH", edit); isms.ErrorCode(err) != isms.ENOTFOUND {
		t.Errorf("edit of a course that is not there: %v", err)
	}
	if actions, _ := auditSince(t, tw.db, mark); !slices.Equal(actions, []string{"course.create", "course.update"}) {
		t.Errorf("audit: %v", actions)
	}
}

// A year without a plan reads as an empty plan; the plan form replaces the items (months in
// order, courses planned nothing left out); the committee's approval needs a course in the plan
// and a day not in the future, survives a save that changes nothing and is withdrawn by a change.
func TestTrainingPlanSaveAndApprove(t *testing.T) {
	ctx := context.Background()
	tw := newPersonTown(t)
	plan, err := tw.db.FindTrainingPlan(ctx, 2026)
	if err != nil || plan.FiscalYear != 2026 || plan.Version != 0 || len(plan.Items) != 0 || plan.ApprovedOn != nil {
		t.Fatalf("a year without a plan: %+v %v", plan, err)
	}
	if _, err := tw.db.ApproveTrainingPlan(ctx, tw.office, 2026, at("2026-03-20"), "第4回情報セキュリティ委員会", 0); fieldErrors(err)["approval"] != "training_plan.error.empty" {
		t.Errorf("approval of an empty plan: %v", err)
	}

	in := isms.PlanInput{FiscalYear: 2026, Note: "令和8年度計画", Items: []isms.PlanItemInput{
		{CourseCode: "GEN_ANNUAL", Months: []int{12, 6, 6}, Method: isms.MethodELearning},
		{CourseCode: "PHISHING_DRILL", Months: []int{10}, Note: "全庁一斉"},
		{CourseCode: "MANAGER"},
	}}
	bad := in
	bad.Items = []isms.PlanItemInput{{CourseCode: "GEN_ANNUAL", Months: []int{13}}, {CourseCode: "CSIRT", Method: "lecture"}}
	if fe := fieldErrors(func() error { _, err := tw.db.SaveTrainingPlan(ctx, tw.office, bad); return err }()); fe["months_GEN_ANNUAL"] != "training_plan.error.month" ||
		fe["method_CSIRT"] != "validation.choose" {
		t.Errorf("bad plan: %v", fe)
	}
	mark := auditMark(t, tw.db)
	plan, err = tw.db.SaveTrainingPlan(ctx, tw.office, in)
	if err != nil {
		t.Fatal(err)
	}
	if plan.Version != 1 || len(plan.Items) != 2 || plan.Items[0].CourseCode != "GEN_ANNUAL" || !slices.Equal(plan.Items[0].Months, []int{6, 12}) ||
		plan.Items[0].Method != isms.MethodELearning || plan.Items[1].CourseCode != "PHISHING_DRILL" || plan.Items[1].Note != "全庁一斉" ||
		plan.Items[0].CourseName != "全職員向け情報セキュリティ研修" {
		t.Errorf("saved plan: %+v", plan)
	}
	if _, err := tw.db.SaveTrainingPlan(ctx, tw.office, in); isms.ErrorCode(err) != isms.ECONFLICT {
		t.Errorf("a form of the year without a plan, saved again: %v", err)
	}

	if _, err := tw.db.ApproveTrainingPlan(ctx, tw.office, 2026, at("2026-12-01"), "委員会", plan.Version); fieldErrors(err)["approved_on"] != "training_plan.error.future" {
		t.Errorf("approval dated after today: %v", err)
	}
	if _, err := tw.db.ApproveTrainingPlan(ctx, tw.office, 2026, nil, " ", plan.Version); fieldErrors(err)["approved_by"] != "validation.required" {
		t.Errorf("approval without approver: %v", err)
	}
	approved, err := tw.db.ApproveTrainingPlan(ctx, tw.office, 2026, at("2026-03-20"), "第4回情報セキュリティ委員会", plan.Version)
	if err != nil || approved.ApprovedOn == nil || approved.ApprovedOn.Format("2006-01-02") != "2026-03-20" || approved.Version != 2 {
		t.Fatalf("approval: %+v %v", approved, err)
	}

	in.Version = approved.Version
	same, err := tw.db.SaveTrainingPlan(ctx, tw.office, in)
	if err != nil || same.ApprovedOn == nil || same.Version != 2 {
		t.Errorf("a save that changes nothing: %+v %v", same, err)
	}
	in.Items[1].Months = []int{10, 2}
	changed, err := tw.db.SaveTrainingPlan(ctx, tw.office, in)
	if err != nil || changed.ApprovedOn != nil || changed.ApprovedBy != "" || changed.Version != 3 || !slices.Equal(changed.Items[1].Months, []int{2, 10}) {
		t.Errorf("a changed plan: %+v %v", changed, err)
	}
	if actions, _ := auditSince(t, tw.db, mark); !slices.Equal(actions, []string{"training_plan.save", "training_plan.approve", "training_plan.save"}) {
		t.Errorf("audit: %v", actions)
	}

	// A retired course stays in the plan that holds it, but is not planned anew.
	csirt, _ := tw.db.FindCourse(ctx, "CSIRT")
	retire := isms.CourseInput{Code: csirt.Code, NameJa: csirt.NameJa, NameEn: csirt.NameEn, Kind: csirt.Kind, Audience: csirt.Audience,
		Roles: csirt.Roles, Requirement: csirt.Requirement, SortOrder: csirt.SortOrder, Version: csirt.Version}
	if _, err := tw.db.UpdateCourse(ctx, tw.office, "CSIRT", retire); err != nil {
		t.Fatal(err)
	}
	in.Version = changed.Version
	in.Items = append(in.Items, isms.PlanItemInput{CourseCode: "CSIRT", Months: []int{1}})
	if _, err := tw.db.SaveTrainingPlan(ctx, tw.office, in); fieldErrors(err)["months_CSIRT"] != "training_plan.error.inactive" {
		t.Errorf("a retired course planned: %v", err)
	}
}

// A unit's roster is the people in service and posted there on the session's day. Saving it
// records the ticked as completed on that day with their score, removes the unticked, leaves the
// rest, refuses a person from elsewhere (nothing written), and records one event with the counts.
func TestRosterSaveTickedUntickedAndForeign(t *testing.T) {
	ctx := context.Background()
	tw := newTrainingTown(t)
	s := tw.session(t, "GEN_ANNUAL", "2026-06-10", true)
	roster, err := tw.db.FindRoster(ctx, tw.office, s.ID, tw.tax.ID)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, l := range roster {
		names = append(names, l.Person.Name)
		if l.Attendance != nil {
			t.Errorf("%s has attendance before any was recorded", l.Person.Name)
		}
	}
	if !slices.Equal(names, []string{"青木 一郎", "千葉 次郎", "馬場 花子"}) {
		t.Errorf("roster of 税務課 on 2026-06-10: %v (the one who left on 5/31 is not on it)", names)
	}

	mark := auditMark(t, tw.db)
	counts, err := tw.db.SaveRoster(ctx, tw.office, s.ID, tw.tax.ID, []isms.RosterEntry{
		{PersonID: tw.aoki.ID, Completed: true, Score: score(80), Evidence: " 修了証 A-1 "},
		{PersonID: tw.baba.ID, Completed: true},
		{PersonID: tw.chiba.ID},
	})
	if err != nil || counts != (isms.RosterCounts{Recorded: 2}) {
		t.Fatalf("first save: %+v %v", counts, err)
	}
	if got := tw.attended(t, s.ID); !slices.Equal(got, []string{"青木 一郎:税務課:2026-06-10:80", "馬場 花子:税務課:2026-06-10"}) {
		t.Errorf("attendance after the first save: %v", got)
	}

	counts, err = tw.db.SaveRoster(ctx, tw.office, s.ID, tw.tax.ID, []isms.RosterEntry{
		{PersonID: tw.aoki.ID}, {PersonID: tw.baba.ID, Completed: true}, {PersonID: tw.chiba.ID, Completed: true, Score: score(100)},
	})
	if err != nil || counts != (isms.RosterCounts{Recorded: 1, Removed: 1}) {
		t.Fatalf("second save: %+v %v", counts, err)
	}
	if got := tw.attended(t, s.ID); !slices.Equal(got, []string{"千葉 次郎:税務課:2026-06-10:100", "馬場 花子:税務課:2026-06-10"}) {
		t.Errorf("attendance after the second save: %v", got)
	}

	for name, entries := range map[string][]isms.RosterEntry{
		"a person of 総務課": {{PersonID: tw.aoki.ID, Completed: true}, {PersonID: tw.doi.ID, Completed: true}},
		"a person gone":   {{PersonID: tw.retired.ID, Completed: true}},
		"a person twice":  {{PersonID: tw.aoki.ID, Completed: true}, {PersonID: tw.aoki.ID}},
	} {
		if _, err := tw.db.SaveRoster(ctx, tw.office, s.ID, tw.tax.ID, entries); isms.ErrorCode(err) != isms.EINVALID {
			t.Errorf("%s: %v", name, err)
		}
	}
	_, err = tw.db.SaveRoster(ctx, tw.office, s.ID, tw.tax.ID, []isms.RosterEntry{{PersonID: tw.aoki.ID, Completed: true, Score: score(101)}})
	if fieldErrors(err)["score_"+strconv.FormatInt(tw.aoki.ID, 10)] != "attendance.error.score" {
		t.Errorf("score 101: %v", err)
	}
	if got := tw.attended(t, s.ID); len(got) != 2 {
		t.Errorf("refused saves wrote: %v", got)
	}
	if _, err := tw.db.SaveDrillResults(ctx, tw.office, s.ID, tw.tax.ID, nil); isms.ErrorCode(err) != isms.EINVALID {
		t.Errorf("drill outcomes for a course: %v", err)
	}
	var after []string
	rows, err := tw.db.Pool().Query(ctx, `SELECT after::text FROM audit_events WHERE id > $1 AND action = 'attendance.roster' ORDER BY id`, mark)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var a string
		rows.Scan(&a)
		after = append(after, a)
	}
	if len(after) != 2 || !strings.Contains(after[0], `"recorded": 2`) || !strings.Contains(after[1], `"removed": 1`) {
		t.Errorf("roster events: %v", after)
	}
}

// A phishing drill's roster records the targets and what each did with the mail: any outcome
// makes a target, a target unticked is removed, and the course roster is refused for a drill.
func TestDrillResults(t *testing.T) {
	ctx := context.Background()
	tw := newTrainingTown(t)
	s := tw.session(t, "PHISHING_DRILL", "2026-10-14", false)
	counts, err := tw.db.SaveDrillResults(ctx, tw.office, s.ID, tw.tax.ID, []isms.DrillEntry{
		{PersonID: tw.aoki.ID, Target: true, Opened: true, Clicked: true},
		{PersonID: tw.baba.ID, Reported: true},
		{PersonID: tw.chiba.ID},
	})
	if err != nil || counts.Recorded != 2 {
		t.Fatalf("drill results: %+v %v", counts, err)
	}
	as, err := tw.db.FindAttendances(ctx, tw.office, s.ID)
	if err != nil || len(as) != 2 {
		t.Fatalf("drill attendance: %+v %v", as, err)
	}
	got := map[string]isms.Attendance{}
	for _, a := range as {
		got[a.PersonName] = a
	}
	if a := got["青木 一郎"]; !a.Completed || !a.Opened || !a.Clicked || a.Reported || a.CompletedOn.Format("2006-01-02") != "2026-10-14" {
		t.Errorf("青木: %+v", a)
	}
	if a := got["馬場 花子"]; !a.Completed || a.Opened || a.Clicked || !a.Reported {
		t.Errorf("馬場: %+v", a)
	}
	mark := auditMark(t, tw.db)
	counts, err = tw.db.SaveDrillResults(ctx, tw.office, s.ID, tw.tax.ID, []isms.DrillEntry{
		{PersonID: tw.aoki.ID, Target: true, Opened: true, Clicked: true}, {PersonID: tw.baba.ID},
	})
	if err != nil || counts != (isms.RosterCounts{Removed: 1}) {
		t.Errorf("untick a target: %+v %v", counts, err)
	}
	if actions, _ := auditSince(t, tw.db, mark); !slices.Equal(actions, []string{"attendance.drill"}) {
		t.Errorf("audit: %v", actions)
	}
	if _, err := tw.db.SaveRoster(ctx, tw.office, s.ID, tw.tax.ID, []isms.RosterEntry{{PersonID: tw.aoki.ID, Completed: true}}); isms.ErrorCode(err) != isms.EINVALID {
		t.Errorf("course roster for a drill: %v", err)
	}
}

// An e-learning attendance list is read by employee number: a number nobody has is reported on
// its row, a row without one or a score over 100 is bad, and nothing is written while any row is;
// the good list is written into its session in one go (completion days as the list gives them, a
// 未修了 row without one), and the trail records one event with the count.
func TestAttendanceImportReportsUnknownPeopleAndWritesAllOrNothing(t *testing.T) {
	ctx := context.Background()
	tw := newTrainingTown(t)
	s := tw.session(t, "GEN_ANNUAL", "2026-07-01", true)
	if _, err := tw.db.CreateImport(ctx, tw.office, isms.Import{Kind: isms.ImportAttendance, Mode: isms.ImportAdd, FileName: "受講.csv",
		Format: "csv"}, []byte("x")); fieldErrors(err)["session"] != "import.error.session" {
		t.Errorf("an attendance import without a session: %v", err)
	}
	numbers, err := tw.db.FindAttendeeNumbers(ctx, tw.office)
	if err != nil || numbers["T009"] != tw.retired.ID {
		t.Fatalf("numbers (the retired included): %v %v", numbers, err)
	}
	lk := ledger.Lookups{People: map[string]int64{}}
	for no, id := range numbers {
		lk.People[ledger.Key(no)] = id
	}
	read := func(csv string) ([]postgres.AttendanceImportRow, []ledger.Problem) {
		tab, err := ledger.Read(strings.NewReader(csv), "受講記録.csv", ledger.DefaultLimits)
		if err != nil {
			t.Fatal(err)
		}
		rows, problems := ledger.AttendanceRows(tab, ledger.FindHeader(tab, ledger.AttendanceLayout), lk)
		out := make([]postgres.AttendanceImportRow, len(rows))
		for i, r := range rows {
			out[i] = postgres.AttendanceImportRow{Row: r.Row, PersonID: r.PersonID, Completed: r.Completed, CompletedOn: r.CompletedOn,
				Score: r.Score, Evidence: r.Evidence}
		}
		return out, problems
	}
	rows, problems := read("職員番号,氏名,修了日,修了,得点\nT001,青木 一郎,2026/7/3,修了,85点\nX999,誰か,2026/7/3,修了,70\n,名無し,,,\nT003,千葉 次郎,,未修了,120\n")
	if len(problems) != 1 || problems[0].Row != 3 || problems[0].Key != "attendance.import.unknown_person" || problems[0].Value != "X999" {
		t.Errorf("problems: %+v", problems)
	}
	imp := postgres.AttendanceImport{SessionID: s.ID, Rows: rows}
	bad, err := tw.db.CheckAttendanceImport(ctx, tw.office, imp)
	if err != nil {
		t.Fatal(err)
	}
	got := badFields(bad)
	if len(got) != 3 || got[1]["employee_no"] != "validation.required" || got[2]["employee_no"] != "validation.required" || got[3]["score"] != "attendance.error.score" {
		t.Errorf("bad rows: %v", got)
	}
	imp.ID = startAttendanceImport(t, tw, s.ID)
	if n, bad, err := tw.db.ImportAttendance(ctx, tw.office, imp); err != nil || n != 0 || len(bad) != 3 {
		t.Fatalf("import with bad rows: %d %v %v", n, bad, err)
	}
	if got := tw.attended(t, s.ID); len(got) != 0 {
		t.Fatalf("a refused import wrote %v", got)
	}

	imp.Rows, problems = read("職員番号,受講日,修了,得点,証跡\nT001,2026-07-03,○,85,LMS-1\nT003,,未修了,,\nT009,2026-05-20,修了,,\n")
	if len(problems) > 0 {
		t.Fatalf("problems of the good list: %v", problems)
	}
	mark := auditMark(t, tw.db)
	n, bad, err := tw.db.ImportAttendance(ctx, tw.office, imp)
	if err != nil || len(bad) > 0 || n != 3 {
		t.Fatalf("import: %d %v %v", n, bad, err)
	}
	as, err := tw.db.FindAttendances(ctx, tw.office, s.ID)
	if err != nil || len(as) != 3 {
		t.Fatalf("attendance: %+v %v", as, err)
	}
	byName := map[string]isms.Attendance{}
	for _, a := range as {
		byName[a.PersonName] = a
	}
	if a := byName["青木 一郎"]; !a.Completed || a.CompletedOn.Format("2006-01-02") != "2026-07-03" || a.Score == nil || *a.Score != 85 || a.Evidence != "LMS-1" {
		t.Errorf("青木: %+v", a)
	}
	if a := byName["千葉 次郎"]; a.Completed || a.CompletedOn != nil {
		t.Errorf("千葉 (未修了): %+v", a)
	}
	if a := byName["退職 四郎"]; !a.Completed || a.UnitName != "" {
		t.Errorf("退職 (left before the session, posted nowhere that day): %+v", a)
	}
	if actions, imported := auditSince(t, tw.db, mark); !slices.Equal(actions, []string{"attendance.import"}) || imported != 3 {
		t.Errorf("audit: %v with %d", actions, imported)
	}
}

// startAttendanceImport makes an import of an attendance list into session, checked and ready to
// be written.
func startAttendanceImport(t *testing.T, tw trainingTown, session int64) int64 {
	t.Helper()
	ctx := context.Background()
	im, err := tw.db.CreateImport(ctx, tw.office, isms.Import{Kind: isms.ImportAttendance, SessionID: session, Mode: isms.ImportAdd,
		FileName: "受講記録.csv", Format: "csv", Encoding: "UTF-8", Names: []string{"職員番号"}, Mapping: []string{"employee_no"}},
		[]byte("職員番号\r\n"))
	if err != nil {
		t.Fatal(err)
	}
	if im.SessionID != session {
		t.Errorf("import keeps session %d, want %d", im.SessionID, session)
	}
	if im, err = tw.db.StartImportCheck(ctx, tw.office, im.ID, im.Version, isms.ImportAdd, im.Mapping); err != nil {
		t.Fatal(err)
	}
	if err := tw.db.FinishImportCheck(ctx, im.ID, 1, nil, nil); err != nil {
		t.Fatal(err)
	}
	if im, err = tw.db.FindImport(ctx, tw.office, im.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := tw.db.StartImportWrite(ctx, tw.office, im.ID, im.Version); err != nil {
		t.Fatal(err)
	}
	return im.ID
}

// Sessions are listed newest first, by fiscal year (April to March) and course, a page at a
// time. A session's day moves its completions with it; one with attendance keeps its kind and
// is not deleted, one without is.
func TestSessionsListUpdateDelete(t *testing.T) {
	ctx := context.Background()
	tw := newTrainingTown(t)
	march := tw.session(t, "GEN_ANNUAL", "2026-03-31", false)
	april := tw.session(t, "GEN_ANNUAL", "2026-04-01", false)
	drill := tw.session(t, "PHISHING_DRILL", "2026-10-14", false)
	list := func(f isms.SessionFilter) ([]int64, *isms.SessionCursor) {
		t.Helper()
		ss, next, err := tw.db.FindSessions(ctx, tw.office, f)
		if err != nil {
			t.Fatal(err)
		}
		var ids []int64
		for _, s := range ss {
			ids = append(ids, s.ID)
		}
		return ids, next
	}
	if ids, _ := list(isms.SessionFilter{FiscalYear: 2026}); !slices.Equal(ids, []int64{drill.ID, april.ID}) {
		t.Errorf("FY2026: %v", ids)
	}
	if ids, _ := list(isms.SessionFilter{FiscalYear: 2025}); !slices.Equal(ids, []int64{march.ID}) {
		t.Errorf("FY2025: %v", ids)
	}
	ids, next := list(isms.SessionFilter{CourseCode: "GEN_ANNUAL", Limit: 1})
	if !slices.Equal(ids, []int64{april.ID}) || next == nil {
		t.Fatalf("first page: %v %v", ids, next)
	}
	if ids, next = list(isms.SessionFilter{CourseCode: "GEN_ANNUAL", Limit: 1, After: next}); !slices.Equal(ids, []int64{march.ID}) || next != nil {
		t.Errorf("second page: %v %v", ids, next)
	}
	_, staffUser := tw.person(t, "staff", "職員 一郎", tw.tax)
	if _, _, err := tw.db.FindSessions(ctx, tw.scope(t, staffUser, "2026-11-25"), isms.SessionFilter{}); isms.ErrorCode(err) != isms.EFORBIDDEN {
		t.Errorf("staff list sessions: %v", err)
	}

	if _, err := tw.db.SaveRoster(ctx, tw.office, april.ID, tw.tax.ID, []isms.RosterEntry{{PersonID: tw.aoki.ID, Completed: true}}); err != nil {
		t.Fatal(err)
	}
	in := isms.SessionInput{CourseCode: "GEN_ANNUAL", Title: "延期", HeldOn: at("2026-04-08"), Method: isms.MethodVideo, Version: april.Version}
	moved, err := tw.db.UpdateSession(ctx, tw.office, april.ID, in)
	if err != nil || moved.Title != "延期" || moved.HeldOn.Format("2006-01-02") != "2026-04-08" || moved.Attendees != 1 {
		t.Fatalf("moved session: %+v %v", moved, err)
	}
	if got := tw.attended(t, april.ID); !slices.Equal(got, []string{"青木 一郎:税務課:2026-04-08"}) {
		t.Errorf("completion after the move: %v", got)
	}
	if _, err := tw.db.UpdateSession(ctx, tw.office, april.ID, in); isms.ErrorCode(err) != isms.ECONFLICT {
		t.Errorf("stale session edit: %v", err)
	}
	in.CourseCode, in.Version = "IR_DRILL", moved.Version
	if _, err := tw.db.UpdateSession(ctx, tw.office, april.ID, in); fieldErrors(err)["course_code"] != "training_session.error.kind_change" {
		t.Errorf("a course with attendance made a drill: %v", err)
	}
	if err := tw.db.DeleteSession(ctx, tw.office, april.ID, moved.Version); fieldErrors(err)["session"] != "training_session.error.has_attendance" {
		t.Errorf("deleting a session with attendance: %v", err)
	}
	if err := tw.db.DeleteSession(ctx, tw.office, march.ID, march.Version); err != nil {
		t.Fatal(err)
	}
	if _, err := tw.db.FindSession(ctx, tw.office, march.ID); isms.ErrorCode(err) != isms.ENOTFOUND {
		t.Errorf("deleted session: %v", err)
	}
}
