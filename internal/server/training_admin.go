package server

import (
	"context"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/jichitai-isms/isms/internal/i18n"
	"github.com/jichitai-isms/isms/internal/isms"
	"github.com/jichitai-isms/isms/internal/ledger"
	"github.com/jichitai-isms/isms/internal/postgres"
	"github.com/jichitai-isms/isms/web"
)

// Training (研修・訓練, domain.md §5) as the security office runs it: the course catalogue, the
// plan of each fiscal year with the committee's approval, the sessions held, and their
// attendance, entered for a unit's roster at once or imported from an e-learning system's list.
// The catalogue and the plans are read by everyone signed in.

func sessionPath(id int64) string { return "/training/sessions/" + strconv.FormatInt(id, 10) }

func planPath(fy int) string { return "/training/plans/" + strconv.Itoa(fy) }

// formNumber reads an optional whole number of the posted form: nil for an empty field, and the
// error key against the field when it is not a number.
func formNumber(r *http.Request, name, key string, fe isms.FieldErrors) (n *int, raw string) {
	raw = strings.TrimSpace(r.PostFormValue(name))
	if raw == "" {
		return nil, raw
	}
	v, err := strconv.Atoi(raw)
	fe.Check(err == nil, name, key)
	if err != nil {
		return nil, raw
	}
	return &v, raw
}

func (h *handler) courseList(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	courses, err := h.db.FindCourses(ctx)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	roles, err := h.db.FindSecurityRoles(ctx)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	h.render(w, r, http.StatusOK, web.CourseListPage(web.CourseList{Courses: courses, Roles: roles,
		FiscalYear: isms.FiscalYearOf(h.now())}))
}

// courseFormFrom reads the catalogue form; fe holds the numbers that are not numbers.
func courseFormFrom(r *http.Request) (web.CourseForm, isms.FieldErrors) {
	fe := isms.FieldErrors{}
	f := web.CourseForm{Input: isms.CourseInput{
		Code:        r.PostFormValue("code"),
		NameJa:      r.PostFormValue("name_ja"),
		NameEn:      r.PostFormValue("name_en"),
		Kind:        isms.CourseKind(r.PostFormValue("kind")),
		Audience:    isms.Audience(r.PostFormValue("audience")),
		Roles:       r.PostForm["roles"],
		Requirement: isms.Requirement(r.PostFormValue("requirement")),
		Active:      r.PostFormValue("active") != "",
		Version:     int(formInt(r, "version")),
	}}
	f.Input.WithinDays, f.WithinDays = formNumber(r, "within_days", "course.error.within_days", fe)
	var order *int
	order, f.SortOrder = formNumber(r, "sort_order", "validation.number", fe)
	if order != nil {
		f.Input.SortOrder = *order
	}
	return f, fe
}

func (h *handler) renderCourseForm(w http.ResponseWriter, r *http.Request, status int, f web.CourseForm) {
	roles, err := h.db.FindSecurityRoles(r.Context())
	if err != nil {
		h.fail(w, r, err)
		return
	}
	f.Roles = roles
	h.render(w, r, status, web.CourseFormPage(f))
}

func (h *handler) courseNew(w http.ResponseWriter, r *http.Request) {
	h.renderCourseForm(w, r, http.StatusOK, web.CourseForm{
		Input: isms.CourseInput{Kind: isms.CourseLesson, Audience: isms.AudienceAll, Requirement: isms.RequireYearly, Active: true},
	})
}

func (h *handler) courseEdit(w http.ResponseWriter, r *http.Request) {
	c, err := h.db.FindCourse(r.Context(), r.PathValue("code"))
	if err != nil {
		h.fail(w, r, err)
		return
	}
	f := web.CourseForm{Editing: true, SortOrder: strconv.Itoa(c.SortOrder), Input: isms.CourseInput{
		Code: c.Code, NameJa: c.NameJa, NameEn: c.NameEn, Kind: c.Kind, Audience: c.Audience, Roles: c.Roles,
		Requirement: c.Requirement, WithinDays: c.WithinDays, Active: c.Active, SortOrder: c.SortOrder, Version: c.Version,
	}}
	if c.WithinDays != nil {
		f.WithinDays = strconv.Itoa(*c.WithinDays)
	}
	h.renderCourseForm(w, r, http.StatusOK, f)
}

