package isms

import (
	"slices"
	"strings"
	"time"
	"unicode/utf8"
)

// External (cloud) services (外部サービス, basic policy §6(8), domain.md §7.2 and §7.3). A unit asks
// to use a service (利用申請); the unit's 情報セキュリティ管理者 — never the person who asked (兼務の
// 禁止) — approves it for a confidentiality level up to the one asked for and names its
// 外部サービス管理者, or rejects it with the reason. An approved service may be asked to handle a
// higher level: that request waits beside the approval, which stays. Reviews (見直し) set the next
// review's day (a year on by default); the end of use records the deletion of the town's data.
//
// Readers: those who see the service's unit, everyone for a shared service (全庁で利用), those who
// see every unit (the security office, the CISO, auditors) and its 外部サービス管理者. Editors:
// actor.Edits(unit). Deciders: the unit's 管理者 (actor.Manages).

// RoleCodeExtServiceAdmin is the 外部サービス管理者 of a unit, started by the approval of a service.
const RoleCodeExtServiceAdmin SecurityRoleCode = "EXT_SERVICE_ADMIN"

// ExternalServiceStatus is where a service is in its life.
type ExternalServiceStatus string

const (
	ExtServiceRequested ExternalServiceStatus = "requested" // 申請中
	ExtServiceApproved  ExternalServiceStatus = "approved"  // 承認済 (in use)
	ExtServiceRejected  ExternalServiceStatus = "rejected"  // 不承認
	ExtServiceEnded     ExternalServiceStatus = "ended"     // 利用終了
)

// ExternalServiceStatuses lists the statuses in the order pages show them.
var ExternalServiceStatuses = []ExternalServiceStatus{ExtServiceRequested, ExtServiceApproved, ExtServiceRejected, ExtServiceEnded}

// Valid reports whether s is one of the statuses.
func (s ExternalServiceStatus) Valid() bool { return slices.Contains(ExternalServiceStatuses, s) }

// ContractForm is how the town is bound to the provider.
type ContractForm string

const (
	ContractIndividual ContractForm = "contract" // 個別契約
	ContractTerms      ContractForm = "terms"    // 約款 (terms of service)
)

// ContractForms lists the forms in the order forms offer them.
var ContractForms = []ContractForm{ContractIndividual, ContractTerms}

// Valid reports whether f is one of the forms.
func (f ContractForm) Valid() bool { return slices.Contains(ContractForms, f) }

// DataLocation is where the provider keeps the town's data.
type DataLocation string

const (
	DataDomestic DataLocation = "domestic" // 国内
	DataOverseas DataLocation = "overseas" // 国外
	DataBoth     DataLocation = "both"     // 国内外
)

// DataLocations lists the locations in the order forms offer them.
var DataLocations = []DataLocation{DataDomestic, DataOverseas, DataBoth}

// Valid reports whether l is one of the locations.
func (l DataLocation) Valid() bool { return slices.Contains(DataLocations, l) }

// ExternalService is one service of the register.
type ExternalService struct {
	ID                 int64                 `json:"id"`
	Number             string                `json:"number"`
	Name               string                `json:"name"`
	Provider           string                `json:"provider"`
	Purpose            string                `json:"purpose"`
	UnitID             int64                 `json:"unit_id"`
	Shared             bool                  `json:"shared"`
	ContractForm       ContractForm          `json:"contract_form"`
	RequestedLevel     string                `json:"requested_level"`
	ApprovedLevel      string                `json:"approved_level"` // "" until approved
	Status             ExternalServiceStatus `json:"status"`
	ISMAPRegistered    bool                  `json:"ismap_registered"`
	ISMAPNumber        string                `json:"ismap_number"`
	DataLocation       DataLocation          `json:"data_location"`
	GoverningLaw       string                `json:"governing_law"`
	Jurisdiction       string                `json:"jurisdiction"`
	MFA                bool                  `json:"mfa"`
	AuthMethod         string                `json:"auth_method"`
	UsersScope         string                `json:"users_scope"`
	AccountCount       *int                  `json:"account_count"`
	RequestedBy        int64                 `json:"requested_by"`
	RequestedAt        time.Time             `json:"requested_at"`
	DecidedBy          int64                 `json:"decided_by"`
	DecidedAt          *time.Time            `json:"decided_at"`
	ApprovalNumber     string                `json:"approval_number"`
	DecisionNote       string                `json:"decision_note"`
	AdminPersonID      int64                 `json:"admin_person_id"`
	UseFrom            *time.Time            `json:"use_from"`
	UseTo              *time.Time            `json:"use_to"`
	ReviewDue          *time.Time            `json:"review_due"`
	DataDeletedOn      *time.Time            `json:"data_deleted_on"`
	DataDeletionMethod string                `json:"data_deletion_method"`
	Version            int                   `json:"version"`

	// For reading: names as they are now, and the request that waits for a decision.
	UnitName        string                    `json:"-"`
	RequestedByName string                    `json:"-"`
	DecidedByName   string                    `json:"-"`
	AdminName       string                    `json:"-"`
	AdminUserID     int64                     `json:"-"` // the 外部サービス管理者's account, 0 if none
	PendingBy       int64                     `json:"-"` // who asked for the decision that waits; 0 when none waits
	Decisions       []ExternalServiceDecision `json:"-"` // oldest first; only on the record's page
	Reviews         []ExternalServiceReview   `json:"-"` // newest first; only on the record's page
}

