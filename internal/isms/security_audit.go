package isms

import (
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode/utf8"
)

// Information security audits (情報セキュリティ監査, basic policy §8, domain.md §6.1). The
// 監査統括責任者 draws up the audit plan of each fiscal year (監査実施計画), which the committee
// approves; audits — internal, external, of a contractor (委託先監査) or ordered by the CISO
// (特命監査) — are done by auditors independent of the units they audit; their findings name the
// clause concerned and the unit, which takes corrective actions that an auditor verifies; other
// units that may share the problem are told to check for it.
//
// In Go the domain is the "security audit": "audit" alone is the audit trail (AuditEvent).

// AuditManager reports whether the actor runs the audits: the security office (PermManageAudits)
// or the holder of the 監査統括責任者 role on the day.
func AuditManager(a Actor) bool {
	return a.Can(PermManageAudits) || a.Holds("AUDIT_LEAD")
}

// ReadsAllAudits reports whether the actor reads every audit and finding: the audit manager, the
// CISO (by portal role or the role held), and those who see every unit (the security office,
// auditors by portal role, the 統括).
func ReadsAllAudits(a Actor) bool {
	return AuditManager(a) || a.Role == RoleCISO || a.Holds(RoleCodeCISO) || a.AllUnits
}

// ReadsAuditEvidence reports whether the actor reads every audit's evidence notes (監査証拠・監査
// 調書), which are kept safely: the audit manager and the CISO. An audit's own auditors read its
// notes too.
func ReadsAuditEvidence(a Actor) bool {
	return AuditManager(a) || a.Role == RoleCISO || a.Holds(RoleCodeCISO)
}

// AuditPlan is the audit plan of a fiscal year (監査実施計画) and the committee's approval of it.
type AuditPlan struct {
	FiscalYear   int             `json:"fiscal_year"`
	Objectives   string          `json:"objectives"`
	ScopeSummary string          `json:"scope_summary"`
	Items        []AuditPlanItem `json:"items"`
	ApprovedOn   *time.Time      `json:"approved_on"`
	ApprovedBy   string          `json:"approved_by"` // e.g. 情報セキュリティ委員会（令和8年4月20日）
	Version      int             `json:"version"`     // 0: no plan yet
}

// AuditPlanItem is one audit the plan foresees.
type AuditPlanItem struct {
	Kind   AuditKind `json:"kind"`
	Title  string    `json:"title"`
	Target string    `json:"target"` // the units or the contractor audited, as the plan words it
	Month  int       `json:"month"`  // the month planned (1–12); 0 when not decided
}

// AuditPlanInput is the plan form. Items without a title are blank rows of the form.
type AuditPlanInput struct {
	FiscalYear   int
	Objectives   string
	ScopeSummary string
	Items        []AuditPlanItem
	Version      int
}

// Normalize trims the text and drops the blank rows.
func (in *AuditPlanInput) Normalize() {
	in.Objectives = strings.TrimSpace(in.Objectives)
	in.ScopeSummary = strings.TrimSpace(in.ScopeSummary)
	items := in.Items[:0:0]
	for _, it := range in.Items {
		it.Title, it.Target = strings.TrimSpace(it.Title), strings.TrimSpace(it.Target)
		if it.Title == "" && it.Target == "" {
			continue
		}
		items = append(items, it)
	}
	in.Items = items
}

// Validate checks the form; the keys name catalogue messages. Row errors are under
// "item_<n>" (n from 0, as the rows kept).
func (in AuditPlanInput) Validate() FieldErrors {
	fe := FieldErrors{}
	fe.Check(in.FiscalYear >= 2000 && in.FiscalYear <= 2100, "fiscal_year", "validation.choose")
	fe.Check(in.Objectives != "", "objectives", "validation.required")
	fe.Check(utf8.RuneCountInString(in.Objectives) <= 4000, "objectives", "validation.too_long")
	fe.Check(utf8.RuneCountInString(in.ScopeSummary) <= 4000, "scope_summary", "validation.too_long")
	for i, it := range in.Items {
		field := fmt.Sprintf("item_%d", i)
		fe.Check(it.Kind.Valid(), field, "security_audit.error.item_kind")
		fe.Check(it.Title != "", field, "security_audit.error.item_title")
		fe.Check(utf8.RuneCountInString(it.Title) <= 200 && utf8.RuneCountInString(it.Target) <= 400, field, "validation.too_long")
		fe.Check(it.Month >= 0 && it.Month <= 12, field, "validation.choose")
	}
	return fe
}

