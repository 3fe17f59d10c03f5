package isms

import (
	"slices"
	"strings"
	"time"
	"unicode/utf8"
)

// Information security incidents (情報セキュリティインシデント, domain.md §4). Any staff member
// reports what they noticed; the CSIRT (or the security office) judges whether it is an incident,
// how severe, of which kind and with which personal-information facts; the portal derives from
// those facts whether the Personal Information Protection Commission (PPC) must be told and by
// when, escalates severe incidents to the CISO and the managers of the units concerned, and keeps
// a timeline of everything done until the incident is closed with its preventive measures.

// IncidentStatus is where an incident is in its handling.
type IncidentStatus string

const (
	IncidentReceived      IncidentStatus = "received"      // 受付
	IncidentInvestigating IncidentStatus = "investigating" // 調査中
	IncidentResponding    IncidentStatus = "responding"    // 対応中
	IncidentPrevention    IncidentStatus = "prevention"    // 再発防止策検討
	IncidentClosed        IncidentStatus = "closed"        // 完了
	IncidentNotIncident   IncidentStatus = "not_incident"  // 非該当
)

// IncidentStatuses lists the statuses in the order of the workflow.
var IncidentStatuses = []IncidentStatus{IncidentReceived, IncidentInvestigating, IncidentResponding,
	IncidentPrevention, IncidentClosed, IncidentNotIncident}

// Valid reports whether s is one of the statuses.
func (s IncidentStatus) Valid() bool { return slices.Contains(IncidentStatuses, s) }

// Open reports whether the incident is still being handled.
func (s IncidentStatus) Open() bool { return s != IncidentClosed && s != IncidentNotIncident }

// incidentMoves are the workflow's allowed transitions. Leaving 受付 is the triage's decision
// (incident or not), so it is not offered as a plain move; a closed or dismissed report is
// reopened into 調査中 when new facts come to light.
var incidentMoves = map[IncidentStatus][]IncidentStatus{
	IncidentReceived:      {IncidentInvestigating, IncidentNotIncident},
	IncidentInvestigating: {IncidentResponding, IncidentPrevention, IncidentNotIncident},
	IncidentResponding:    {IncidentInvestigating, IncidentPrevention},
	IncidentPrevention:    {IncidentResponding, IncidentClosed},
	IncidentClosed:        {IncidentInvestigating},
	IncidentNotIncident:   {IncidentInvestigating},
}

// IncidentMoves lists where an incident in status s may move next.
func IncidentMoves(s IncidentStatus) []IncidentStatus { return incidentMoves[s] }

// CheckMove says whether the incident may move to status to. The errors are catalogue keys
// under "incident.move.": a move the workflow does not allow, leaving 受付 other than by the
// judgement it needs (an incident for 調査中, a non-incident for 非該当), and closing before the
// work that closing states is done: the root cause, a preventive measure (not needed for a near
// miss, severity 0), every action done, and every report owed made.
func (i Incident) CheckMove(to IncidentStatus) FieldErrors {
	fe := FieldErrors{}
	if !slices.Contains(incidentMoves[i.Status], to) {
		fe["status"] = "incident.move.not_allowed"
		return fe
	}
	switch to {
	case IncidentInvestigating, IncidentResponding, IncidentPrevention:
		fe.Check(i.IsIncident != nil && *i.IsIncident, "status", "incident.move.not_judged")
	case IncidentNotIncident:
		fe.Check(i.IsIncident != nil && !*i.IsIncident, "status", "incident.move.judged_incident")
	case IncidentClosed:
		fe.Check(i.RootCause != "", "root_cause", "incident.move.root_cause")
		fe.Check(i.Severity != nil, "severity", "incident.move.severity")
		if i.Severity != nil && *i.Severity > 0 {
			fe.Check(i.hasAction(IncidentPreventionAction), "actions", "incident.move.prevention")
		}
		for _, a := range i.Actions {
			fe.Check(a.DoneOn != nil, "actions", "incident.move.actions_open")
		}
		for _, r := range i.Reports {
			fe.Check(r.DoneOn != nil, "reports", "incident.move.reports_open")
		}
	}
	return fe
}