// Pending reports whether a request waits for the 管理者's decision: the use request, or a
// request for a higher level of an approved service.
func (s ExternalService) Pending() bool { return s.PendingBy != 0 }

// Raising reports whether an approved service waits for a higher level.
func (s ExternalService) Raising() bool { return s.Pending() && s.Status == ExtServiceApproved }

// Allows reports whether an asset whose confidentiality has rank cRank may be linked to the
// service: an asset at 自治体機密性2以上 only to an approved service whose approved level ranks
// at least as high (a level waiting for approval does not count); an asset below it to any service
// not rejected or ended. levels are the classification levels by code (FindLevels); an approved
// level not among them allows nothing at 2以上.
func (s ExternalService) Allows(cRank int, levels map[string]Level) bool {
	if s.Status == ExtServiceRejected || s.Status == ExtServiceEnded {
		return false
	}
	if cRank < ThresholdRank {
		return true
	}
	l, ok := levels[s.ApprovedLevel]
	return s.Status == ExtServiceApproved && ok && l.Axis == AxisC && l.Rank >= cRank
}

// ReviewSoonDays is how many days ahead a review counts as due (要対応, tasks).
const ReviewSoonDays = 30

// ReviewState is the state of the service's next review on today: "overdue", "soon" (within
// ReviewSoonDays), or "" (later, or no review for a service not in use).
func (s ExternalService) ReviewState(today time.Time) string {
	if s.Status != ExtServiceApproved || s.ReviewDue == nil {
		return ""
	}
	today = Day(today)
	switch {
	case s.ReviewDue.Before(today):
		return "overdue"
	case !s.ReviewDue.After(today.AddDate(0, 0, ReviewSoonDays)):
		return "soon"
	}
	return ""
}

// DeletionPending reports whether the service ended without the deletion of its data confirmed.
func (s ExternalService) DeletionPending() bool {
	return s.Status == ExtServiceEnded && s.DataDeletedOn == nil
}

// Administers reports whether the actor is the service's 外部サービス管理者.
func (s ExternalService) Administers(a Actor) bool { return a.UserID != 0 && s.AdminUserID == a.UserID }

// MayDecide reports whether the actor decides the waiting request: a 管理者 of the service's unit
// who did not ask for it.
func (s ExternalService) MayDecide(a Actor) bool {
	return s.Pending() && a.SignedIn() && a.Manages(s.UnitID) && a.UserID != s.PendingBy
}

// MayEdit reports whether the actor changes the record: those who keep the unit's records, while
// the service is asked for or in use.
func (s ExternalService) MayEdit(a Actor) bool {
	return a.SignedIn() && a.Edits(s.UnitID) && (s.Status == ExtServiceRequested || s.Status == ExtServiceApproved)
}

// MayReview reports whether the actor records reviews and the end: those who keep the unit's
// records, its 管理者 and the service's 外部サービス管理者.
func (s ExternalService) MayReview(a Actor) bool {
	return a.SignedIn() && (a.Edits(s.UnitID) || a.Manages(s.UnitID) || s.Administers(a))
}

// ExternalServiceInput is the use request form (利用申請), and the edit form of the record. The
// level asked for is changed on the form only while the service is asked for; an approved service
// asks for a higher level with ExternalServiceLevelInput.
type ExternalServiceInput struct {
	Name            string
	Provider        string
	Purpose         string
	UnitID          int64
	Shared          bool
	ContractForm    ContractForm
	RequestedLevel  string
	ISMAPRegistered bool
	ISMAPNumber     string
	DataLocation    DataLocation
	GoverningLaw    string
	Jurisdiction    string
	MFA             bool
	AuthMethod      string
	UsersScope      string
	AccountCount    *int
	UseFrom         *time.Time
	Version         int
}