// Same reports whether the form would leave the plan as it is.
func (in AuditPlanInput) Same(p AuditPlan) bool {
	return p.Version > 0 && p.Objectives == in.Objectives && p.ScopeSummary == in.ScopeSummary &&
		slices.Equal(p.Items, in.Items)
}

// AuditKind is the kind of an audit.
type AuditKind string

const (
	AuditInternal   AuditKind = "internal"   // 内部監査
	AuditExternal   AuditKind = "external"   // 外部監査
	AuditContractor AuditKind = "contractor" // 委託先監査
	AuditSpecial    AuditKind = "special"    // 特命監査 (ordered by the CISO)
)

// AuditKinds lists the kinds in the order forms show them.
var AuditKinds = []AuditKind{AuditInternal, AuditExternal, AuditContractor, AuditSpecial}

// Valid reports whether k is one of the kinds.
func (k AuditKind) Valid() bool { return slices.Contains(AuditKinds, k) }

// AuditStatus is where an audit is.
type AuditStatus string

const (
	AuditPlanned    AuditStatus = "planned"     // 計画
	AuditInProgress AuditStatus = "in_progress" // 実施中
	AuditReported   AuditStatus = "reported"    // 報告済
	AuditClosed     AuditStatus = "closed"      // 完了 (follow-up finished)
)

// AuditStatuses lists the statuses in their order.
var AuditStatuses = []AuditStatus{AuditPlanned, AuditInProgress, AuditReported, AuditClosed}

// Valid reports whether s is one of the statuses.
func (s AuditStatus) Valid() bool { return slices.Contains(AuditStatuses, s) }

// SecurityAudit is one audit (監査).
type SecurityAudit struct {
	ID             int64       `json:"id"`
	FiscalYear     int         `json:"fiscal_year"`
	Kind           AuditKind   `json:"kind"`
	Title          string      `json:"title"`
	ContractorName string      `json:"contractor_name"` // the contractor audited (委託先監査)
	AuditorFirm    string      `json:"auditor_firm"`    // the firm of an external audit
	Objective      string      `json:"objective"`
	PlannedStart   time.Time   `json:"planned_start"`
	PlannedEnd     time.Time   `json:"planned_end"`
	ActualStart    *time.Time  `json:"actual_start"`
	ActualEnd      *time.Time  `json:"actual_end"`
	ReportOn       *time.Time  `json:"report_on"`
	Status         AuditStatus `json:"status"`
	Units          []AuditUnit `json:"units"`
	Auditors       []Auditor   `json:"auditors"`
	Version        int         `json:"version"`

	Notes        []AuditNote    `json:"-"` // only for those who read the evidence
	Findings     []AuditFinding `json:"-"` // those the reader sees
	FindingCount int            `json:"-"` // in lists: the findings the reader sees
}

// AuditUnit is a unit in an audit's scope, or the unit a finding or check concerns.
type AuditUnit struct {
	ID   int64  `json:"id"`
	Code string `json:"code"`
	Name string `json:"name"`
}

// Auditor is a person auditing: the lead auditor (監査責任者) or a member.
type Auditor struct {
	PersonID int64  `json:"person_id"`
	Name     string `json:"name"`
	Lead     bool   `json:"lead"`
	UserID   int64  `json:"-"` // the person's portal account, 0 if none
}

// Start and End are the audit's fieldwork period: as done when recorded, else as planned.
func (a SecurityAudit) Start() time.Time {
	if a.ActualStart != nil {
		return *a.ActualStart
	}
	return a.PlannedStart
}