func (i Incident) hasAction(k IncidentActionKind) bool {
	return slices.ContainsFunc(i.Actions, func(a IncidentAction) bool { return a.Kind == k })
}

// Severity levels (重要度, domain.md §4.4): 0 事象（ヒヤリハット）, 1 軽微, 2 重大, 3 緊急・最重大.
const (
	SeverityNearMiss = 0
	SeverityMinor    = 1
	SeverityMajor    = 2
	SeverityCritical = 3
)

// Severities lists the levels in order.
var Severities = []int{SeverityNearMiss, SeverityMinor, SeverityMajor, SeverityCritical}

// PersonalInfo is whether personal information may be involved, as far as anyone knows.
type PersonalInfo string

const (
	PersonalInfoYes     PersonalInfo = "yes"
	PersonalInfoNo      PersonalInfo = "no"
	PersonalInfoUnknown PersonalInfo = "unknown"
)

// PersonalInfos lists the answers in the order forms show them.
var PersonalInfos = []PersonalInfo{PersonalInfoYes, PersonalInfoUnknown, PersonalInfoNo}

// Valid reports whether p is one of the answers.
func (p PersonalInfo) Valid() bool { return slices.Contains(PersonalInfos, p) }

// IncidentChannel is how the report reached the portal: typed in by the person who noticed, or
// received from outside (a resident's call) and entered by the staff member who took it.
type IncidentChannel string

const (
	ChannelPortal IncidentChannel = "portal" // 職員が直接報告
	ChannelPhone  IncidentChannel = "phone"  // 電話
	ChannelEmail  IncidentChannel = "email"  // 電子メール
	ChannelVisit  IncidentChannel = "visit"  // 来庁
	ChannelLetter IncidentChannel = "letter" // 文書
	ChannelOther  IncidentChannel = "other"
)

// IncidentChannels lists the channels in the order forms offer them.
var IncidentChannels = []IncidentChannel{ChannelPortal, ChannelPhone, ChannelEmail, ChannelVisit, ChannelLetter, ChannelOther}

// Valid reports whether c is one of the channels.
func (c IncidentChannel) Valid() bool { return slices.Contains(IncidentChannels, c) }

// External reports whether the report came from outside the town hall.
func (c IncidentChannel) External() bool { return c != ChannelPortal }

// IncidentCategory is a kind of incident under one of the threats of the basic policy §3.
type IncidentCategory struct {
	Code   string
	Threat int // basic policy §3 (1)–(5)
	NameJa string
	NameEn string
	Active bool
}

// Name is the category's name in lang.
func (c IncidentCategory) Name(lang string) string {
	if lang == "en" {
		return c.NameEn
	}
	return c.NameJa
}

// PPCTrigger is one reason the PPC must be told (domain.md §4.3).
type PPCTrigger string

const (
	TriggerSensitive PPCTrigger = "sensitive" // ① 要配慮個人情報が含まれる
	TriggerFinancial PPCTrigger = "financial" // ② 財産的被害が生じるおそれ
	TriggerWrongful  PPCTrigger = "wrongful"  // ③ 不正の目的をもって行われたおそれ
	TriggerSubjects  PPCTrigger = "subjects"  // ④ 本人の数が閾値（100人）を超える
	TriggerOrdinance PPCTrigger = "ordinance" // ⑤ 条例要配慮個人情報が含まれる
	TriggerMyNumber  PPCTrigger = "my_number" // 特定個人情報の漏えい等
)

// PPCTriggers lists the triggers in the order of the law.
var PPCTriggers = []PPCTrigger{TriggerSensitive, TriggerFinancial, TriggerWrongful, TriggerSubjects, TriggerOrdinance, TriggerMyNumber}

