package isms

import "time"

// Who is due (issue 7 §6): for a fiscal year, each person's required courses from the catalogue
// and their roles, and whether they completed them. The rules below are the whole specification;
// the store computes them in SQL (postgres.FindTrainingStatus and its siblings) and the tests
// check each of them.
//
// Fiscal year FY runs from S = FY-04-01 to E = (FY+1)-03-31. A year is judged on D, the earlier
// of the reader's today and E: a past year is judged at its end.
//
//   - Population: the people in service on D (valid_from ≤ D, valid_to empty or ≥ D), in the unit
//     of their posting on D. Someone who left before D is not counted; someone moved during the
//     year counts in the unit they are in on D, and what they completed before the move counts.
//   - Who must take an active course (its audience): all — everyone but contractors' staff;
//     new_hires — those whose service began within S..E; roles — holders on D of one of the
//     course's security roles; my_number_zone — the staff of units that keep a system in the
//     マイナンバー利用事務系 (systems.zone MYNUMBER); contractors — contractors' staff;
//     drill_clicked — those who clicked in a session of a drill course held within S..E.
//   - What completes it (its requirement): yearly — a completed attendance of a session of the
//     course with completed_on within S..E (3月31日 counts for that year, 4月1日 for the next);
//     on_joining — one completed on or after the start of service, due within_days after it;
//     per_contract — one completed within the period of service; after_drill — one completed on
//     or after the day of the latest drill clicked in the year, due within_days after that drill.
//   - Status: completed; overdue — not completed and past its deadline: for on_joining and
//     after_drill when D is after the due day (a March new hire whose deadline falls in the next
//     year is still due at E), for yearly and per_contract only when the year is over; else due.

// TrainingState is where a person stands with one required course.
type TrainingState string

const (
	TrainingCompleted TrainingState = "completed" // 受講済
	TrainingDue       TrainingState = "due"       // 未受講 (期限前)
	TrainingOverdue   TrainingState = "overdue"   // 未受講 (期限超過)
)

// CourseTally counts, for one course, the people who must take it and those who did.
type CourseTally struct {
	Code      string `json:"code"`
	Required  int    `json:"required"`
	Completed int    `json:"completed"`
	Overdue   int    `json:"overdue"`
}

// Rate is the share of the required who completed, in percent; ok is false when nobody is
// required (no rate, rather than 0 % or 100 %).
func (c CourseTally) Rate() (pct float64, ok bool) {
	if c.Required == 0 {
		return 0, false
	}
	return 100 * float64(c.Completed) / float64(c.Required), true
}

// Add is the tally of both, under c's code.
func (c CourseTally) Add(o CourseTally) CourseTally {
	return CourseTally{Code: c.Code, Required: c.Required + o.Required, Completed: c.Completed + o.Completed, Overdue: c.Overdue + o.Overdue}
}

// UnitTraining is one unit's completion: Courses is aligned with TrainingStatus.Courses.
type UnitTraining struct {
	UnitID   int64         `json:"unit_id"`
	UnitCode string        `json:"unit_code"`
	UnitName string        `json:"unit_name"`
	Courses  []CourseTally `json:"courses"`
}

// Total is the unit's completion over every course (each person × course once).
func (u UnitTraining) Total() CourseTally { return sumTallies(u.Courses) }

// TrainingStatus is the completion of a fiscal year per unit and course, judged on Day, for the
// units the reader sees. Courses are the active courses in catalogue order; each unit's tallies
// and Totals follow that order.
type TrainingStatus struct {
	FiscalYear int            `json:"fiscal_year"`
	Day        time.Time      `json:"day"`
	Courses    []Course       `json:"courses"`
	Units      []UnitTraining `json:"units"`
	Totals     []CourseTally  `json:"totals"`
}

// Total is the completion over every unit and course.
func (s TrainingStatus) Total() CourseTally { return sumTallies(s.Totals) }

// Tally is the total of the course with code, and false when the year's status has no such
// course (it was inactive or not in the catalogue then).
func (s TrainingStatus) Tally(code string) (CourseTally, bool) {
	for _, c := range s.Totals {
		if c.Code == code {
			return c, true
		}
	}
	return CourseTally{}, false
}

// Unit is the completion of the unit with id, and false when the status has none for it.
func (s TrainingStatus) Unit(id int64) (UnitTraining, bool) {
	for _, u := range s.Units {
		if u.UnitID == id {
			return u, true
		}
	}
	return UnitTraining{}, false
}