// End is the last day of fieldwork; see Start.
func (a SecurityAudit) End() time.Time {
	if a.ActualEnd != nil {
		return *a.ActualEnd
	}
	return a.PlannedEnd
}

// AuditedBy reports whether the actor is one of the audit's auditors (through the person linked
// to their account).
func (a SecurityAudit) AuditedBy(actor Actor) bool {
	return actor.UserID != 0 && slices.ContainsFunc(a.Auditors, func(x Auditor) bool { return x.UserID == actor.UserID })
}

// Lead is the lead auditor's name, "" when none is named.
func (a SecurityAudit) Lead() string {
	for _, x := range a.Auditors {
		if x.Lead {
			return x.Name
		}
	}
	return ""
}

// CanWriteFindings reports whether the actor writes findings and evidence notes of the audit:
// its auditors and the audit manager, until the audit is closed.
func (a SecurityAudit) CanWriteFindings(actor Actor) bool {
	return a.Status != AuditClosed && (AuditManager(actor) || a.AuditedBy(actor))
}

// ReadsEvidence reports whether the actor reads the audit's evidence notes.
func (a SecurityAudit) ReadsEvidence(actor Actor) bool {
	return ReadsAuditEvidence(actor) || a.AuditedBy(actor)
}

// SecurityAuditInput is the audit form.
type SecurityAuditInput struct {
	FiscalYear     int
	Kind           AuditKind
	Title          string
	ContractorName string
	AuditorFirm    string
	Objective      string
	PlannedStart   *time.Time
	PlannedEnd     *time.Time
	ActualStart    *time.Time
	ActualEnd      *time.Time
	ReportOn       *time.Time
	Status         AuditStatus
	UnitIDs        []int64
	LeadID         int64   // the lead auditor (a person); 0 for none
	MemberIDs      []int64 // the other auditors
	Version        int
}

// Normalize trims the text, drops the lead from the members and repeated ids, and keeps the name
// of a contractor only for a contractor's audit.
func (in *SecurityAuditInput) Normalize() {
	for _, s := range []*string{&in.Title, &in.ContractorName, &in.AuditorFirm, &in.Objective} {
		*s = strings.TrimSpace(*s)
	}
	if in.Kind != AuditContractor {
		in.ContractorName = ""
	}
	in.UnitIDs = uniqueIDs(in.UnitIDs)
	in.MemberIDs = slices.DeleteFunc(uniqueIDs(in.MemberIDs), func(id int64) bool { return id == in.LeadID })
	if in.Status == "" {
		in.Status = AuditPlanned
	}
}

// uniqueIDs is ids sorted without zeros and repeats.
func uniqueIDs(ids []int64) []int64 {
	out := slices.DeleteFunc(slices.Clone(ids), func(id int64) bool { return id <= 0 })
	slices.Sort(out)
	return slices.Compact(out)
}

// PersonIDs are the auditors named by the form, the lead first.
func (in SecurityAuditInput) PersonIDs() []int64 {
	var ids []int64
	if in.LeadID != 0 {
		ids = append(ids, in.LeadID)
	}
	return append(ids, in.MemberIDs...)
}

// Period is the span the auditors must be independent over: from the first day planned or done
// to the last (the planned end when the form has no start or end).
func (in SecurityAuditInput) Period() (from, to time.Time) {
	days := []*time.Time{in.PlannedStart, in.PlannedEnd, in.ActualStart, in.ActualEnd}
	for _, d := range days {
		if d == nil {
			continue
		}
		if from.IsZero() || d.Before(from) {
			from = *d
		}
		if to.IsZero() || d.After(to) {
			to = *d
		}
	}
	return from, to
}