// IncidentRules are the town's settings for the PPC determination: which triggers apply, the
// number of data subjects above which a report is owed, and the days allowed for the 速報 and the
// 確報 (longer when wrongful intent is suspected). SoonDays is how close a due date must be to
// stand out as soon due.
type IncidentRules struct {
	Triggers          map[PPCTrigger]bool
	SubjectThreshold  int
	PrelimDays        int
	FinalDays         int
	FinalDaysWrongful int
	SoonDays          int
	Version           int
}

// DefaultIncidentRules are the rules of the law as domain.md §4.3 reads them: every trigger, more
// than 100 subjects, 速報 within 5 days, 確報 within 30 days (60 for wrongful intent).
func DefaultIncidentRules() IncidentRules {
	r := IncidentRules{SubjectThreshold: 100, PrelimDays: 5, FinalDays: 30, FinalDaysWrongful: 60, SoonDays: 2,
		Triggers: map[PPCTrigger]bool{}}
	for _, t := range PPCTriggers {
		r.Triggers[t] = true
	}
	return r
}

// Validate checks the rules as the security office types them.
func (r IncidentRules) Validate() FieldErrors {
	fe := FieldErrors{}
	fe.Check(r.SubjectThreshold >= 1 && r.SubjectThreshold <= 1000000, "subject_threshold", "validation.out_of_range")
	fe.Check(r.PrelimDays >= 1 && r.PrelimDays <= 60, "prelim_days", "validation.out_of_range")
	fe.Check(r.FinalDays >= 1 && r.FinalDays <= 365, "final_days", "validation.out_of_range")
	fe.Check(r.FinalDaysWrongful >= 1 && r.FinalDaysWrongful <= 365, "final_days_wrongful", "validation.out_of_range")
	fe.Check(r.SoonDays >= 0 && r.SoonDays <= 30, "soon_days", "validation.out_of_range")
	fe.Check(r.PrelimDays <= r.FinalDays, "prelim_days", "incident.rules.prelim_after_final")
	return fe
}

// PIFacts are the personal-information facts of an incident that the determination reads.
type PIFacts struct {
	PersonalInfo PersonalInfo
	Subjects     *int // 本人の数; nil while unknown
	Sensitive    bool // 要配慮個人情報
	Ordinance    bool // 条例要配慮個人情報
	MyNumber     bool // 特定個人情報
	Wrongful     bool // 不正の目的によるおそれ
	Financial    bool // 財産的被害のおそれ
}

// Determine returns the triggers the facts meet, in the order of the law; none when no personal
// information is involved. Suspected cases count (漏えい等のおそれ), so "unknown" is judged on the
// facts recorded so far.
func (r IncidentRules) Determine(f PIFacts) []PPCTrigger {
	if f.PersonalInfo == PersonalInfoNo {
		return nil
	}
	met := map[PPCTrigger]bool{
		TriggerSensitive: f.Sensitive,
		TriggerFinancial: f.Financial,
		TriggerWrongful:  f.Wrongful,
		TriggerSubjects:  f.Subjects != nil && *f.Subjects > r.SubjectThreshold,
		TriggerOrdinance: f.Ordinance,
		TriggerMyNumber:  f.MyNumber,
	}
	var out []PPCTrigger
	for _, t := range PPCTriggers {
		if met[t] && r.Triggers[t] {
			out = append(out, t)
		}
	}
	return out
}

// PPCDue returns the days by which the 速報 and the 確報 are due for an incident the town became
// aware of at aware: counted in days from the day of awareness in Japan, the 確報 with the longer
// period when wrongful intent is suspected.
func (r IncidentRules) PPCDue(aware time.Time, wrongful bool) (prelim, final time.Time) {
	day := Day(aware)
	finalDays := r.FinalDays
	if wrongful {
		finalDays = r.FinalDaysWrongful
	}
	return day.AddDate(0, 0, r.PrelimDays), day.AddDate(0, 0, finalDays)
}