// saveCourse adds (code "") or changes a course from the posted form.
func (h *handler) saveCourse(w http.ResponseWriter, r *http.Request, code string) {
	if !h.parseForm(w, r) {
		return
	}
	ctx := r.Context()
	actor := isms.ActorFrom(ctx)
	f, fe := courseFormFrom(r)
	f.Editing = code != ""
	if f.Editing {
		f.Input.Code = code
	}
	if len(fe) > 0 {
		in := f.Input
		in.Normalize()
		f.Errors = mergeErrors(fe, in.Validate())
		h.renderCourseForm(w, r, http.StatusUnprocessableEntity, f)
		return
	}
	var err error
	if f.Editing {
		_, err = h.db.UpdateCourse(ctx, actor, code, f.Input)
	} else {
		_, err = h.db.CreateCourse(ctx, actor, f.Input)
	}
	if h.refused(w, r, err, func(status int, errs isms.FieldErrors, conflict bool) {
		f.Errors, f.Conflict = errs, conflict
		h.renderCourseForm(w, r, status, f)
	}) {
		return
	}
	h.done(w, r, "course.saved", "/training/courses")
}

func (h *handler) courseCreate(w http.ResponseWriter, r *http.Request) { h.saveCourse(w, r, "") }

func (h *handler) courseUpdate(w http.ResponseWriter, r *http.Request) {
	if _, err := h.db.FindCourse(r.Context(), r.PathValue("code")); err != nil {
		h.fail(w, r, err)
		return
	}
	h.saveCourse(w, r, r.PathValue("code"))
}

// pathFiscalYear is the fiscal year of the path's {fy}; a year out of the plans' range is 404.
func (h *handler) pathFiscalYear(w http.ResponseWriter, r *http.Request) (int, bool) {
	fy, err := strconv.Atoi(r.PathValue("fy"))
	if err != nil || fy < 2000 || fy > 2100 {
		h.fail(w, r, isms.Errorf(isms.ENOTFOUND, "no such fiscal year"))
		return 0, false
	}
	return fy, true
}

// planInputOf is a stored plan as its form starts from.
func planInputOf(p isms.TrainingPlan) isms.PlanInput {
	in := isms.PlanInput{FiscalYear: p.FiscalYear, Note: p.Note, Version: p.Version}
	for _, it := range p.Items {
		in.Items = append(in.Items, isms.PlanItemInput{CourseCode: it.CourseCode, Months: it.Months, Method: it.Method, Note: it.Note})
	}
	return in
}

// renderPlan shows a fiscal year's plan; v.Input is the form's content (the stored plan unless a
// refused form is shown again).
func (h *handler) renderPlan(w http.ResponseWriter, r *http.Request, status int, fy int, v web.PlanView) {
	ctx := r.Context()
	plan, err := h.db.FindTrainingPlan(ctx, fy)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	courses, err := h.db.FindCourses(ctx)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	v.Plan, v.Courses = plan, courses
	if v.Input.FiscalYear == 0 {
		v.Input = planInputOf(plan)
	}
	if v.ApprovedOn == "" && v.ApprovalErrors == nil {
		v.ApprovedOn = isms.Day(h.now()).Format(time.DateOnly)
	}
	h.render(w, r, status, web.PlanPage(v))
}

func (h *handler) planShow(w http.ResponseWriter, r *http.Request) {
	if fy, ok := h.pathFiscalYear(w, r); ok {
		h.renderPlan(w, r, http.StatusOK, fy, web.PlanView{})
	}
}