func sumTallies(cs []CourseTally) CourseTally {
	var t CourseTally
	for _, c := range cs {
		t = t.Add(c)
	}
	return t
}

// PersonDue is one person's standing with one required course in a fiscal year (the lines of
// 未受講者 lists). DueOn is the deadline (the end of the year for yearly courses, the end of
// service for per-contract ones when it is set); CompletedOn the completion that met it.
type PersonDue struct {
	PersonID     int64         `json:"person_id"`
	Name         string        `json:"name"`
	NameKana     string        `json:"name_kana"`
	EmployeeNo   string        `json:"employee_no"`
	UnitID       int64         `json:"unit_id"`
	UnitName     string        `json:"unit_name"`
	CourseCode   string        `json:"course_code"`
	CourseNameJa string        `json:"-"`
	CourseNameEn string        `json:"-"`
	Requirement  Requirement   `json:"requirement"`
	Status       TrainingState `json:"status"`
	DueOn        *time.Time    `json:"due_on"`
	CompletedOn  *time.Time    `json:"completed_on"`
}

// CourseName is the course's name in lang.
func (d PersonDue) CourseName(lang string) string { return pick(lang, d.CourseNameJa, d.CourseNameEn) }

// AttendanceRecord is one line of a person's training history: the session and what they did.
type AttendanceRecord struct {
	SessionID    int64      `json:"session_id"`
	CourseCode   string     `json:"course_code"`
	CourseNameJa string     `json:"-"`
	CourseNameEn string     `json:"-"`
	Kind         CourseKind `json:"kind"`
	Title        string     `json:"title"`
	HeldOn       time.Time  `json:"held_on"`
	Completed    bool       `json:"completed"`
	CompletedOn  *time.Time `json:"completed_on"`
	Score        *int       `json:"score"`
	Clicked      bool       `json:"clicked"`
	Reported     bool       `json:"reported"`
}

// CourseName is the course's name in lang.
func (a AttendanceRecord) CourseName(lang string) string {
	return pick(lang, a.CourseNameJa, a.CourseNameEn)
}

// PersonTraining is one person's record for a fiscal year: what they must take and where they
// stand (Required, in catalogue order), and every session they attended, newest first.
type PersonTraining struct {
	Person      Person             `json:"person"`
	FiscalYear  int                `json:"fiscal_year"`
	Day         time.Time          `json:"day"`
	Required    []PersonDue        `json:"required"`
	Attendances []AttendanceRecord `json:"attendances"`
}

// DrillTally counts what the targets of a drill did: took part to the end (completed), the mail
// opened, a link or attachment clicked, the mail reported to the 窓口.
type DrillTally struct {
	UnitID    int64  `json:"unit_id"`
	UnitName  string `json:"unit_name"`
	Targets   int    `json:"targets"`
	Completed int    `json:"completed"`
	Opened    int    `json:"opened"`
	Clicked   int    `json:"clicked"`
	Reported  int    `json:"reported"`
}

// DrillResult is one drill session's outcome, per unit (the targets' units on the day of the
// drill) and in total.
type DrillResult struct {
	SessionID    int64        `json:"session_id"`
	CourseCode   string       `json:"course_code"`
	CourseNameJa string       `json:"-"`
	CourseNameEn string       `json:"-"`
	Title        string       `json:"title"`
	HeldOn       time.Time    `json:"held_on"`
	Units        []DrillTally `json:"units"`
	Total        DrillTally   `json:"total"`
}

// CourseName is the course's name in lang.
func (d DrillResult) CourseName(lang string) string {
	return pick(lang, d.CourseNameJa, d.CourseNameEn)
}

// FiscalYearBounds are the first and last day of fiscal year fy (4月1日 and 3月31日).
func FiscalYearBounds(fy int) (start, end time.Time) {
	return time.Date(fy, time.April, 1, 0, 0, 0, 0, time.UTC), time.Date(fy+1, time.March, 31, 0, 0, 0, 0, time.UTC)
}

// TrainingDay is the day fiscal year fy is judged on for someone whose today is today: today
// during the year (or before it), its last day once it is over.
func TrainingDay(fy int, today time.Time) time.Time {
	_, end := FiscalYearBounds(fy)
	if today = Day(today); today.After(end) {
		return end
	}
	return today
}