// Escalation is why an incident was put before the CISO and the managers of its units.
type Escalation string

const (
	EscalationSeverity Escalation = "severity" // 重要度2以上
	EscalationPPC      Escalation = "ppc"      // 個人情報保護委員会への報告が必要
)

// Escalations returns the reasons the incident is escalated for: severity 2 or more, or a PPC
// trigger met.
func Escalations(severity *int, triggers []PPCTrigger) []Escalation {
	var out []Escalation
	if severity != nil && *severity >= SeverityMajor {
		out = append(out, EscalationSeverity)
	}
	if len(triggers) > 0 {
		out = append(out, EscalationPPC)
	}
	return out
}

// IncidentEventKind is the type of a timeline entry.
type IncidentEventKind string

// The kinds people record.
const (
	EventDetection     IncidentEventKind = "detection"     // 検知・発見
	EventContainment   IncidentEventKind = "containment"   // 応急措置
	EventRecovery      IncidentEventKind = "recovery"      // 復旧
	EventCommunication IncidentEventKind = "communication" // 連絡・調整
	EventDecision      IncidentEventKind = "decision"      // 判断・指示
	EventReport        IncidentEventKind = "report"        // 報告
	EventNote          IncidentEventKind = "note"          // メモ
)

// The kinds the portal writes itself with the change they record.
const (
	EventIntake     IncidentEventKind = "intake"     // 受付
	EventTriage     IncidentEventKind = "triage"     // 判定
	EventStatus     IncidentEventKind = "status"     // 状態の変更
	EventSeverity   IncidentEventKind = "severity"   // 重要度の変更
	EventAssignee   IncidentEventKind = "assignee"   // 担当者の変更
	EventEscalation IncidentEventKind = "escalation" // エスカレーション
)

// IncidentEventKinds are the kinds a person may record, in the order forms offer them.
var IncidentEventKinds = []IncidentEventKind{EventDetection, EventContainment, EventRecovery,
	EventCommunication, EventDecision, EventReport, EventNote}

// Valid reports whether k is a kind a person may record.
func (k IncidentEventKind) Valid() bool { return slices.Contains(IncidentEventKinds, k) }

// IncidentEvent is one entry of the timeline. Detail carries what an automatic entry recorded:
// "from" and "to" of a change, "reasons" of an escalation.
type IncidentEvent struct {
	ID            int64
	Kind          IncidentEventKind
	At            time.Time
	Body          string
	Detail        map[string]string
	CreatedBy     int64
	CreatedByName string
	CreatedAt     time.Time
}

// IncidentEventInput is an entry a person records.
type IncidentEventInput struct {
	Kind IncidentEventKind
	At   time.Time // zero: now
	Body string
}

// Normalize trims the text.
func (in *IncidentEventInput) Normalize() { in.Body = strings.TrimSpace(in.Body) }

// Validate checks the entry.
func (in IncidentEventInput) Validate(now time.Time) FieldErrors {
	fe := FieldErrors{}
	fe.Check(in.Kind.Valid(), "kind", "validation.choose")
	fe.Check(in.Body != "", "body", "validation.required")
	fe.Check(utf8.RuneCountInString(in.Body) <= 4000, "body", "validation.too_long")
	fe.Check(in.At.IsZero() || !in.At.After(now.Add(5*time.Minute)), "at", "incident.error.future")
	return fe
}

// IncidentActionKind is what an action addresses.
type IncidentActionKind string

const (
	IncidentRootCauseAction  IncidentActionKind = "root_cause" // 原因究明
	IncidentRecoveryAction   IncidentActionKind = "recovery"   // 復旧措置
	IncidentPreventionAction IncidentActionKind = "prevention" // 再発防止策
)

// IncidentActionKinds lists the kinds in the order forms offer them.
var IncidentActionKinds = []IncidentActionKind{IncidentRootCauseAction, IncidentRecoveryAction, IncidentPreventionAction}

