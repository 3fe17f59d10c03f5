package isms

import (
	"slices"
	"strings"
	"time"
	"unicode/utf8"
)

// Education and training (研修・訓練, basic policy §6(5), domain.md §5): a catalogue of courses and
// drills, each saying whom it is for (Audience) and how often (Requirement); a plan per fiscal
// year approved by the committee; the sessions held and their attendance; and the staff's
// confirmation that they read the current basic policy.

// CourseKind is whether a course teaches or exercises.
type CourseKind string

const (
	CourseLesson CourseKind = "course" // 研修
	CourseDrill  CourseKind = "drill"  // 訓練 (標的型攻撃メール訓練, 緊急時対応訓練)
)

// Audience is who must take a course.
type Audience string

const (
	AudienceAll          Audience = "all"            // 全職員等 except contractors' staff (会計年度任用職員 included)
	AudienceNewHires     Audience = "new_hires"      // people whose service began in the fiscal year
	AudienceRoles        Audience = "roles"          // holders of Course.Roles
	AudienceMyNumberZone Audience = "my_number_zone" // staff of units keeping a system in the マイナンバー利用事務系
	AudienceContractors  Audience = "contractors"    // 委託先従事者
	AudienceDrillClicked Audience = "drill_clicked"  // targets who clicked in a phishing drill
)

// Audiences lists the audiences in the order forms show them.
var Audiences = []Audience{AudienceAll, AudienceNewHires, AudienceRoles, AudienceMyNumberZone, AudienceContractors, AudienceDrillClicked}

// Requirement is how often a course must be completed.
type Requirement string

const (
	RequireYearly      Requirement = "yearly"       // once each fiscal year (4月1日–3月31日)
	RequireOnJoining   Requirement = "on_joining"   // within WithinDays of the start of service
	RequirePerContract Requirement = "per_contract" // once in a contractor's period of service
	RequireAfterDrill  Requirement = "after_drill"  // within WithinDays of the drill fallen for
)

// Requirements lists the requirements in the order forms show them.
var Requirements = []Requirement{RequireYearly, RequireOnJoining, RequirePerContract, RequireAfterDrill}

// Course is an entry of the training catalogue. Names are the town's wording (【推定】 seed).
type Course struct {
	Code        string      `json:"code"`
	NameJa      string      `json:"name_ja"`
	NameEn      string      `json:"name_en"`
	Kind        CourseKind  `json:"kind"`
	Audience    Audience    `json:"audience"`
	Roles       []string    `json:"roles"` // security role codes, for AudienceRoles
	Requirement Requirement `json:"requirement"`
	WithinDays  *int        `json:"within_days"`
	Active      bool        `json:"active"`
	SortOrder   int         `json:"sort_order"`
	Version     int         `json:"version"`
}

// Name is the course's name in lang.
func (c Course) Name(lang string) string { return pick(lang, c.NameJa, c.NameEn) }

// CourseInput is the catalogue form.
type CourseInput struct {
	Code        string
	NameJa      string
	NameEn      string
	Kind        CourseKind
	Audience    Audience
	Roles       []string
	Requirement Requirement
	WithinDays  *int
	Active      bool
	SortOrder   int
	Version     int
}

// Normalize trims the names and orders the roles.
func (in *CourseInput) Normalize() {
	in.Code = strings.ToUpper(strings.TrimSpace(in.Code))
	in.NameJa, in.NameEn = strings.TrimSpace(in.NameJa), strings.TrimSpace(in.NameEn)
	in.Roles = slices.Compact(slices.Sorted(slices.Values(in.Roles)))
	if in.Audience != AudienceRoles {
		in.Roles = nil
	}
}

// Validate checks what does not need the database (the roles' existence does).
func (in CourseInput) Validate() FieldErrors {
	fe := FieldErrors{}
	fe.Check(courseCode(in.Code), "code", "course.error.code")
	fe.Check(in.NameJa != "", "name_ja", "validation.required")
	fe.Check(in.NameEn != "", "name_en", "validation.required")
	fe.Check(utf8.RuneCountInString(in.NameJa) <= 200, "name_ja", "validation.too_long")
	fe.Check(utf8.RuneCountInString(in.NameEn) <= 200, "name_en", "validation.too_long")
	fe.Check(in.Kind == CourseLesson || in.Kind == CourseDrill, "kind", "validation.choose")
	fe.Check(slices.Contains(Audiences, in.Audience), "audience", "validation.choose")
	fe.Check(in.Audience != AudienceRoles || len(in.Roles) > 0, "roles", "course.error.roles")
	fe.Check(slices.Contains(Requirements, in.Requirement), "requirement", "validation.choose")
	timed := in.Requirement == RequireOnJoining || in.Requirement == RequireAfterDrill
	fe.Check(!timed || in.WithinDays != nil && *in.WithinDays > 0 && *in.WithinDays <= 366, "within_days", "course.error.within_days")
	return fe
}