// Validate checks the form; the keys name catalogue messages. The existence of the units and
// people, and the auditors' independence, are the store's to check.
func (in SecurityAuditInput) Validate() FieldErrors {
	fe := FieldErrors{}
	fe.Check(in.FiscalYear >= 2000 && in.FiscalYear <= 2100, "fiscal_year", "validation.choose")
	fe.Check(in.Kind.Valid(), "kind", "validation.choose")
	fe.Check(in.Title != "", "title", "validation.required")
	fe.Check(utf8.RuneCountInString(in.Title) <= 200, "title", "validation.too_long")
	fe.Check(in.Kind != AuditContractor || in.ContractorName != "", "contractor_name", "security_audit.error.contractor")
	fe.Check(utf8.RuneCountInString(in.ContractorName) <= 200, "contractor_name", "validation.too_long")
	fe.Check(in.Kind != AuditExternal || in.AuditorFirm != "", "auditor_firm", "security_audit.error.firm")
	fe.Check(utf8.RuneCountInString(in.AuditorFirm) <= 200, "auditor_firm", "validation.too_long")
	fe.Check(utf8.RuneCountInString(in.Objective) <= 4000, "objective", "validation.too_long")
	// Internal and special audits are done by the town's people, led by one of them; an outside
	// firm may lead an external or contractor's audit instead.
	fe.Check(in.LeadID != 0 || (in.Kind == AuditExternal || in.Kind == AuditContractor) && in.AuditorFirm != "",
		"lead_id", "security_audit.error.lead")
	fe.Check(len(in.UnitIDs) > 0 || in.Kind == AuditContractor, "unit_ids", "security_audit.error.scope")
	fe.Check(in.PlannedStart != nil, "planned_start", "validation.required")
	fe.Check(in.PlannedEnd != nil, "planned_end", "validation.required")
	fe.Check(in.PlannedStart == nil || in.PlannedEnd == nil || !in.PlannedEnd.Before(*in.PlannedStart),
		"planned_end", "security_audit.error.range")
	fe.Check(in.PlannedStart == nil || FiscalYearOf(*in.PlannedStart) == in.FiscalYear, "planned_start", "security_audit.error.fiscal_year")
	fe.Check(in.ActualEnd == nil || in.ActualStart != nil, "actual_start", "security_audit.error.started")
	fe.Check(in.ActualStart == nil || in.ActualEnd == nil || !in.ActualEnd.Before(*in.ActualStart),
		"actual_end", "security_audit.error.range")
	fe.Check(in.ReportOn == nil || in.ActualEnd != nil && !in.ReportOn.Before(*in.ActualEnd), "report_on", "security_audit.error.report_on")
	fe.Check(in.Status.Valid(), "status", "validation.choose")
	switch in.Status {
	case AuditInProgress:
		fe.Check(in.ActualStart != nil, "actual_start", "security_audit.error.status_started")
	case AuditReported, AuditClosed:
		fe.Check(in.ReportOn != nil, "report_on", "security_audit.error.status_reported")
	}
	return fe
}

// IndependenceError refuses an auditor who is not independent of a unit the audit covers (兼務の
// 禁止, domain.md §2.3): posted to it, or its 情報セキュリティ管理者 or 責任者, on the audit's days.
// It is a validation error of the auditors' field; its message names the person and the unit.
type IndependenceError struct {
	Person, Unit string
	Manages      bool // a 管理者 or 責任者 of the unit, rather than posted to it
}

// Key is the catalogue key of the message, which takes the person and the unit.
func (e *IndependenceError) Key() string {
	if e.Manages {
		return "security_audit.error.independence_manages"
	}
	return "security_audit.error.independence_posted"
}

func (e *IndependenceError) Error() string {
	return fmt.Sprintf("isms invalid: auditor %s is not independent of %s", e.Person, e.Unit)
}

// Unwrap makes the refusal a validation error of the field "auditors".
func (e *IndependenceError) Unwrap() error {
	return &ValidationError{Fields: FieldErrors{"auditors": e.Key()}}
}

// AuditNote is a dated evidence note (監査証拠・監査調書) of an audit.
type AuditNote struct {
	ID            int64     `json:"id"`
	NotedOn       time.Time `json:"noted_on"`
	Body          string    `json:"body"`
	CreatedByName string    `json:"-"`
}

// AuditNoteInput is the evidence-note form.
type AuditNoteInput struct {
	NotedOn *time.Time
	Body    string
}