// Normalize trims the text and drops an ISMAP number of a service not registered.
func (in *ExternalServiceInput) Normalize() {
	for _, s := range []*string{&in.Name, &in.Provider, &in.Purpose, &in.ISMAPNumber, &in.GoverningLaw,
		&in.Jurisdiction, &in.AuthMethod, &in.UsersScope} {
		*s = strings.TrimSpace(*s)
	}
	if !in.ISMAPRegistered {
		in.ISMAPNumber = ""
	}
}

// Validate checks the form; the keys name catalogue messages. That the level is one of the active
// scheme's confidentiality levels is the store's to check.
func (in ExternalServiceInput) Validate() FieldErrors {
	fe := FieldErrors{}
	for _, f := range []struct {
		name, value string
		max         int
		required    bool
	}{
		{"name", in.Name, 200, true}, {"provider", in.Provider, 200, true}, {"purpose", in.Purpose, 2000, true},
		{"ismap_number", in.ISMAPNumber, 50, in.ISMAPRegistered}, {"governing_law", in.GoverningLaw, 200, false},
		{"jurisdiction", in.Jurisdiction, 200, false}, {"auth_method", in.AuthMethod, 200, false},
		{"users_scope", in.UsersScope, 500, false},
	} {
		fe.Check(!f.required || f.value != "", f.name, "validation.required")
		fe.Check(utf8.RuneCountInString(f.value) <= f.max, f.name, "validation.too_long")
	}
	fe.Check(in.UnitID != 0, "unit_id", "validation.choose")
	fe.Check(in.ContractForm.Valid(), "contract_form", "validation.choose")
	fe.Check(in.RequestedLevel != "", "requested_level", "validation.choose")
	fe.Check(in.DataLocation.Valid(), "data_location", "validation.choose")
	fe.Check(in.AccountCount == nil || *in.AccountCount >= 0, "account_count", "external_service.error.account_count")
	return fe
}

// ExternalServiceDecisionInput is the 管理者's decision on the waiting request: approve it for a
// level (no higher than asked) and name the 外部サービス管理者, or reject it with the reason.
// ReviewDue is the first review's day of a new service (a year on when empty).
type ExternalServiceDecisionInput struct {
	Approve        bool
	Level          string
	AdminPersonID  int64
	ApprovalNumber string
	Note           string
	ReviewDue      *time.Time
	Version        int
}

// Normalize trims the text.
func (d *ExternalServiceDecisionInput) Normalize() {
	d.ApprovalNumber = strings.TrimSpace(d.ApprovalNumber)
	d.Note = strings.TrimSpace(d.Note)
}

// Validate checks the decision; the keys name catalogue messages.
func (d ExternalServiceDecisionInput) Validate() FieldErrors {
	fe := FieldErrors{}
	if d.Approve {
		fe.Check(d.Level != "", "level", "validation.choose")
		fe.Check(d.AdminPersonID != 0, "admin_person_id", "external_service.error.admin")
	} else {
		fe.Check(d.Note != "", "note", "external_service.error.reject_note")
	}
	fe.Check(utf8.RuneCountInString(d.ApprovalNumber) <= 100, "approval_number", "validation.too_long")
	fe.Check(utf8.RuneCountInString(d.Note) <= 2000, "note", "validation.too_long")
	return fe
}

// ExternalServiceLevelInput asks for a higher level of an approved service (with the reason), or
// is the 管理者's lowering of its approved level (with the note).
type ExternalServiceLevelInput struct {
	Level   string
	Reason  string
	Version int
}

// Normalize trims the reason.
func (in *ExternalServiceLevelInput) Normalize() { in.Reason = strings.TrimSpace(in.Reason) }

// Validate checks the request: a level and why.
func (in ExternalServiceLevelInput) Validate() FieldErrors {
	fe := FieldErrors{}
	fe.Check(in.Level != "", "level", "validation.choose")
	fe.Check(in.Reason != "", "reason", "validation.required")
	fe.Check(utf8.RuneCountInString(in.Reason) <= 2000, "reason", "validation.too_long")
	return fe
}

// ExternalServiceDecision is one request of a service and its decision.
type ExternalServiceDecision struct {
	ID              int64
	Kind            string // "use", "raise", "lower"
	RequestedLevel  string
	Reason          string
	RequestedBy     int64
	RequestedByName string
	RequestedAt     time.Time
	Outcome         string // "" while waiting, "approved", "rejected"
	ApprovedLevel   string
	AdminName       string
	ApprovalNumber  string
	Note            string
	DecidedByName   string
	DecidedAt       *time.Time
}