func courseCode(s string) bool {
	if s == "" || len(s) > 40 || s[0] < 'A' || s[0] > 'Z' {
		return false
	}
	for _, r := range s {
		if !(r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '_') {
			return false
		}
	}
	return true
}

// Method is how a session is delivered.
type Method string

const (
	MethodClassroom Method = "classroom" // 集合研修
	MethodELearning Method = "elearning" // eラーニング
	MethodVideo     Method = "video"     // 動画
	MethodExercise  Method = "exercise"  // 演習・訓練
)

// Methods lists the methods in the order forms show them.
var Methods = []Method{MethodClassroom, MethodELearning, MethodVideo, MethodExercise}

// TrainingPlan is the training plan of a fiscal year (研修計画) and its approval by the
// information security committee.
type TrainingPlan struct {
	FiscalYear int        `json:"fiscal_year"`
	Note       string     `json:"note"`
	ApprovedOn *time.Time `json:"approved_on"`
	ApprovedBy string     `json:"approved_by"`
	Items      []PlanItem `json:"items"`
	Version    int        `json:"version"`
}

// PlanItem is one course of a plan, in the months it is planned.
type PlanItem struct {
	ID         int64  `json:"id"`
	CourseCode string `json:"course_code"`
	Months     []int  `json:"months"` // 1–12
	Method     Method `json:"method"` // "" when not decided
	Note       string `json:"note"`

	CourseName string `json:"-"`
}

// TrainingSession is a session of a course or drill as held.
type TrainingSession struct {
	ID           int64     `json:"id"`
	CourseCode   string    `json:"course_code"`
	Title        string    `json:"title"`
	HeldOn       time.Time `json:"held_on"`
	Method       Method    `json:"method"`
	Provider     string    `json:"provider"`
	MaterialsURL string    `json:"materials_url"`
	HasTest      bool      `json:"has_test"`
	Note         string    `json:"note"`
	Version      int       `json:"version"`

	CourseName string `json:"-"`
	Attendees  int    `json:"-"` // completed attendances
}

// SessionInput is the session form.
type SessionInput struct {
	CourseCode   string
	Title        string
	HeldOn       *time.Time
	Method       Method
	Provider     string
	MaterialsURL string
	HasTest      bool
	Note         string
	Version      int
}

// Normalize trims the text fields.
func (in *SessionInput) Normalize() {
	for _, s := range []*string{&in.CourseCode, &in.Title, &in.Provider, &in.MaterialsURL, &in.Note} {
		*s = strings.TrimSpace(*s)
	}
}

// Validate checks the form; the course's existence is the store's to check.
func (in SessionInput) Validate() FieldErrors {
	fe := FieldErrors{}
	fe.Check(in.CourseCode != "", "course_code", "validation.choose")
	fe.Check(in.HeldOn != nil, "held_on", "validation.required")
	fe.Check(slices.Contains(Methods, in.Method), "method", "validation.choose")
	fe.Check(utf8.RuneCountInString(in.Title) <= 200, "title", "validation.too_long")
	fe.Check(utf8.RuneCountInString(in.Provider) <= 200, "provider", "validation.too_long")
	fe.Check(in.MaterialsURL == "" || strings.HasPrefix(in.MaterialsURL, "https://") || strings.HasPrefix(in.MaterialsURL, "http://"),
		"materials_url", "validation.url")
	fe.Check(utf8.RuneCountInString(in.Note) <= 2000, "note", "validation.too_long")
	return fe
}

// Attendance is one person's part in a session: for a course whether they completed it, for a
// drill (標的型攻撃メール訓練) also what they did with the mail.
type Attendance struct {
	ID          int64      `json:"id"`
	SessionID   int64      `json:"session_id"`
	PersonID    int64      `json:"person_id"`
	Completed   bool       `json:"completed"`
	CompletedOn *time.Time `json:"completed_on"`
	Score       *int       `json:"score"`
	Evidence    string     `json:"evidence"`
	Opened      bool       `json:"opened"`
	Clicked     bool       `json:"clicked"`
	Reported    bool       `json:"reported"`
	Version     int        `json:"version"`

	PersonName string `json:"-"`
	EmployeeNo string `json:"-"`
	UnitName   string `json:"-"`
}

// PolicyVersion is a version of the basic policy that staff confirm they have read.
type PolicyVersion struct {
	ID           int64     `json:"id"`
	Title        string    `json:"title"`
	VersionLabel string    `json:"version_label"`
	EffectiveOn  time.Time `json:"effective_on"`
	Summary      string    `json:"summary"`
	DocumentURL  string    `json:"document_url"`
	CreatedAt    time.Time `json:"created_at"`
}
