package isms

import (
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// Self-inspections (自己点検, basic policy §8, domain.md §6.2 and §6.5). The security office keeps
// checklists (their items are data the town edits, versioned once answered) and runs a campaign
// per fiscal year. Opening a campaign makes the answer sheets, by this rule: every target unit
// (all in-scope units of the 課 level — the types that need a 管理者 — or the units chosen) gets
// a 管理者 sheet (the items of the 管理者 and of the 責任者, who self-inspects with the 管理者) and
// a 職員 sheet (the staff items, answered once for the unit by its staff or its 管理者); a unit
// for which someone holds the 情報システム管理者 or SNS責任者 role gets that role's sheet; the
// town-level 統括's items make one sheet for whoever holds that role, in a campaign for all units.

// Respondent is who answers a checklist item: a security role code, or "staff" for the 職員等.
type Respondent string

const (
	RespondentManager  Respondent = "ISM_SECTION" // 情報セキュリティ管理者
	RespondentStaff    Respondent = "staff"       // 職員等 (the unit answers once)
	RespondentSysAdmin Respondent = "SYS_ADMIN"   // 情報システム管理者
	RespondentDeputy   Respondent = "DEPUTY_CISO" // 統括情報セキュリティ責任者
	RespondentOfficer  Respondent = "ISO_DEPT"    // 情報セキュリティ責任者
	RespondentSNS      Respondent = "SNS_OWNER"   // ソーシャルメディアサービス責任者
)

// Respondents lists the respondents in the order forms offer them.
var Respondents = []Respondent{RespondentManager, RespondentStaff, RespondentSysAdmin, RespondentOfficer,
	RespondentDeputy, RespondentSNS}

// Valid reports whether r is one of the respondents.
func (r Respondent) Valid() bool { return slices.Contains(Respondents, r) }

// Sheet is the kind of answer sheet that carries the items of r: the 責任者's items go on the
// 管理者's sheet of each unit.
func (r Respondent) Sheet() Respondent {
	if r == RespondentOfficer {
		return RespondentManager
	}
	return r
}

// ChecklistStatus is where a checklist stands: a draft is being written, an active one may be
// sent in campaigns, a retired one is kept for the campaigns that used it.
type ChecklistStatus string

const (
	ChecklistDraft   ChecklistStatus = "draft"
	ChecklistActive  ChecklistStatus = "active"
	ChecklistRetired ChecklistStatus = "retired"
)

// ChecklistStatuses lists the statuses in their order.
var ChecklistStatuses = []ChecklistStatus{ChecklistDraft, ChecklistActive, ChecklistRetired}

// Valid reports whether s is one of the statuses.
func (s ChecklistStatus) Valid() bool { return slices.Contains(ChecklistStatuses, s) }

// Checklist is one version of a self-inspection checklist. FamilyID is the id of the family's
// first version (its own for the first). InUse marks a checklist that an opened campaign uses:
// its items are then frozen, and an edit of them makes the next version.
type Checklist struct {
	ID         int64           `json:"id"`
	FamilyID   int64           `json:"family_id"`
	Name       string          `json:"name"`
	FiscalYear int             `json:"fiscal_year"`
	Status     ChecklistStatus `json:"status"`
	VersionNo  int             `json:"version_no"`
	Version    int             `json:"version"`
	InUse      bool            `json:"-"`
	UpdatedAt  time.Time       `json:"-"`
	Items      []ChecklistItem `json:"-"`
}

// ChecklistItem is one question of a checklist.
type ChecklistItem struct {
	ID         int64      `json:"id"`
	Number     int        `json:"number"`
	TextJa     string     `json:"text_ja"`
	TextEn     string     `json:"text_en"`
	Area       string     `json:"area"`
	Respondent Respondent `json:"respondent"`
	ClauseRef  string     `json:"clause_ref"`
	SortOrder  int        `json:"sort_order"`
	Version    int        `json:"version"`
}

// Text is the item's question in lang, in Japanese when it has no English wording.
func (i ChecklistItem) Text(lang string) string {
	if lang == "en" && i.TextEn != "" {
		return i.TextEn
	}
	return i.TextJa
}

// ChecklistInput is the heading of a checklist as the security office types it.
type ChecklistInput struct {
	Name       string
	FiscalYear int
	Version    int
}

// Normalize trims the name.
func (in *ChecklistInput) Normalize() { in.Name = strings.TrimSpace(in.Name) }

// Validate checks the heading; the keys name catalogue messages.
func (in ChecklistInput) Validate() FieldErrors {
	fe := FieldErrors{}
	fe.Check(in.Name != "", "name", "validation.required")
	fe.Check(utf8.RuneCountInString(in.Name) <= 200, "name", "validation.too_long")
	fe.Check(in.FiscalYear >= 2000 && in.FiscalYear <= 2100, "fiscal_year", "inspection.error.fiscal_year")
	return fe
}

// ChecklistItemInput is an item as the security office types it.
type ChecklistItemInput struct {
	Number     int
	TextJa     string
	TextEn     string
	Area       string
	Respondent Respondent
	ClauseRef  string
	SortOrder  int
	Version    int // of the item edited; 0 for a new item
}

// Normalize trims the texts.
func (in *ChecklistItemInput) Normalize() {
	in.TextJa = strings.TrimSpace(in.TextJa)
	in.TextEn = strings.TrimSpace(in.TextEn)
	in.Area = strings.TrimSpace(in.Area)
	in.ClauseRef = strings.TrimSpace(in.ClauseRef)
}

// Validate checks the item; the keys name catalogue messages.
func (in ChecklistItemInput) Validate() FieldErrors {
	fe := FieldErrors{}
	fe.Check(in.Number > 0 && in.Number <= 999, "number", "inspection.error.number")
	fe.Check(in.TextJa != "", "text_ja", "validation.required")
	fe.Check(utf8.RuneCountInString(in.TextJa) <= 1000, "text_ja", "validation.too_long")
	fe.Check(utf8.RuneCountInString(in.TextEn) <= 1000, "text_en", "validation.too_long")
	fe.Check(utf8.RuneCountInString(in.Area) <= 100, "area", "validation.too_long")
	fe.Check(in.Respondent.Valid(), "respondent", "validation.choose")
	fe.Check(utf8.RuneCountInString(in.ClauseRef) <= 200, "clause_ref", "validation.too_long")
	fe.Check(in.SortOrder >= 0 && in.SortOrder <= 99999, "sort_order", "validation.out_of_range")
	return fe
}

// CampaignStatus is where a campaign stands: prepared, open for answers, or closed.
type CampaignStatus string

const (
	CampaignDraft  CampaignStatus = "draft"
	CampaignOpen   CampaignStatus = "open"
	CampaignClosed CampaignStatus = "closed"
)

// Campaign is one round of self-inspection: a checklist version sent for a period to units and
// role holders. CommitteeSentOn is the day its results went to the committee.
type Campaign struct {
	ID                 int64          `json:"id"`
	Name               string         `json:"name"`
	FiscalYear         int            `json:"fiscal_year"`
	ChecklistID        int64          `json:"checklist_id"`
	StartsOn           time.Time      `json:"starts_on"`
	EndsOn             time.Time      `json:"ends_on"`
	Status             CampaignStatus `json:"status"`
	AllUnits           bool           `json:"all_units"`
	UnitIDs            []int64        `json:"unit_ids"`
	OpenedAt           *time.Time     `json:"opened_at"`
	ClosedAt           *time.Time     `json:"closed_at"`
	CommitteeSentOn    *time.Time     `json:"committee_sent_on"`
	Version            int            `json:"version"`
	ChecklistName      string         `json:"-"`
	ChecklistVersionNo int            `json:"-"`
}

// CampaignInput is a campaign as the security office types it. An empty UnitIDs sends the
// campaign to every in-scope unit of the 課 level.
type CampaignInput struct {
	Name        string
	FiscalYear  int
	ChecklistID int64
	StartsOn    *time.Time
	EndsOn      *time.Time
	UnitIDs     []int64
	Version     int
}

// Normalize trims the name.
func (in *CampaignInput) Normalize() { in.Name = strings.TrimSpace(in.Name) }

// Validate checks the campaign; the keys name catalogue messages.
func (in CampaignInput) Validate() FieldErrors {
	fe := FieldErrors{}
	fe.Check(in.Name != "", "name", "validation.required")
	fe.Check(utf8.RuneCountInString(in.Name) <= 200, "name", "validation.too_long")
	fe.Check(in.FiscalYear >= 2000 && in.FiscalYear <= 2100, "fiscal_year", "inspection.error.fiscal_year")
	fe.Check(in.ChecklistID != 0, "checklist_id", "validation.choose")
	fe.Check(in.StartsOn != nil, "starts_on", "validation.required")
	fe.Check(in.EndsOn != nil, "ends_on", "validation.required")
	fe.Check(in.StartsOn == nil || in.EndsOn == nil || !in.EndsOn.Before(*in.StartsOn), "ends_on", "validation.period")
	return fe
}

// SeesInspectionResults reports whether the actor reads a campaign's results for the whole town
// and its report to the committee: the security office, those who see every unit (the CISO, the
// 統括, auditors) and the committee's members.
func SeesInspectionResults(a Actor) bool {
	return a.System || a.Can(PermManageInspections) || a.AllUnits || a.Holds(RoleCodeCommittee)
}

// Answer is the answer to one item.
type Answer string

const (
	AnswerCompliant     Answer = "compliant"      // 実施している
	AnswerPartial       Answer = "partial"        // 一部実施
	AnswerNotCompliant  Answer = "not_compliant"  // 未実施
	AnswerNotApplicable Answer = "not_applicable" // 該当なし
)

// Answers lists the answers in the order the form offers them.
var Answers = []Answer{AnswerCompliant, AnswerPartial, AnswerNotCompliant, AnswerNotApplicable}

// Valid reports whether a is one of the answers.
func (a Answer) Valid() bool { return slices.Contains(Answers, a) }

// NeedsMeasure reports whether the answer needs an improvement measure with a due day.
func (a Answer) NeedsMeasure() bool { return a == AnswerPartial || a == AnswerNotCompliant }

// SheetStatus is where an answer sheet stands: open for answers, or submitted (read-only until
// the security office reopens it).
type SheetStatus string

const (
	SheetOpen      SheetStatus = "open"
	SheetSubmitted SheetStatus = "submitted"
)

// Sheet is the answer sheet of one respondent kind for one unit (UnitID 0: a town-level role).
// MayAnswer is whether the actor who read it answers it (the store decides it in SQL: the
// security office, the unit's 管理者 for its sheets, the unit's staff for the staff sheet, the
// holders of the role for a role's sheet).
type Sheet struct {
	ID              int64          `json:"id"`
	CampaignID      int64          `json:"campaign_id"`
	Respondent      Respondent     `json:"respondent"`
	UnitID          int64          `json:"unit_id"`
	Status          SheetStatus    `json:"status"`
	SubmittedAt     *time.Time     `json:"submitted_at"`
	Version         int            `json:"version"`
	UnitCode        string         `json:"-"`
	UnitName        string         `json:"-"`
	SubmittedByName string         `json:"-"`
	CampaignName    string         `json:"-"`
	CampaignStatus  CampaignStatus `json:"-"`
	EndsOn          time.Time      `json:"-"`
	Answered, Total int            `json:"-"`
	MayAnswer       bool           `json:"-"`
	Answers         []SheetAnswer  `json:"-"`
}

// Editable reports whether the sheet takes answers from its answerers: open, in an open campaign.
func (s Sheet) Editable() bool {
	return s.MayAnswer && s.Status == SheetOpen && s.CampaignStatus == CampaignOpen
}

// Overdue reports whether the sheet is still not submitted after the campaign's last day.
func (s Sheet) Overdue(today time.Time) bool {
	return s.Status != SheetSubmitted && s.EndsOn.Before(Day(today))
}

// SheetAnswer is an item of a sheet with its answer ("" not answered yet) and the improvement
// measure an answer of 一部実施 or 未実施 carries.
type SheetAnswer struct {
	Item          ChecklistItem `json:"-"`
	ItemID        int64         `json:"item_id"`
	Answer        Answer        `json:"answer"`
	Comment       string        `json:"comment"`
	Measure       string        `json:"measure"`
	MeasureDueOn  *time.Time    `json:"measure_due_on"`
	MeasureDoneOn *time.Time    `json:"measure_done_on"`
	AnsweredBy    string        `json:"-"`
	AnsweredAt    *time.Time    `json:"-"`
	Version       int           `json:"version"`
}

// MeasureOpen reports whether the answer has an improvement measure not carried out yet.
func (a SheetAnswer) MeasureOpen() bool { return a.Answer.NeedsMeasure() && a.MeasureDoneOn == nil }

// AnswerInput is the answer to one item as the sheet's form sends it; Answer "" leaves the item
// unanswered.
type AnswerInput struct {
	ItemID       int64
	Answer       Answer
	Comment      string
	Measure      string
	MeasureDueOn *time.Time
}

// Normalize trims the texts.
func (in *AnswerInput) Normalize() {
	in.Comment = strings.TrimSpace(in.Comment)
	in.Measure = strings.TrimSpace(in.Measure)
}

// AnswerField names the field of an item's answer in the sheet's form: "answer-12", "measure-12" ….
func AnswerField(name string, itemID int64) string { return name + "-" + strconv.FormatInt(itemID, 10) }

// Validate checks one answer; the fields are named after the item (AnswerField).
func (in AnswerInput) Validate() FieldErrors {
	fe := FieldErrors{}
	fe.Check(in.Answer == "" || in.Answer.Valid(), AnswerField("answer", in.ItemID), "validation.choose")
	fe.Check(utf8.RuneCountInString(in.Comment) <= 2000, AnswerField("comment", in.ItemID), "validation.too_long")
	fe.Check(utf8.RuneCountInString(in.Measure) <= 2000, AnswerField("measure", in.ItemID), "validation.too_long")
	if in.Answer.NeedsMeasure() {
		fe.Check(in.Measure != "", AnswerField("measure", in.ItemID), "inspection.error.measure_required")
		fe.Check(in.MeasureDueOn != nil, AnswerField("due", in.ItemID), "inspection.error.due_required")
	}
	return fe
}

// SheetInput is the whole answer form of a sheet. Submit asks to submit it once saved, which
// needs every item answered.
type SheetInput struct {
	Answers []AnswerInput
	Submit  bool
	Version int
}

// Validate checks the answers against the sheet's items: each answer, and for a submission that
// none is left out (field "submit").
func (in SheetInput) Validate(items []ChecklistItem) FieldErrors {
	fe := FieldErrors{}
	answered := map[int64]bool{}
	for _, a := range in.Answers {
		for field, key := range a.Validate() {
			fe.Check(false, field, key)
		}
		answered[a.ItemID] = a.Answer != ""
	}
	if in.Submit {
		for _, it := range items {
			if !answered[it.ID] {
				fe.Check(false, "submit", "inspection.error.incomplete")
				fe.Check(false, AnswerField("answer", it.ID), "inspection.error.unanswered")
			}
		}
	}
	return fe
}

// AnswerCounts counts the answers of a set of items or sheets.
type AnswerCounts struct {
	Compliant, Partial, NotCompliant, NotApplicable, Unanswered int
}

// Add counts one answer ("" is unanswered).
func (c *AnswerCounts) Add(a Answer) {
	switch a {
	case AnswerCompliant:
		c.Compliant++
	case AnswerPartial:
		c.Partial++
	case AnswerNotCompliant:
		c.NotCompliant++
	case AnswerNotApplicable:
		c.NotApplicable++
	default:
		c.Unanswered++
	}
}

// Answered is how many were answered.
func (c AnswerCounts) Answered() int {
	return c.Compliant + c.Partial + c.NotCompliant + c.NotApplicable
}

// Rate is the compliance rate, compliant / (answered − not applicable); false when nothing
// applicable was answered.
func (c AnswerCounts) Rate() (float64, bool) {
	n := c.Answered() - c.NotApplicable
	if n == 0 {
		return 0, false
	}
	return float64(c.Compliant) / float64(n), true
}

// ItemResult is what the sheets answered to one item.
type ItemResult struct {
	Item ChecklistItem
	AnswerCounts
}

// UnitResult is what one unit answered over all its sheets (UnitID 0: the town-level sheets).
type UnitResult struct {
	UnitID   int64
	UnitCode string
	UnitName string
	AnswerCounts
}

// CampaignResults are a campaign's answers counted by item and by unit, with the sheets
// submitted out of all.
type CampaignResults struct {
	Total             AnswerCounts
	ByItem            []ItemResult
	ByUnit            []UnitResult
	Sheets, Submitted int
}