// Validate checks the note, written on or before today.
func (in *AuditNoteInput) Validate(today time.Time) FieldErrors {
	in.Body = strings.TrimSpace(in.Body)
	fe := FieldErrors{}
	fe.Check(in.NotedOn != nil, "noted_on", "validation.required")
	fe.Check(in.NotedOn == nil || !in.NotedOn.After(Day(today)), "noted_on", "security_audit.error.future")
	fe.Check(in.Body != "", "body", "validation.required")
	fe.Check(utf8.RuneCountInString(in.Body) <= 10000, "body", "validation.too_long")
	return fe
}

// AuditSeverity is a severity of findings, master data: 重大, 軽微, 観察事項.
type AuditSeverity struct {
	Code   string
	NameJa string
	NameEn string
}

// Name is the severity's name in lang.
func (s AuditSeverity) Name(lang string) string {
	if lang == "en" {
		return s.NameEn
	}
	return s.NameJa
}

// AuditFinding is a finding (指摘事項) of an audit.
type AuditFinding struct {
	ID          int64     `json:"id"`
	AuditID     int64     `json:"audit_id"`
	Number      int       `json:"number"` // 1, 2, … within the audit
	Title       string    `json:"title"`
	Description string    `json:"description"`
	Severity    string    `json:"severity"` // a severity code
	Clause      string    `json:"clause"`   // e.g. 対策基準 第5条
	Unit        AuditUnit `json:"unit"`     // the unit concerned
	Version     int       `json:"version"`

	Audit   SecurityAudit      `json:"-"` // without findings and notes
	Actions []CorrectiveAction `json:"-"`
	Checks  []AuditCheck       `json:"-"`
}

// AuditFindingInput is the finding form.
type AuditFindingInput struct {
	Title       string
	Description string
	Severity    string
	Clause      string
	UnitID      int64
}

// Normalize trims the text.
func (in *AuditFindingInput) Normalize() {
	for _, s := range []*string{&in.Title, &in.Description, &in.Severity, &in.Clause} {
		*s = strings.TrimSpace(*s)
	}
}

// Validate checks the form; whether the severity and unit exist is the store's to check.
func (in AuditFindingInput) Validate() FieldErrors {
	fe := FieldErrors{}
	fe.Check(in.Title != "", "title", "validation.required")
	fe.Check(utf8.RuneCountInString(in.Title) <= 200, "title", "validation.too_long")
	fe.Check(in.Description != "", "description", "validation.required")
	fe.Check(utf8.RuneCountInString(in.Description) <= 10000, "description", "validation.too_long")
	fe.Check(in.Severity != "", "severity", "validation.choose")
	fe.Check(utf8.RuneCountInString(in.Clause) <= 200, "clause", "validation.too_long")
	fe.Check(in.UnitID > 0, "unit_id", "validation.choose")
	return fe
}

// ActionStatus is where a corrective action is: open → done (by its owner) → verified (by an
// auditor), or reopened when the auditor refuses the verification.
type ActionStatus string

const (
	ActionOpen     ActionStatus = "open"     // 未対応
	ActionDone     ActionStatus = "done"     // 対応済（確認待ち）
	ActionVerified ActionStatus = "verified" // 確認済
	ActionReopened ActionStatus = "reopened" // 差戻し
)

// ActionStatuses lists the statuses in their order.
var ActionStatuses = []ActionStatus{ActionOpen, ActionDone, ActionVerified, ActionReopened}

// Pending reports whether the action still has to be done.
func (s ActionStatus) Pending() bool { return s == ActionOpen || s == ActionReopened }

// CorrectiveAction is a corrective action (是正措置) of a finding.
type CorrectiveAction struct {
	ID          int64        `json:"id"`
	Description string       `json:"description"`
	OwnerID     int64        `json:"owner_id"` // a person
	OwnerName   string       `json:"owner_name"`
	DueOn       time.Time    `json:"due_on"`
	Status      ActionStatus `json:"status"`
	DoneOn      *time.Time   `json:"done_on"`
	DoneNote    string       `json:"done_note"`   // what was done
	VerifiedOn  *time.Time   `json:"verified_on"` // the day verified or refused
	VerifyNote  string       `json:"verify_note"` // the auditor's note; why refused
	Version     int          `json:"version"`

	OwnerUserID int64 `json:"-"` // the owner's portal account, 0 if none
}