// Valid reports whether k is one of the kinds.
func (k IncidentActionKind) Valid() bool { return slices.Contains(IncidentActionKinds, k) }

// IncidentAction is a task with an owner and a due date: find the cause, recover, prevent.
type IncidentAction struct {
	ID          int64
	Kind        IncidentActionKind
	Description string
	OwnerID     int64 // a person (職員等); 0: not named
	OwnerName   string
	DueOn       *time.Time
	DoneOn      *time.Time
	Version     int
}

// Overdue reports whether the action is not done and its due day has passed on today.
func (a IncidentAction) Overdue(today time.Time) bool {
	return a.DoneOn == nil && a.DueOn != nil && a.DueOn.Before(Day(today))
}

// IncidentActionInput is the form of a new action.
type IncidentActionInput struct {
	Kind        IncidentActionKind
	Description string
	OwnerID     int64
	DueOn       *time.Time
}

// Normalize trims the text.
func (in *IncidentActionInput) Normalize() { in.Description = strings.TrimSpace(in.Description) }

// Validate checks the action.
func (in IncidentActionInput) Validate() FieldErrors {
	fe := FieldErrors{}
	fe.Check(in.Kind.Valid(), "kind", "validation.choose")
	fe.Check(in.Description != "", "description", "validation.required")
	fe.Check(utf8.RuneCountInString(in.Description) <= 2000, "description", "validation.too_long")
	return fe
}

// ReportRecipient is the body a report goes to (domain.md §4.3).
type ReportRecipient string

const (
	ReportPPCPrelim     ReportRecipient = "ppc_prelim"     // 個人情報保護委員会 速報
	ReportPPCFinal      ReportRecipient = "ppc_final"      // 個人情報保護委員会 確報
	ReportPrefecture    ReportRecipient = "prefecture"     // 都道府県 → 総務省
	ReportSecurityCloud ReportRecipient = "security_cloud" // 自治体情報セキュリティクラウド運営者 / J-LIS
	ReportPolice        ReportRecipient = "police"         // 警察
	ReportIPA           ReportRecipient = "ipa"            // IPA / JPCERT/CC
	ReportSubjects      ReportRecipient = "subjects"       // 本人への通知
	ReportPublication   ReportRecipient = "publication"    // 公表
	ReportOther         ReportRecipient = "other"
)

// ReportRecipients lists the recipients in the order pages show them.
var ReportRecipients = []ReportRecipient{ReportPPCPrelim, ReportPPCFinal, ReportPrefecture, ReportSecurityCloud,
	ReportPolice, ReportIPA, ReportSubjects, ReportPublication, ReportOther}

// PPC reports whether the report is one of the PPC's, which the portal adds and dates itself.
func (r ReportRecipient) PPC() bool { return r == ReportPPCPrelim || r == ReportPPCFinal }

// Valid reports whether r is one of the recipients a person may add (not the PPC's).
func (r ReportRecipient) Valid() bool { return slices.Contains(ReportRecipients, r) && !r.PPC() }

// IncidentReport is a report owed to an outside body: due on a day, made on a day.
type IncidentReport struct {
	ID        int64
	Recipient ReportRecipient
	DueOn     *time.Time
	DoneOn    *time.Time
	Note      string
	Version   int
}

// DueState says how a report stands on today: "done", "overdue" (its due day has passed), "soon"
// (due within soonDays), "open" (due later or no due day).
func (r IncidentReport) DueState(today time.Time, soonDays int) string {
	today = Day(today)
	switch {
	case r.DoneOn != nil:
		return "done"
	case r.DueOn == nil:
		return "open"
	case r.DueOn.Before(today):
		return "overdue"
	case !r.DueOn.After(today.AddDate(0, 0, soonDays)):
		return "soon"
	}
	return "open"
}