// planSave records the plan form: for each course of the catalogue its months (months_CODE), its
// method and its note.
func (h *handler) planSave(w http.ResponseWriter, r *http.Request) {
	fy, ok := h.pathFiscalYear(w, r)
	if !ok || !h.parseForm(w, r) {
		return
	}
	ctx := r.Context()
	courses, err := h.db.FindCourses(ctx)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	in := isms.PlanInput{FiscalYear: fy, Note: r.PostFormValue("note"), Version: int(formInt(r, "version"))}
	for _, c := range courses {
		it := isms.PlanItemInput{CourseCode: c.Code, Method: isms.Method(r.PostFormValue("method_" + c.Code)),
			Note: r.PostFormValue("note_" + c.Code)}
		for _, m := range r.PostForm["months_"+c.Code] {
			n, err := strconv.Atoi(m)
			if err != nil {
				n = 0 // not a month: the plan's rules say so beside the course
			}
			it.Months = append(it.Months, n)
		}
		in.Items = append(in.Items, it)
	}
	_, err = h.db.SaveTrainingPlan(ctx, isms.ActorFrom(ctx), in)
	if h.refused(w, r, err, func(status int, errs isms.FieldErrors, conflict bool) {
		h.renderPlan(w, r, status, fy, web.PlanView{Input: in, Errors: errs, Conflict: conflict})
	}) {
		return
	}
	h.done(w, r, "training_plan.saved", planPath(fy))
}

// planApprove records the committee's approval of the plan as shown.
func (h *handler) planApprove(w http.ResponseWriter, r *http.Request) {
	fy, ok := h.pathFiscalYear(w, r)
	if !ok || !h.parseForm(w, r) {
		return
	}
	ctx := r.Context()
	fe := isms.FieldErrors{}
	on, onRaw := postedDay(r, "approved_on", fe)
	by := r.PostFormValue("approved_by")
	show := func(status int, errs isms.FieldErrors, conflict bool) {
		h.renderPlan(w, r, status, fy, web.PlanView{ApprovedOn: onRaw, ApprovedBy: by, ApprovalErrors: errs, Conflict: conflict})
	}
	if len(fe) > 0 {
		show(http.StatusUnprocessableEntity, fe, false)
		return
	}
	_, err := h.db.ApproveTrainingPlan(ctx, isms.ActorFrom(ctx), fy, on, by, int(formInt(r, "version")))
	if h.refused(w, r, err, show) {
		return
	}
	h.done(w, r, "training_plan.approved", planPath(fy))
}

// sessionFilterFrom reads the list's filter: a fiscal year (this one when the query has none,
// every year when it is empty) and a course.
func (h *handler) sessionFilterFrom(r *http.Request) isms.SessionFilter {
	q := r.URL.Query()
	f := isms.SessionFilter{CourseCode: q.Get("course"), FiscalYear: isms.FiscalYearOf(h.now())}
	if q.Has("fy") {
		f.FiscalYear, _ = strconv.Atoi(q.Get("fy"))
	}
	if id := formInt(r, "after_id"); id > 0 {
		if d, ok := isms.ParseDay(q.Get("after_held")); ok && d != nil {
			f.After = &isms.SessionCursor{HeldOn: *d, ID: id}
		}
	}
	return f
}

func (h *handler) sessionList(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	f := h.sessionFilterFrom(r)
	sessions, next, err := h.db.FindSessions(ctx, isms.ActorFrom(ctx), f)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	courses, err := h.db.FindCourses(ctx)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	h.render(w, r, http.StatusOK, web.SessionListPage(web.SessionList{Filter: f, Sessions: sessions, Next: next,
		Courses: courses, ThisYear: isms.FiscalYearOf(h.now())}))
}

// sessionFormFrom reads the session form; fe holds a day that is not a date.
func sessionFormFrom(r *http.Request) (web.SessionForm, isms.FieldErrors) {
	fe := isms.FieldErrors{}
	f := web.SessionForm{Input: isms.SessionInput{
		CourseCode:   r.PostFormValue("course_code"),
		Title:        r.PostFormValue("title"),
		Method:       isms.Method(r.PostFormValue("method")),
		Provider:     r.PostFormValue("provider"),
		MaterialsURL: r.PostFormValue("materials_url"),
		HasTest:      r.PostFormValue("has_test") != "",
		Note:         r.PostFormValue("note"),
		Version:      int(formInt(r, "version")),
	}}
	f.Input.HeldOn, f.HeldOn = postedDay(r, "held_on", fe)
	return f, fe
}

func (h *handler) renderSessionForm(w http.ResponseWriter, r *http.Request, status int, f web.SessionForm) {
	courses, err := h.db.FindCourses(r.Context())
	if err != nil {
		h.fail(w, r, err)
		return
	}
	f.Courses = courses
	h.render(w, r, status, web.SessionFormPage(f))
}

