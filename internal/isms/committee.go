package isms

import (
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// The information security committee (情報セキュリティ委員会, domain.md §2.1 and §6): its meetings
// with their attendees and agenda, the decision on each agenda item, and the yearly improvement
// plan (改善計画) it approves and whose progress it checks.
//
// The committee's pages are its minutes: recording that the committee approved the training plan
// changes nothing in the training records, each part keeps its own approval. An agenda item only
// points at what it decided on, by kind and id (or fiscal year), because the parts are separate.

// ReadsCommittee reports whether the actor reads the committee's meetings and improvement plans:
// the security office that keeps them, the CISO who chairs, auditors, and the members.
func ReadsCommittee(a Actor) bool {
	return a.Can(PermManageCommittee) || a.System || a.SignedIn() && (a.Role == RoleCISO || a.Role == RoleAuditor ||
		a.Holds(RoleCodeCommittee) || a.Holds(RoleCodeCISO))
}

// MeetingStatus says whether a meeting is still to come or was held.
type MeetingStatus string

const (
	MeetingPlanned MeetingStatus = "planned" // 開催予定
	MeetingHeld    MeetingStatus = "held"    // 開催済
)

// MeetingStatuses lists the statuses in the order forms offer them.
var MeetingStatuses = []MeetingStatus{MeetingPlanned, MeetingHeld}

// Valid reports whether s is one of the statuses.
func (s MeetingStatus) Valid() bool { return slices.Contains(MeetingStatuses, s) }

// Meeting is one meeting of the committee, with who attended and what it decided.
type Meeting struct {
	ID          int64         `json:"id"`
	Title       string        `json:"title"` // 令和8年度第1回情報セキュリティ委員会
	HeldOn      time.Time     `json:"held_on"`
	Place       string        `json:"place"`
	Status      MeetingStatus `json:"status"`
	AttendeeIDs []int64       `json:"attendee_ids"` // members, among the holders of COMMITTEE_MEMBER
	Guests      string        `json:"guests"`       // others present, as written (one a line)
	Minutes     string        `json:"minutes"`      // 議事概要
	Version     int           `json:"version"`

	Attendees []MeetingAttendee `json:"-"`
	Agenda    []AgendaItem      `json:"-"`
}

// MeetingAttendee is a member present at a meeting, named as the person is now.
type MeetingAttendee struct {
	PersonID int64
	Name     string
}

// MeetingInput is the meeting form.
type MeetingInput struct {
	Title       string
	HeldOn      *time.Time
	Place       string
	Status      MeetingStatus
	AttendeeIDs []int64
	Guests      string
	Minutes     string
	Version     int
}

// Normalize trims the texts and orders the attendees.
func (in *MeetingInput) Normalize() {
	in.Title = strings.TrimSpace(in.Title)
	in.Place = strings.TrimSpace(in.Place)
	in.Guests = strings.TrimSpace(in.Guests)
	in.Minutes = strings.TrimSpace(in.Minutes)
	in.AttendeeIDs = slices.Compact(slices.Sorted(slices.Values(in.AttendeeIDs)))
	if in.AttendeeIDs == nil {
		in.AttendeeIDs = []int64{}
	}
}

// Validate checks the form; whether each attendee is a member is the store's to check. A meeting
// recorded as held cannot lie in the future of today.
func (in MeetingInput) Validate(today time.Time) FieldErrors {
	fe := FieldErrors{}
	fe.Check(in.Title != "", "title", "validation.required")
	fe.Check(utf8.RuneCountInString(in.Title) <= 200, "title", "validation.too_long")
	fe.Check(in.HeldOn != nil, "held_on", "validation.required")
	fe.Check(in.Status.Valid(), "status", "validation.choose")
	fe.Check(in.Status != MeetingHeld || in.HeldOn == nil || !in.HeldOn.After(Day(today)), "status", "committee.error.held_future")
	fe.Check(utf8.RuneCountInString(in.Place) <= 200, "place", "validation.too_long")
	fe.Check(utf8.RuneCountInString(in.Guests) <= 1000, "guests", "validation.too_long")
	fe.Check(utf8.RuneCountInString(in.Minutes) <= 10000, "minutes", "validation.too_long")
	return fe
}

// SubjectKind is what an agenda item decides on.
type SubjectKind string

const (
	SubjectTrainingPlan       SubjectKind = "training_plan"       // 研修計画 (of a fiscal year)
	SubjectTrainingReport     SubjectKind = "training_report"     // 研修実施状況の報告 (of a fiscal year)
	SubjectAuditPlan          SubjectKind = "audit_plan"          // 監査計画 (of a fiscal year)
	SubjectAuditResult        SubjectKind = "audit_result"        // 監査結果 (an audit)
	SubjectInspectionCampaign SubjectKind = "inspection_campaign" // 自己点検結果 (a campaign)
	SubjectPolicyVersion      SubjectKind = "policy_version"      // ポリシーの版 (a version)
	SubjectImprovementPlan    SubjectKind = "improvement_plan"    // 改善計画 (of a fiscal year)
	SubjectIncident           SubjectKind = "incident"            // インシデント報告 (an incident)
	SubjectOther              SubjectKind = "other"               // その他
)

// SubjectKinds lists the kinds in the order forms offer them.
var SubjectKinds = []SubjectKind{SubjectTrainingPlan, SubjectTrainingReport, SubjectAuditPlan, SubjectAuditResult,
	SubjectInspectionCampaign, SubjectPolicyVersion, SubjectImprovementPlan, SubjectIncident, SubjectOther}

// Valid reports whether k is one of the kinds.
func (k SubjectKind) Valid() bool { return slices.Contains(SubjectKinds, k) }

// ByYear reports whether a subject of kind k is named by its fiscal year (plans and reports).
func (k SubjectKind) ByYear() bool {
	return k == SubjectTrainingPlan || k == SubjectTrainingReport || k == SubjectAuditPlan || k == SubjectImprovementPlan
}

// ByID reports whether a subject of kind k is named by the id of its record.
func (k SubjectKind) ByID() bool {
	return k == SubjectAuditResult || k == SubjectInspectionCampaign || k == SubjectPolicyVersion || k == SubjectIncident
}

// Outcome is what the committee decided on an agenda item; "" while undecided.
type Outcome string

const (
	OutcomeApproved Outcome = "approved" // 承認
	OutcomeNoted    Outcome = "noted"    // 報告了承
	OutcomeRejected Outcome = "rejected" // 否決
	OutcomeDeferred Outcome = "deferred" // 継続審議
)

// Outcomes lists the outcomes in the order forms offer them.
var Outcomes = []Outcome{OutcomeApproved, OutcomeNoted, OutcomeRejected, OutcomeDeferred}

// Valid reports whether o is one of the outcomes.
func (o Outcome) Valid() bool { return slices.Contains(Outcomes, o) }

// AgendaItem is one item of a meeting's agenda (議題), with the decision on it.
type AgendaItem struct {
	ID           int64       `json:"id"`
	MeetingID    int64       `json:"meeting_id"`
	Position     int         `json:"position"`
	Subject      string      `json:"subject"` // the item's heading as the agenda words it
	SubjectKind  SubjectKind `json:"subject_kind"`
	SubjectID    *int64      `json:"subject_id"`    // the record decided on, for kinds ByID
	SubjectYear  *int        `json:"subject_year"`  // the fiscal year, for kinds ByYear
	SubjectLabel string      `json:"subject_label"` // how the record is named (対策基準 第3版)
	Outcome      Outcome     `json:"outcome"`
	Decision     string      `json:"decision"`
	Version      int         `json:"version"`
}

// Href is the page of what the item decides on, or "" when there is none to link. A policy
// version is found in the library; the item keeps its label.
func (it AgendaItem) Href() string {
	id := func() string { return strconv.FormatInt(*it.SubjectID, 10) }
	year := func() string { return strconv.Itoa(*it.SubjectYear) }
	switch {
	case it.SubjectKind.ByYear() && it.SubjectYear == nil, it.SubjectKind.ByID() && it.SubjectID == nil:
		return ""
	}
	switch it.SubjectKind {
	case SubjectTrainingPlan:
		return "/training/plans/" + year()
	case SubjectTrainingReport:
		return "/training/report?fy=" + year()
	case SubjectAuditPlan:
		return "/audits/plans/" + year()
	case SubjectImprovementPlan:
		return ImprovementPlanPath(*it.SubjectYear)
	case SubjectAuditResult:
		return "/audits/" + id()
	case SubjectInspectionCampaign:
		return "/inspections/" + id() + "/report"
	case SubjectPolicyVersion:
		return "/policies"
	case SubjectIncident:
		return "/incidents/" + id()
	}
	return ""
}

// ImprovementPlanPath is the page of the improvement plan of fiscal year fy.
func ImprovementPlanPath(fy int) string { return "/committee/improvement/" + strconv.Itoa(fy) }

// ImprovementItemPath is the page of one measure of an improvement plan.
func ImprovementItemPath(id int64) string {
	return "/committee/improvement/items/" + strconv.FormatInt(id, 10)
}

// AgendaInput is the form that adds an item to a meeting's agenda.
type AgendaInput struct {
	Subject      string
	SubjectKind  SubjectKind
	SubjectID    *int64
	SubjectYear  *int
	SubjectLabel string
}

// Normalize trims the texts and keeps only the reference the kind takes.
func (in *AgendaInput) Normalize() {
	in.Subject = strings.TrimSpace(in.Subject)
	in.SubjectLabel = strings.TrimSpace(in.SubjectLabel)
	if !in.SubjectKind.ByID() {
		in.SubjectID = nil
	}
	if !in.SubjectKind.ByYear() {
		in.SubjectYear = nil
	}
}

// Validate checks the item: a kind named by its year needs the year, one named by its record the
// record's number.
func (in AgendaInput) Validate() FieldErrors {
	fe := FieldErrors{}
	fe.Check(in.Subject != "", "subject", "validation.required")
	fe.Check(utf8.RuneCountInString(in.Subject) <= 200, "subject", "validation.too_long")
	fe.Check(in.SubjectKind.Valid(), "subject_kind", "validation.choose")
	if in.SubjectKind.ByYear() {
		fe.Check(in.SubjectYear != nil, "subject_ref", "committee.error.year_required")
		fe.Check(in.SubjectYear == nil || *in.SubjectYear >= 2000 && *in.SubjectYear <= 2100, "subject_ref", "committee.error.year")
	}
	if in.SubjectKind.ByID() {
		fe.Check(in.SubjectID != nil && *in.SubjectID > 0, "subject_ref", "committee.error.id_required")
	}
	fe.Check(utf8.RuneCountInString(in.SubjectLabel) <= 200, "subject_label", "validation.too_long")
	return fe
}

// DecisionInput records the committee's decision on an agenda item.
type DecisionInput struct {
	Outcome  Outcome
	Decision string
	Version  int
}

// Validate checks the decision: an outcome, and its wording within bounds.
func (in DecisionInput) Validate() FieldErrors {
	fe := FieldErrors{}
	fe.Check(in.Outcome.Valid(), "outcome", "validation.choose")
	fe.Check(utf8.RuneCountInString(strings.TrimSpace(in.Decision)) <= 2000, "decision", "validation.too_long")
	return fe
}

// ImprovementStatus is how far a measure of the improvement plan has come.
type ImprovementStatus string

const (
	ImprovementNotStarted  ImprovementStatus = "not_started"  // 未着手
	ImprovementInProgress  ImprovementStatus = "in_progress"  // 実施中
	ImprovementDone        ImprovementStatus = "done"         // 完了
	ImprovementCarriedOver ImprovementStatus = "carried_over" // 次年度へ繰越
)

// ImprovementStatuses lists the statuses in the order forms offer them.
var ImprovementStatuses = []ImprovementStatus{ImprovementNotStarted, ImprovementInProgress, ImprovementDone, ImprovementCarriedOver}

// Valid reports whether s is one of the statuses.
func (s ImprovementStatus) Valid() bool { return slices.Contains(ImprovementStatuses, s) }

// Open reports whether the measure is still to be carried out this year.
func (s ImprovementStatus) Open() bool {
	return s == ImprovementNotStarted || s == ImprovementInProgress
}

// ImprovementPlan is the improvement plan of a fiscal year (改善計画): its measures, and the
// committee's approval. A plan whose measures change is no longer the plan approved.
type ImprovementPlan struct {
	FiscalYear int               `json:"fiscal_year"`
	ApprovedOn *time.Time        `json:"approved_on"`
	ApprovedBy string            `json:"approved_by"` // the meeting or its chair
	Version    int               `json:"version"`     // 0: no plan yet
	Items      []ImprovementItem `json:"-"`
}

// ImprovementItem is one measure of a plan: what, by which unit, by when, and how far it has come.
type ImprovementItem struct {
	ID         int64             `json:"id"`
	FiscalYear int               `json:"fiscal_year"`
	Measure    string            `json:"measure"`
	UnitID     int64             `json:"unit_id"`
	DueOn      *time.Time        `json:"due_on"`
	Status     ImprovementStatus `json:"status"`
	Progress   string            `json:"progress"`
	Version    int               `json:"version"`

	UnitName string `json:"-"`
}

// ImprovementItemInput is the form of a measure: what the plan says of it.
type ImprovementItemInput struct {
	Measure string
	UnitID  int64
	DueOn   *time.Time
	Version int
}

// Normalize trims the measure.
func (in *ImprovementItemInput) Normalize() { in.Measure = strings.TrimSpace(in.Measure) }

// Validate checks the measure; whether the unit exists is the store's to check.
func (in ImprovementItemInput) Validate() FieldErrors {
	fe := FieldErrors{}
	fe.Check(in.Measure != "", "measure", "validation.required")
	fe.Check(utf8.RuneCountInString(in.Measure) <= 500, "measure", "validation.too_long")
	fe.Check(in.UnitID != 0, "unit_id", "validation.choose")
	return fe
}

// ProgressInput is the progress check of a measure: its status and a note on where it stands.
type ProgressInput struct {
	Status   ImprovementStatus
	Progress string
	Version  int
}

// Normalize trims the note.
func (in *ProgressInput) Normalize() { in.Progress = strings.TrimSpace(in.Progress) }

// Validate checks the progress.
func (in ProgressInput) Validate() FieldErrors {
	fe := FieldErrors{}
	fe.Check(in.Status.Valid(), "status", "validation.choose")
	fe.Check(utf8.RuneCountInString(in.Progress) <= 2000, "progress", "validation.too_long")
	return fe
}

// ApprovalInput is the committee's approval of a plan: the day and who approved it.
type ApprovalInput struct {
	ApprovedOn *time.Time
	ApprovedBy string
	Version    int
}

// Validate checks the approval against today: it cannot be given in the future.
func (in ApprovalInput) Validate(today time.Time) FieldErrors {
	fe := FieldErrors{}
	by := strings.TrimSpace(in.ApprovedBy)
	fe.Check(in.ApprovedOn != nil, "approved_on", "validation.required")
	fe.Check(in.ApprovedOn == nil || !in.ApprovedOn.After(Day(today)), "approved_on", "committee.error.future")
	fe.Check(by != "", "approved_by", "validation.required")
	fe.Check(utf8.RuneCountInString(by) <= 100, "approved_by", "validation.too_long")
	return fe
}