// IncidentReportInput is the form of a report a person adds, or of the day a report was made.
type IncidentReportInput struct {
	Recipient ReportRecipient
	DueOn     *time.Time
	DoneOn    *time.Time
	Note      string
}

// Normalize trims the note.
func (in *IncidentReportInput) Normalize() { in.Note = strings.TrimSpace(in.Note) }

// Validate checks the report.
func (in IncidentReportInput) Validate() FieldErrors {
	fe := FieldErrors{}
	fe.Check(in.Recipient.Valid(), "recipient", "validation.choose")
	fe.Check(utf8.RuneCountInString(in.Note) <= 1000, "note", "validation.too_long")
	return fe
}

// Incident is one incident record with everything its page shows.
type Incident struct {
	ID     int64
	Number string // 2026-0001: fiscal year and count

	// Intake.
	Title            string
	Description      string
	OccurredAt       *time.Time
	AwareAt          time.Time
	Place            string
	AffectedNote     string
	PersonalInfo     PersonalInfo
	FirstAction      string
	Channel          IncidentChannel
	ExternalReporter string
	ReportedBy       int64
	ReportedByName   string
	ReportedAt       time.Time

	// Triage.
	IsIncident    *bool
	DecidedAt     *time.Time
	DecidedBy     int64
	DecidedByName string
	Severity      *int
	Category      string // incident_categories code; "" until triaged
	Zone          Zone   // "" while unknown
	Impact        string

	// Personal-information facts and the 9 items of a PPC report.
	PIItems         string
	PISubjects      *int
	PISensitive     bool
	PIOrdinance     bool
	PIMyNumber      bool
	WrongfulIntent  bool
	FinancialHarm   bool
	SecondaryHarm   string
	SubjectResponse string
	Publication     string
	RootCause       string
	OtherNotes      string

	// Derived and kept: the PPC triggers met and the escalations made.
	PPCTriggers []PPCTrigger
	Escalations []Escalation

	Status       IncidentStatus
	AssigneeID   int64
	AssigneeName string
	RecoveredAt  *time.Time
	ClosedAt     *time.Time
	UpdatedAt    time.Time
	Version      int

	// Links, with names for reading.
	Units   []IncidentLink
	Assets  []IncidentLink
	Systems []IncidentLink

	// Filled by FindIncident (not by lists).
	Events  []IncidentEvent
	Actions []IncidentAction
	Reports []IncidentReport

	// Filled by lists: the earliest open due day of its reports and its state on the list's day.
	NextDue      *time.Time
	NextDueState string
}

// IncidentLink names a unit, asset or system an incident concerns.
type IncidentLink struct {
	ID   int64
	Code string // unit code, asset number, system code
	Name string
}

// PIFacts are the incident's personal-information facts.
func (i Incident) PIFacts() PIFacts {
	return PIFacts{PersonalInfo: i.PersonalInfo, Subjects: i.PISubjects, Sensitive: i.PISensitive, Ordinance: i.PIOrdinance,
		MyNumber: i.PIMyNumber, Wrongful: i.WrongfulIntent, Financial: i.FinancialHarm}
}

// PPCRequired reports whether a PPC report is owed.
func (i Incident) PPCRequired() bool { return len(i.PPCTriggers) > 0 }

// Report returns the incident's report to recipient, if there is one.
func (i Incident) Report(recipient ReportRecipient) (IncidentReport, bool) {
	for _, r := range i.Reports {
		if r.Recipient == recipient {
			return r, true
		}
	}
	return IncidentReport{}, false
}

// IncidentInput is the intake form: what happened in the reporter's words.
type IncidentInput struct {
	Title            string
	Description      string
	OccurredAt       *time.Time
	AwareAt          *time.Time
	Place            string
	AffectedNote     string
	PersonalInfo     PersonalInfo
	FirstAction      string
	Channel          IncidentChannel
	ExternalReporter string
}