// ReviewResult is the outcome of a review.
type ReviewResult string

const (
	ReviewContinue ReviewResult = "continue" // 継続利用
	ReviewImprove  ReviewResult = "improve"  // 改善の上で継続
	ReviewEnd      ReviewResult = "end"      // 利用終了へ
)

// ReviewResults lists the results in the order forms offer them.
var ReviewResults = []ReviewResult{ReviewContinue, ReviewImprove, ReviewEnd}

// Valid reports whether r is one of the results.
func (r ReviewResult) Valid() bool { return slices.Contains(ReviewResults, r) }

// ExternalServiceReview is one review (見直し) of a service.
type ExternalServiceReview struct {
	ID             int64        `json:"id"`
	ReviewedOn     time.Time    `json:"reviewed_on"`
	ReviewedByName string       `json:"reviewed_by"`
	Result         ReviewResult `json:"result"`
	Note           string       `json:"note"`
	NextDue        *time.Time   `json:"next_due"`
}

// ExternalServiceReviewInput is the review form. It sets the next review's day, a year after the
// review when none is given: a service to be ended is still reviewed until its end is recorded.
type ExternalServiceReviewInput struct {
	ReviewedOn *time.Time
	Result     ReviewResult
	Note       string
	NextDue    *time.Time
	Version    int
	Today      time.Time // nothing is reviewed in the future (zero skips that check)
}

// Normalize trims the note and fills in the default next review.
func (in *ExternalServiceReviewInput) Normalize() {
	in.Note = strings.TrimSpace(in.Note)
	if in.NextDue == nil && in.ReviewedOn != nil {
		next := Day(*in.ReviewedOn).AddDate(1, 0, 0)
		in.NextDue = &next
	}
}

// Validate checks the review; the keys name catalogue messages.
func (in ExternalServiceReviewInput) Validate() FieldErrors {
	fe := FieldErrors{}
	fe.Check(in.ReviewedOn != nil, "reviewed_on", "validation.required")
	fe.Check(in.ReviewedOn == nil || in.Today.IsZero() || !Day(*in.ReviewedOn).After(Day(in.Today)), "reviewed_on", "external_service.error.future")
	fe.Check(in.Result.Valid(), "result", "validation.choose")
	fe.Check(in.Result != ReviewImprove || in.Note != "", "note", "external_service.error.improve_note")
	fe.Check(utf8.RuneCountInString(in.Note) <= 2000, "note", "validation.too_long")
	fe.Check(in.NextDue == nil || in.ReviewedOn == nil || in.NextDue.After(*in.ReviewedOn), "next_due", "external_service.error.next_due")
	return fe
}

// ExternalServiceEndInput ends the use of a service (its last day) and, then or later, records the
// deletion of the town's data at the provider: the day confirmed and how (消去証明書 etc.).
type ExternalServiceEndInput struct {
	UseTo          *time.Time
	DeletedOn      *time.Time
	DeletionMethod string
	Version        int
}

// Normalize trims the method.
func (in *ExternalServiceEndInput) Normalize() {
	in.DeletionMethod = strings.TrimSpace(in.DeletionMethod)
}

// Validate checks the end; the keys name catalogue messages.
func (in ExternalServiceEndInput) Validate() FieldErrors {
	fe := FieldErrors{}
	fe.Check(in.UseTo != nil, "use_to", "validation.required")
	fe.Check(in.DeletedOn == nil || in.DeletionMethod != "", "deletion_method", "external_service.error.deletion_method")
	fe.Check(in.DeletedOn != nil || in.DeletionMethod == "", "deleted_on", "external_service.error.deleted_on")
	fe.Check(utf8.RuneCountInString(in.DeletionMethod) <= 1000, "deletion_method", "validation.too_long")
	return fe
}

// ExternalServiceFilter selects services of the list. Attention keeps those that need action (要対
// 応): a decision waiting, a review overdue or due within ReviewSoonDays, an end without the
// deletion of the data confirmed. ISMAP is "yes", "no" or "" for either.
type ExternalServiceFilter struct {
	UnitID    int64
	Status    ExternalServiceStatus
	Level     string // the level approved, or asked for while none is
	ISMAP     string
	Attention bool
	Before    int64 // keyset: only services with an id below this one
	Limit     int
}