func (h *handler) sessionNew(w http.ResponseWriter, r *http.Request) {
	h.renderSessionForm(w, r, http.StatusOK, web.SessionForm{
		Input:  isms.SessionInput{CourseCode: r.URL.Query().Get("course"), Method: isms.MethodClassroom},
		HeldOn: isms.Day(h.now()).Format(time.DateOnly),
	})
}

// pathSession is the session of the path's {id}; when there is none it has answered already.
func (h *handler) pathSession(w http.ResponseWriter, r *http.Request) (isms.TrainingSession, bool) {
	return pathRecord(h, w, r, h.db.FindSession)
}

func (h *handler) sessionEdit(w http.ResponseWriter, r *http.Request) {
	s, ok := h.pathSession(w, r)
	if !ok {
		return
	}
	held := s.HeldOn
	h.renderSessionForm(w, r, http.StatusOK, web.SessionForm{ID: s.ID, HeldOn: formDate(&held), Input: isms.SessionInput{
		CourseCode: s.CourseCode, Title: s.Title, HeldOn: &held, Method: s.Method, Provider: s.Provider,
		MaterialsURL: s.MaterialsURL, HasTest: s.HasTest, Note: s.Note, Version: s.Version,
	}})
}

// saveSession records a new session (id 0) or changes one from the posted form.
func (h *handler) saveSession(w http.ResponseWriter, r *http.Request, id int64) {
	if !h.parseForm(w, r) {
		return
	}
	ctx := r.Context()
	actor := isms.ActorFrom(ctx)
	f, fe := sessionFormFrom(r)
	f.ID = id
	if len(fe) > 0 {
		in := f.Input
		in.Normalize()
		f.Errors = mergeErrors(fe, in.Validate())
		h.renderSessionForm(w, r, http.StatusUnprocessableEntity, f)
		return
	}
	var s isms.TrainingSession
	var err error
	if id == 0 {
		s, err = h.db.CreateSession(ctx, actor, f.Input)
	} else {
		s, err = h.db.UpdateSession(ctx, actor, id, f.Input)
	}
	if h.refused(w, r, err, func(status int, errs isms.FieldErrors, conflict bool) {
		f.Errors, f.Conflict = errs, conflict
		h.renderSessionForm(w, r, status, f)
	}) {
		return
	}
	h.done(w, r, "training_session.saved", sessionPath(s.ID))
}

func (h *handler) sessionCreate(w http.ResponseWriter, r *http.Request) { h.saveSession(w, r, 0) }

func (h *handler) sessionUpdate(w http.ResponseWriter, r *http.Request) {
	if s, ok := h.pathSession(w, r); ok {
		h.saveSession(w, r, s.ID)
	}
}

// renderSession shows a session with its attendance and the units whose roster can be opened
// (those open on the session's day).
func (h *handler) renderSession(w http.ResponseWriter, r *http.Request, status int, v web.SessionView) {
	ctx := r.Context()
	actor := isms.ActorFrom(ctx)
	course, err := h.db.FindCourse(ctx, v.Session.CourseCode)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	attendances, err := h.db.FindAttendances(ctx, actor, v.Session.ID)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	units, err := h.db.FindUnits(ctx)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	for _, u := range units {
		if u.Contains(v.Session.HeldOn) {
			v.Units = append(v.Units, u)
		}
	}
	v.Course, v.Attendances = course, attendances
	h.render(w, r, status, web.SessionPage(v))
}

func (h *handler) sessionShow(w http.ResponseWriter, r *http.Request) {
	if s, ok := h.pathSession(w, r); ok {
		h.renderSession(w, r, http.StatusOK, web.SessionView{Session: s})
	}
}

// sessionDelete removes a session recorded by mistake; one with attendance stays, and its page
// says why.
func (h *handler) sessionDelete(w http.ResponseWriter, r *http.Request) {
	s, ok := h.pathSession(w, r)
	if !ok || !h.parseForm(w, r) {
		return
	}
	ctx := r.Context()
	err := h.db.DeleteSession(ctx, isms.ActorFrom(ctx), s.ID, int(formInt(r, "version")))
	if h.refused(w, r, err, func(status int, errs isms.FieldErrors, conflict bool) {
		h.renderSession(w, r, status, web.SessionView{Session: s, Errors: errs, Conflict: conflict})
	}) {
		return
	}
	h.done(w, r, "training_session.deleted", "/training/sessions")
}