// Normalize trims the text fields.
func (in *IncidentInput) Normalize() {
	for _, s := range []*string{&in.Title, &in.Description, &in.Place, &in.AffectedNote, &in.FirstAction, &in.ExternalReporter} {
		*s = strings.TrimSpace(*s)
	}
}

// Validate checks the report against now: when it was noticed is needed (the deadlines count
// from it) and cannot lie ahead, nor before it happened; a report from outside names its
// source.
func (in IncidentInput) Validate(now time.Time) FieldErrors {
	fe := FieldErrors{}
	fe.Check(in.Title != "", "title", "validation.required")
	fe.Check(utf8.RuneCountInString(in.Title) <= 200, "title", "validation.too_long")
	fe.Check(in.Description != "", "description", "validation.required")
	fe.Check(utf8.RuneCountInString(in.Description) <= 8000, "description", "validation.too_long")
	fe.Check(in.AwareAt != nil, "aware_at", "validation.required")
	soon := now.Add(5 * time.Minute)
	fe.Check(in.AwareAt == nil || !in.AwareAt.After(soon), "aware_at", "incident.error.future")
	fe.Check(in.OccurredAt == nil || !in.OccurredAt.After(soon), "occurred_at", "incident.error.future")
	fe.Check(in.OccurredAt == nil || in.AwareAt == nil || !in.OccurredAt.After(*in.AwareAt), "occurred_at", "incident.error.occurred_after_aware")
	for name, s := range map[string]string{"place": in.Place, "affected_note": in.AffectedNote, "first_action": in.FirstAction, "external_reporter": in.ExternalReporter} {
		fe.Check(utf8.RuneCountInString(s) <= 2000, name, "validation.too_long")
	}
	fe.Check(in.PersonalInfo.Valid(), "personal_info", "validation.choose")
	fe.Check(in.Channel.Valid(), "channel", "validation.choose")
	fe.Check(!in.Channel.External() || in.ExternalReporter != "", "external_reporter", "incident.error.external_reporter")
	return fe
}

// IncidentTriage is the CSIRT's judgement and the facts it records, saved at once. Version is the
// incident's version the form showed.
type IncidentTriage struct {
	IsIncident     *bool // nil: not judged yet
	Severity       *int
	Category       string
	Zone           Zone
	Impact         string
	UnitIDs        []int64
	AssetIDs       []int64
	SystemIDs      []int64
	AwareAt        *time.Time // the CSIRT may correct when the town became aware
	OccurredAt     *time.Time
	PersonalInfo   PersonalInfo
	PIItems        string
	PISubjects     *int
	PISensitive    bool
	PIOrdinance    bool
	PIMyNumber     bool
	WrongfulIntent bool
	FinancialHarm  bool
	SecondaryHarm  string
	// The remaining items of a PPC report, kept up to date as the handling goes on.
	SubjectResponse string
	Publication     string
	RootCause       string
	OtherNotes      string
	RecoveredAt     *time.Time
	Version         int
}

// Normalize trims the text fields.
func (in *IncidentTriage) Normalize() {
	for _, s := range []*string{&in.Impact, &in.PIItems, &in.SecondaryHarm, &in.SubjectResponse, &in.Publication, &in.RootCause, &in.OtherNotes} {
		*s = strings.TrimSpace(*s)
	}
}