// Overdue reports whether the action is still to be done after its due day.
func (c CorrectiveAction) Overdue(today time.Time) bool {
	return c.Status.Pending() && c.DueOn.Before(Day(today))
}

// OwnedBy reports whether the actor is the action's owner.
func (c CorrectiveAction) OwnedBy(actor Actor) bool {
	return actor.UserID != 0 && c.OwnerUserID == actor.UserID
}

// CorrectiveActionInput is the form of a new corrective action.
type CorrectiveActionInput struct {
	Description string
	OwnerID     int64
	DueOn       *time.Time
}

// Validate checks the form; the owner's existence is the store's to check.
func (in *CorrectiveActionInput) Validate() FieldErrors {
	in.Description = strings.TrimSpace(in.Description)
	fe := FieldErrors{}
	fe.Check(in.Description != "", "description", "validation.required")
	fe.Check(utf8.RuneCountInString(in.Description) <= 4000, "description", "validation.too_long")
	fe.Check(in.OwnerID > 0, "owner_id", "validation.choose")
	fe.Check(in.DueOn != nil, "due_on", "validation.required")
	return fe
}

// CanAddAction reports whether the actor records corrective actions of the finding: the audit
// manager, the audit's auditors, and the managers of the unit concerned.
func (f AuditFinding) CanAddAction(actor Actor) bool {
	return AuditManager(actor) || f.Audit.AuditedBy(actor) || actor.Manages(f.Unit.ID)
}

// CanCompleteAction reports whether the actor marks the action done: its owner or a manager of the
// unit concerned, while it is to be done.
func (f AuditFinding) CanCompleteAction(actor Actor, c CorrectiveAction) bool {
	return c.Status.Pending() && (c.OwnedBy(actor) || actor.Manages(f.Unit.ID))
}

// CanVerifyAction reports whether the actor verifies the action done: an auditor of the audit who
// is not its owner (兼務の禁止).
func (f AuditFinding) CanVerifyAction(actor Actor, c CorrectiveAction) bool {
	return c.Status == ActionDone && f.Audit.AuditedBy(actor) && !c.OwnedBy(actor)
}

// CanRequestChecks reports whether the actor tells other units to check for the finding's problem:
// the audit manager and the audit's auditors.
func (f AuditFinding) CanRequestChecks(actor Actor) bool {
	return AuditManager(actor) || f.Audit.AuditedBy(actor)
}

// AuditCheck is a request to another unit to check whether it shares a finding's problem.
type AuditCheck struct {
	ID        int64      `json:"id"`
	Unit      AuditUnit  `json:"unit"`
	Status    string     `json:"status"` // open, checked
	Found     *bool      `json:"found"`  // the answer: the same problem found or not; nil while open
	Note      string     `json:"note"`
	CheckedOn *time.Time `json:"checked_on"`
	Version   int        `json:"version"`
}

// Open reports whether the unit has still to answer.
func (c AuditCheck) Open() bool { return c.Status == "open" }

// CanAnswer reports whether the actor answers the check: a manager of its unit, while open.
func (c AuditCheck) CanAnswer(actor Actor) bool { return c.Open() && actor.Manages(c.Unit.ID) }

// AuditCheckAnswer is the answer form of a check.
type AuditCheckAnswer struct {
	Found   *bool
	Note    string
	Version int
}

// Validate checks the answer: found or not, with a note of what was checked.
func (in *AuditCheckAnswer) Validate() FieldErrors {
	in.Note = strings.TrimSpace(in.Note)
	fe := FieldErrors{}
	fe.Check(in.Found != nil, "found", "validation.choose")
	fe.Check(in.Note != "", "note", "validation.required")
	fe.Check(utf8.RuneCountInString(in.Note) <= 4000, "note", "validation.too_long")
	return fe
}