// rosterValues are what a roster form shows for each person: what is recorded, or, with all, every
// person ticked (the 全員を選択 link, which works without scripts).
func rosterValues(lines []isms.RosterLine, all bool) map[int64]web.RosterValue {
	values := make(map[int64]web.RosterValue, len(lines))
	for _, l := range lines {
		var v web.RosterValue
		if a := l.Attendance; a != nil {
			v = web.RosterValue{Done: a.Completed, Evidence: a.Evidence, Target: true, Opened: a.Opened,
				Clicked: a.Clicked, Reported: a.Reported}
			if a.Score != nil {
				v.Score = strconv.Itoa(*a.Score)
			}
		}
		if all {
			v.Done, v.Target = true, true
		}
		values[l.Person.ID] = v
	}
	return values
}

// renderRoster shows the roster form of a unit for a session; f.Values, when set, are what the
// refused form held.
func (h *handler) renderRoster(w http.ResponseWriter, r *http.Request, status int, f web.RosterForm, all bool) {
	ctx := r.Context()
	actor := isms.ActorFrom(ctx)
	course, err := h.db.FindCourse(ctx, f.Session.CourseCode)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	lines, err := h.db.FindRoster(ctx, actor, f.Session.ID, f.Unit.ID)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	f.Course, f.Lines = course, lines
	if f.Values == nil {
		f.Values = rosterValues(lines, all)
	}
	h.render(w, r, status, web.RosterPage(f))
}

// rosterUnit is the unit the roster is asked for (unit in the query or the form); without one,
// the session's page asks to choose it (422).
func (h *handler) rosterUnit(w http.ResponseWriter, r *http.Request, s isms.TrainingSession) (isms.Unit, bool) {
	id := formInt(r, "unit")
	if id <= 0 {
		h.renderSession(w, r, http.StatusUnprocessableEntity, web.SessionView{Session: s,
			Errors: isms.FieldErrors{"unit": "validation.choose"}})
		return isms.Unit{}, false
	}
	u, err := h.db.FindUnit(r.Context(), isms.ActorFrom(r.Context()), id)
	if err != nil {
		h.fail(w, r, err)
		return isms.Unit{}, false
	}
	return u, true
}

func (h *handler) rosterShow(w http.ResponseWriter, r *http.Request) {
	s, ok := h.pathSession(w, r)
	if !ok {
		return
	}
	if u, ok := h.rosterUnit(w, r, s); ok {
		h.renderRoster(w, r, http.StatusOK, web.RosterForm{Session: s, Unit: u}, r.URL.Query().Get("all") == "1")
	}
}

