package isms

import (
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// The forms of the training office (issue 7): a fiscal year's plan, the roster of a unit for a
// session, and the outcomes of a phishing drill. Their per-person and per-course fields are named
// after the record they belong to (months_GEN_ANNUAL, score_42), so that an error sits beside its
// field in a table of many.

// PlanInput is the plan form of a fiscal year: the note, and for each course planned its months,
// method and note. The items replace the plan's items as a whole.
type PlanInput struct {
	FiscalYear int
	Note       string
	Items      []PlanItemInput
	Version    int // 0 for a year without a plan yet
}

// PlanItemInput is one course's row of the plan form.
type PlanItemInput struct {
	CourseCode string
	Months     []int // 1–12
	Method     Method
	Note       string
}

// planned reports whether the row plans anything: a course with no month, method or note is not
// in the plan.
func (it PlanItemInput) planned() bool {
	return len(it.Months) > 0 || it.Method != "" || it.Note != ""
}

// Normalize trims the texts, orders each course's months, and leaves out the courses the form
// planned nothing for.
func (in *PlanInput) Normalize() {
	in.Note = strings.TrimSpace(in.Note)
	items := in.Items[:0:0]
	for _, it := range in.Items {
		it.CourseCode = strings.TrimSpace(it.CourseCode)
		it.Note = strings.TrimSpace(it.Note)
		it.Months = slices.Compact(slices.Sorted(slices.Values(it.Months)))
		if it.planned() {
			items = append(items, it)
		}
	}
	in.Items = items
}

// Validate checks the form; whether each course exists is the store's to check.
func (in PlanInput) Validate() FieldErrors {
	fe := FieldErrors{}
	fe.Check(in.FiscalYear >= 2000 && in.FiscalYear <= 2100, "fiscal_year", "training_plan.error.fiscal_year")
	fe.Check(utf8.RuneCountInString(in.Note) <= 2000, "note", "system.error.too_long_2000")
	seen := map[string]bool{}
	for _, it := range in.Items {
		fe.Check(it.CourseCode != "" && !seen[it.CourseCode], "plan", "validation.choose")
		seen[it.CourseCode] = true
		fe.Check(!slices.ContainsFunc(it.Months, func(m int) bool { return m < 1 || m > 12 }), "months_"+it.CourseCode, "training_plan.error.month")
		fe.Check(it.Method == "" || slices.Contains(Methods, it.Method), "method_"+it.CourseCode, "validation.choose")
		fe.Check(utf8.RuneCountInString(it.Note) <= 100, "note_"+it.CourseCode, "validation.too_long")
	}
	return fe
}

// FiscalMonths are the months of a fiscal year in its order, April to March, as plans show them.
var FiscalMonths = []int{4, 5, 6, 7, 8, 9, 10, 11, 12, 1, 2, 3}

// SessionFilter selects sessions for the list: of a fiscal year (0: any) and of a course ("":
// any), newest first, a page of Limit after the cursor.
type SessionFilter struct {
	FiscalYear int
	CourseCode string
	After      *SessionCursor
	Limit      int
}

// SessionCursor is the last session of a page: the next page starts after it.
type SessionCursor struct {
	HeldOn time.Time
	ID     int64
}

// RosterLine is one person of a unit's roster for a session: a person in service and posted to
// the unit on the session's day, with their attendance when one is recorded.
type RosterLine struct {
	Person     Person
	Attendance *Attendance
}

// RosterEntry is one person's line of the roster form of a course session: ticked (Completed)
// records them as having completed it on the session's day; unticked removes what was recorded.
type RosterEntry struct {
	PersonID  int64
	Completed bool
	Score     *int
	Evidence  string
}

// DrillEntry is one person's line of the roster form of a phishing drill (標的型攻撃メール訓練):
// whether the mail was sent to them, and what they did with it. Any outcome makes them a target.
type DrillEntry struct {
	PersonID                          int64
	Target, Opened, Clicked, Reported bool
}

// RosterCounts is what a roster save did: the attendances recorded or changed, those removed.
type RosterCounts struct {
	Recorded int `json:"recorded"`
	Removed  int `json:"removed"`
}

// ValidateRoster checks the scores and evidence of a roster form; hasTest says whether the
// session had a comprehension test (理解度テスト), without which no score is taken.
func ValidateRoster(entries []RosterEntry, hasTest bool) FieldErrors {
	fe := FieldErrors{}
	for _, e := range entries {
		id := strconv.FormatInt(e.PersonID, 10)
		fe.Check(e.Score == nil || hasTest && *e.Score >= 0 && *e.Score <= 100, "score_"+id, "attendance.error.score")
		fe.Check(utf8.RuneCountInString(strings.TrimSpace(e.Evidence)) <= 100, "evidence_"+id, "validation.too_long")
	}
	return fe
}