// Validate checks the triage; categories are the active codes the form offered. An incident
// needs its severity and category; so does a dismissal not (非該当).
func (in IncidentTriage) Validate(now time.Time, categories []string) FieldErrors {
	fe := FieldErrors{}
	incident := in.IsIncident != nil && *in.IsIncident
	fe.Check(in.Severity == nil || *in.Severity >= SeverityNearMiss && *in.Severity <= SeverityCritical, "severity", "validation.choose")
	fe.Check(!incident || in.Severity != nil, "severity", "incident.error.severity_required")
	fe.Check(in.Category == "" || slices.Contains(categories, in.Category), "category", "validation.choose")
	fe.Check(!incident || in.Category != "", "category", "incident.error.category_required")
	fe.Check(in.Zone == "" || in.Zone.Valid(), "zone", "validation.choose")
	fe.Check(in.PersonalInfo.Valid(), "personal_info", "validation.choose")
	fe.Check(in.PISubjects == nil || *in.PISubjects >= 0, "pi_subjects", "validation.out_of_range")
	fe.Check(in.AwareAt != nil, "aware_at", "validation.required")
	soon := now.Add(5 * time.Minute)
	fe.Check(in.AwareAt == nil || !in.AwareAt.After(soon), "aware_at", "incident.error.future")
	fe.Check(in.OccurredAt == nil || in.AwareAt == nil || !in.OccurredAt.After(*in.AwareAt), "occurred_at", "incident.error.occurred_after_aware")
	fe.Check(in.RecoveredAt == nil || !in.RecoveredAt.After(soon), "recovered_at", "incident.error.future")
	for name, s := range map[string]string{"impact": in.Impact, "pi_items": in.PIItems, "secondary_harm": in.SecondaryHarm,
		"subject_response": in.SubjectResponse, "publication": in.Publication, "root_cause": in.RootCause, "other_notes": in.OtherNotes} {
		fe.Check(utf8.RuneCountInString(s) <= 4000, name, "validation.too_long")
	}
	return fe
}

// IncidentHandler reports whether the actor handles incidents: judges reports, moves them
// through the workflow, assigns them, records actions and reports. The security office and the
// holders of the CSIRT roles and of the 統一的な窓口 do.
func IncidentHandler(a Actor) bool {
	return a.Can(PermHandleIncidents) ||
		a.Holds(RoleCodeCSIRTLead) || a.Holds(RoleCodeCSIRTMember) || a.Holds(RoleCodeSPOC)
}

// SeesAllIncidents reports whether the actor sees every incident: the handlers, and those who see
// every unit (the CISO, the 統括, auditors). Everyone else sees the incidents they reported and
// those of the units they manage (need to know).
func SeesAllIncidents(a Actor) bool { return a.System || a.AllUnits || IncidentHandler(a) }

// RecordsIncidentEvents reports whether the actor may add to the timeline of an incident they
// see: everyone but auditors, who read.
func RecordsIncidentEvents(a Actor) bool { return a.SignedIn() && a.Role != RoleAuditor || a.System }

// IncidentFilter selects incidents for the list; zero fields do not narrow. Pages go newest first
// and continue below Before (an incident id).
type IncidentFilter struct {
	Status   IncidentStatus
	Open     bool // any status but 完了 and 非該当
	Severity *int
	Category string
	UnitID   int64
	PPC      bool // a PPC report is owed
	Overdue  bool // a report is overdue on Day
	Mine     bool // reported by the reader
	Query    string
	Day      time.Time // the day overdue is judged on
	Before   int64
	Limit    int
}

// IncidentStats are the incidents of a fiscal year (by the day the town became aware of them)
// counted by month, category, severity and unit. Non-incidents are left out.
type IncidentStats struct {
	FiscalYear int
	Total      int
	ByMonth    []StatCount // April first, twelve entries, Key "2026-04"
	ByCategory []StatCount // Key: category code ("" untriaged)
	BySeverity []StatCount // Key "0".."3", "" untriaged
	ByUnit     []StatCount // Key: unit id; Label: unit name
	PPCCount   int
}

// StatCount is one bar of a chart.
type StatCount struct {
	Key   string
	Label string
	Count int
}

// Notification is something the portal tells a person on their notification list.
type Notification struct {
	ID         int64
	Kind       string // incident_escalated
	IncidentID int64
	Reason     Escalation
	CreatedAt  time.Time
	ReadAt     *time.Time
	// The incident as it stands now, for the list.
	Number     string
	Title      string
	Severity   *int
	Status     IncidentStatus
	PrelimDue  *time.Time // the PPC 速報's due day while it is not made
	PrelimDone *time.Time
}