// rosterSave records the roster form: for a course, who completed it (done), with the score and
// evidence of each; for a drill, the targets and what each did with the mail. Every person of the
// form is named in a hidden person field, so that an unticked box removes what was recorded.
func (h *handler) rosterSave(w http.ResponseWriter, r *http.Request) {
	s, ok := h.pathSession(w, r)
	if !ok || !h.parseForm(w, r) {
		return
	}
	u, ok := h.rosterUnit(w, r, s)
	if !ok {
		return
	}
	ctx := r.Context()
	actor := isms.ActorFrom(ctx)
	course, err := h.db.FindCourse(ctx, s.CourseCode)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	ticked := func(name string) map[int64]bool {
		set := map[int64]bool{}
		for _, v := range r.PostForm[name] {
			if id, err := strconv.ParseInt(v, 10, 64); err == nil {
				set[id] = true
			}
		}
		return set
	}
	done, target, opened, clicked, reported := ticked("done"), ticked("target"), ticked("opened"), ticked("clicked"), ticked("reported")
	values := map[int64]web.RosterValue{}
	fe := isms.FieldErrors{}
	var entries []isms.RosterEntry
	var drill []isms.DrillEntry
	for _, raw := range r.PostForm["person"] {
		id, err := strconv.ParseInt(raw, 10, 64)
		if err != nil {
			h.fail(w, r, isms.Errorf(isms.EINVALID, "malformed roster"))
			return
		}
		key := strconv.FormatInt(id, 10)
		v := web.RosterValue{Done: done[id], Target: target[id], Opened: opened[id], Clicked: clicked[id], Reported: reported[id],
			Evidence: r.PostFormValue("evidence_" + key)}
		score, scoreRaw := formNumber(r, "score_"+key, "attendance.error.score", fe)
		v.Score = scoreRaw
		values[id] = v
		entries = append(entries, isms.RosterEntry{PersonID: id, Completed: v.Done, Score: score, Evidence: v.Evidence})
		drill = append(drill, isms.DrillEntry{PersonID: id, Target: v.Target, Opened: v.Opened, Clicked: v.Clicked, Reported: v.Reported})
	}
	f := web.RosterForm{Session: s, Unit: u, Values: values}
	if len(fe) > 0 {
		f.Errors = mergeErrors(fe, isms.ValidateRoster(entries, s.HasTest))
		h.renderRoster(w, r, http.StatusUnprocessableEntity, f, false)
		return
	}
	if course.Kind == isms.CourseDrill {
		_, err = h.db.SaveDrillResults(ctx, actor, s.ID, u.ID, drill)
	} else {
		_, err = h.db.SaveRoster(ctx, actor, s.ID, u.ID, entries)
	}
	if h.invalid(w, r, err, func(errs isms.FieldErrors) {
		f.Errors = errs
		h.renderRoster(w, r, http.StatusUnprocessableEntity, f, false)
	}) {
		return
	}
	h.done(w, r, "attendance.roster_saved", sessionPath(s.ID))
}

// sessionLabel names a session for the import page: its day, and its title or course.
func sessionLabel(ctx context.Context, s isms.TrainingSession, c isms.Course) string {
	name := s.Title
	if name == "" {
		name = c.Name(string(i18n.LangFrom(ctx)))
	}
	return i18n.FormatDateCtx(ctx, s.HeldOn) + " " + name
}

// importSession names the session an attendance list goes into, for the upload form; an import
// of another kind has none.
func (h *handler) importSession(ctx context.Context, actor isms.Actor, id int64) (string, error) {
	s, err := h.db.FindSession(ctx, actor, id)
	if err != nil {
		return "", err
	}
	c, err := h.db.FindCourse(ctx, s.CourseCode)
	if err != nil {
		return "", err
	}
	return sessionLabel(ctx, s, c), nil
}

// runAttendanceImport checks or writes the rows of an attendance list into the import's session.
// People are found by employee number among everyone the directory holds.
func runAttendanceImport(run *importRun, write bool) error {
	ctx, db := run.ctx, run.h.db
	numbers, err := db.FindAttendeeNumbers(ctx, run.actor)
	if err != nil {
		return err
	}
	lk := ledger.Lookups{People: make(map[string]int64, len(numbers))}
	for no, id := range numbers {
		lk.People[ledger.Key(no)] = id
	}
	rows, read := ledger.AttendanceRows(run.table, run.header, lk)
	imp := postgres.AttendanceImport{ID: run.im.ID, SessionID: run.im.SessionID, Rows: make([]postgres.AttendanceImportRow, len(rows))}
	lines := make([]int, len(rows))
	for i, r := range rows {
		imp.Rows[i] = postgres.AttendanceImportRow{Row: r.Row, PersonID: r.PersonID, Completed: r.Completed,
			CompletedOn: r.CompletedOn, Score: r.Score, Evidence: r.Evidence}
		lines[i] = r.Row
	}
	return run.settle(ledger.AttendanceLayout, read, lines, write,
		func() ([]postgres.RowErrors, error) { return db.CheckAttendanceImport(ctx, run.actor, imp) },
		func() ([]postgres.RowErrors, error) {
			_, bad, err := db.ImportAttendance(ctx, run.actor, imp)
			return bad, err
		},
		func(i int, key string) string {
			r := rows[i]
			switch key {
			case "employee_no":
				return r.EmployeeNo
			case "completed_on":
				return fieldText(ctx, &r.CompletedOn)
			case "completed":
				return i18n.T(ctx, "attendance.completed."+strconv.FormatBool(r.Completed))
			case "score":
				return fieldText(ctx, &r.Score)
			case "evidence":
				return r.Evidence
			}
			return ""
		})
}
