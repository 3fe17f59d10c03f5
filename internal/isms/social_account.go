package isms

import (
	"slices"
	"strings"
	"time"
	"unicode/utf8"
)

// Social media accounts (ソーシャルメディアサービス, basic policy §6(8), domain.md §7.4). Each account
// the town runs has an operating unit (運用課), exactly one responsible person at a time (サービス
// 責任者), an operating procedure, rules on what may be posted (機密性2以上 never), and what to do
// when it is taken over. Against impersonation the town's own site lists it and its profile names
// the unit; an account is never public without that listing. Its opening is asked for by staff and
// approved by the unit's 情報セキュリティ管理者 or the security office, never by the person who
// asked (兼務の禁止, domain.md §2.3). It is checked every few months.

// SocialPlatform is the service an account is on.
type SocialPlatform string

const (
	PlatformX         SocialPlatform = "x"
	PlatformFacebook  SocialPlatform = "facebook"
	PlatformInstagram SocialPlatform = "instagram"
	PlatformLINE      SocialPlatform = "line"
	PlatformYouTube   SocialPlatform = "youtube"
	PlatformOther     SocialPlatform = "other" // named in PlatformName
)

// SocialPlatforms lists the services in the order forms show them.
var SocialPlatforms = []SocialPlatform{PlatformX, PlatformFacebook, PlatformInstagram, PlatformLINE, PlatformYouTube, PlatformOther}

// Valid reports whether p is one of the services.
func (p SocialPlatform) Valid() bool { return slices.Contains(SocialPlatforms, p) }

// SocialAccountStatus is where an account is in its life.
type SocialAccountStatus string

const (
	SocialPreparing SocialAccountStatus = "preparing" // 開設準備
	SocialPublic    SocialAccountStatus = "public"    // 公開
	SocialSuspended SocialAccountStatus = "suspended" // 休止
	SocialClosed    SocialAccountStatus = "closed"    // 廃止 (final)
)

// SocialAccountStatuses lists the statuses in their order.
var SocialAccountStatuses = []SocialAccountStatus{SocialPreparing, SocialPublic, SocialSuspended, SocialClosed}

// Valid reports whether s is one of the statuses.
func (s SocialAccountStatus) Valid() bool { return slices.Contains(SocialAccountStatuses, s) }

// InUse reports whether an account in status s exists on its service and so must be checked: a
// suspended account can still be taken over.
func (s SocialAccountStatus) InUse() bool { return s == SocialPublic || s == SocialSuspended }

// RoleCodeSNSOwner is the security role a サービス責任者 holds for the account's unit; naming an
// owner starts it.
const RoleCodeSNSOwner SecurityRoleCode = "SNS_OWNER"

// SocialCheckSoonDays is how far ahead a check falls due before it becomes a task.
const SocialCheckSoonDays = 14

// SocialAccount is one account of the register.
type SocialAccount struct {
	ID                  int64               `json:"id"`
	Number              string              `json:"number"` // M-00001
	Platform            SocialPlatform      `json:"platform"`
	PlatformName        string              `json:"platform_name"`
	AccountName         string              `json:"account_name"`
	URL                 string              `json:"url"`
	UnitID              int64               `json:"unit_id"`
	Status              SocialAccountStatus `json:"status"`
	OfficialListingURL  string              `json:"official_listing_url"`
	ProfileStatesUnit   bool                `json:"profile_states_unit"`
	MFAEnabled          bool                `json:"mfa_enabled"`
	MFAMethod           string              `json:"mfa_method"`
	CredentialStorage   string              `json:"credential_storage"`
	OperatingProcedure  string              `json:"operating_procedure"`
	PostingRules        string              `json:"posting_rules"`
	TakeoverProcedure   string              `json:"takeover_procedure"`
	RequestedOn         *time.Time          `json:"requested_on"`
	RequestedBy         int64               `json:"requested_by"`
	ApprovedOn          *time.Time          `json:"approved_on"`
	ApprovedBy          int64               `json:"approved_by"`
	OpenedOn            *time.Time          `json:"opened_on"`
	CheckIntervalMonths int                 `json:"check_interval_months"`
	LastCheckedOn       *time.Time          `json:"last_checked_on"`
	Owner               SocialAccountOwner  `json:"owner"` // the サービス責任者 now
	Operators           []SocialPerson      `json:"operators"`
	Version             int                 `json:"version"`

	CreatedOn       time.Time            `json:"-"` // the day it was registered (Japan)
	UnitName        string               `json:"-"`
	RequestedByName string               `json:"-"`
	ApprovedByName  string               `json:"-"`
	Owners          []SocialAccountOwner `json:"-"` // the history, newest first (on its page)
	Checks          []SocialAccountCheck `json:"-"` // newest first (on its page)
}

// SocialPerson is a person named on an account.
type SocialPerson struct {
	PersonID int64  `json:"person_id"`
	Name     string `json:"name"`
}

// SocialAccountOwner is a サービス責任者 of an account over a period.
type SocialAccountOwner struct {
	SocialPerson
	Period
	UserID        int64  `json:"-"` // the person's portal account, 0 if none
	ChangedByName string `json:"-"`
}

// PlatformLabel is the service's name for pages: the name typed for "other", else "" (the
// catalogue names the others).
func (a SocialAccount) PlatformLabel() string {
	if a.Platform == PlatformOther {
		return a.PlatformName
	}
	return ""
}

// CheckDue is the day the next check is due, nil for an account not in use: the interval after
// the last check, else after the opening, else after the registration.
func (a SocialAccount) CheckDue() *time.Time {
	if !a.Status.InUse() {
		return nil
	}
	base := a.CreatedOn
	switch {
	case a.LastCheckedOn != nil:
		base = *a.LastCheckedOn
	case a.OpenedOn != nil:
		base = *a.OpenedOn
	}
	due := base.AddDate(0, a.CheckIntervalMonths, 0)
	return &due
}

// WaitingApproval reports whether the opening was asked for and is not yet approved.
func (a SocialAccount) WaitingApproval() bool {
	return a.Status == SocialPreparing && a.RequestedOn != nil && a.ApprovedOn == nil
}

// Issues are what needs action on the account on today (要対応), as catalogue key suffixes
// ("social_account.issue.<issue>"): the stores' filter asks the same in SQL.
func (a SocialAccount) Issues(today time.Time) []string {
	if a.Status == SocialClosed {
		return nil
	}
	var out []string
	if due := a.CheckDue(); due != nil && due.Before(Day(today)) {
		out = append(out, "check_overdue")
	}
	if !a.MFAEnabled {
		out = append(out, "no_mfa")
	}
	if a.Status == SocialPublic && !a.ProfileStatesUnit {
		out = append(out, "profile")
	}
	if a.OperatingProcedure == "" || a.PostingRules == "" || a.TakeoverProcedure == "" {
		out = append(out, "procedures")
	}
	if a.WaitingApproval() {
		out = append(out, "approval")
	}
	return out
}

// ReadsSocialAccount reports whether the actor reads the accounts of unit: those who see the unit
// or manage it; the security office, the CISO and auditors see every unit.
func ReadsSocialAccount(a Actor, unit int64) bool { return a.Sees(unit) || a.Manages(unit) }

// RegistersSocialAccounts reports whether the actor registers accounts at all: staff for the units
// they see, the security office for every unit.
func RegistersSocialAccounts(a Actor) bool {
	return a.Can(PermEditAllRegisters) || (a.Role == RoleStaff && a.SignedIn())
}

// CanApproveOpening reports whether the actor approves openings of unit: its 管理者 or the
// security office. The store refuses the person who asked for the opening as well.
func CanApproveOpening(a Actor, unit int64) bool {
	return a.Manages(unit) || a.Can(PermEditAllRegisters)
}

// CanRecordCheck reports whether the actor records the account's checks: its owner, the unit's
// 管理者 or the security office.
func (a SocialAccount) CanRecordCheck(actor Actor) bool {
	return (actor.SignedIn() && a.Owner.UserID == actor.UserID) || actor.Manages(a.UnitID) || actor.Can(PermEditAllRegisters)
}

// SocialAccountInput is the account form. OwnerID is read when registering only: a later change
// of owner has its own form, which keeps the history.
type SocialAccountInput struct {
	Platform            SocialPlatform
	PlatformName        string
	AccountName         string
	URL                 string
	UnitID              int64
	OfficialListingURL  string
	ProfileStatesUnit   bool
	MFAEnabled          bool
	MFAMethod           string
	CredentialStorage   string
	OperatingProcedure  string
	PostingRules        string
	TakeoverProcedure   string
	CheckIntervalMonths int
	OwnerID             int64
	OperatorIDs         []int64
	Version             int
}

// Normalize trims the text, keeps the service's name only for "other" and the MFA method only
// when MFA is on, and drops repeated operators.
func (in *SocialAccountInput) Normalize() {
	for _, s := range []*string{&in.PlatformName, &in.AccountName, &in.URL, &in.OfficialListingURL, &in.MFAMethod,
		&in.CredentialStorage, &in.OperatingProcedure, &in.PostingRules, &in.TakeoverProcedure} {
		*s = strings.TrimSpace(*s)
	}
	if in.Platform != PlatformOther {
		in.PlatformName = ""
	}
	if !in.MFAEnabled {
		in.MFAMethod = ""
	}
	in.OperatorIDs = uniqueIDs(in.OperatorIDs)
}

// webURL reports whether s is empty or an http(s) address.
func webURL(s string) bool {
	return s == "" || strings.HasPrefix(s, "https://") || strings.HasPrefix(s, "http://")
}

// Validate checks the form; the keys name catalogue messages. creating asks for the owner, whom
// an account always has; status is the account's (preparing for a new one), since a public
// account keeps its listing.
func (in SocialAccountInput) Validate(creating bool, status SocialAccountStatus) FieldErrors {
	fe := FieldErrors{}
	fe.Check(in.Platform.Valid(), "platform", "validation.choose")
	fe.Check(in.Platform != PlatformOther || in.PlatformName != "", "platform_name", "social_account.error.platform_name")
	fe.Check(utf8.RuneCountInString(in.PlatformName) <= 100, "platform_name", "validation.too_long")
	fe.Check(in.AccountName != "", "account_name", "validation.required")
	fe.Check(utf8.RuneCountInString(in.AccountName) <= 200, "account_name", "validation.too_long")
	fe.Check(webURL(in.URL), "url", "social_account.error.url")
	fe.Check(len(in.URL) <= 2000, "url", "validation.too_long")
	fe.Check(in.UnitID != 0, "unit_id", "validation.choose")
	fe.Check(webURL(in.OfficialListingURL), "official_listing_url", "social_account.error.url")
	fe.Check(len(in.OfficialListingURL) <= 2000, "official_listing_url", "validation.too_long")
	fe.Check(status != SocialPublic || in.OfficialListingURL != "", "official_listing_url", "social_account.error.listing_public")
	fe.Check(!in.MFAEnabled || in.MFAMethod != "", "mfa_method", "social_account.error.mfa_method")
	fe.Check(utf8.RuneCountInString(in.MFAMethod) <= 200, "mfa_method", "validation.too_long")
	for name, s := range map[string]string{"credential_storage": in.CredentialStorage, "operating_procedure": in.OperatingProcedure,
		"posting_rules": in.PostingRules, "takeover_procedure": in.TakeoverProcedure} {
		fe.Check(utf8.RuneCountInString(s) <= 10000, name, "validation.too_long")
	}
	fe.Check(in.CheckIntervalMonths >= 1 && in.CheckIntervalMonths <= 24, "check_interval_months", "social_account.error.interval")
	fe.Check(!creating || in.OwnerID != 0, "owner_id", "social_account.error.owner_required")
	return fe
}

// CheckStatusChange checks a move of the account to status to; the errors sit beside the status
// field. 公開 needs the listing on the town's site (なりすまし対策) and the approved opening; 廃止
// is final.
func (a SocialAccount) CheckStatusChange(to SocialAccountStatus) FieldErrors {
	fe := FieldErrors{}
	fe.Check(to.Valid(), "status", "validation.choose")
	fe.Check(a.Status != SocialClosed, "status", "social_account.error.closed")
	fe.Check(to != a.Status, "status", "social_account.error.same_status")
	if to == SocialPublic {
		fe.Check(a.OfficialListingURL != "", "status", "social_account.error.listing_required")
		fe.Check(a.ApprovedOn != nil, "status", "social_account.error.not_approved")
	}
	return fe
}

// SocialOwnerInput is the change of owner: who takes over, and from which day.
type SocialOwnerInput struct {
	PersonID int64
	From     *time.Time
	Version  int // the account's, as the page showed it
}

// Validate checks the change against the current owner, on or before today: a new person, from a
// day the current owner already held the account.
func (in SocialOwnerInput) Validate(current SocialAccountOwner, today time.Time) FieldErrors {
	fe := FieldErrors{}
	fe.Check(in.PersonID != 0, "person_id", "validation.choose")
	fe.Check(in.PersonID == 0 || in.PersonID != current.PersonID, "person_id", "social_account.error.owner_same")
	fe.Check(in.From != nil, "valid_from", "validation.required")
	fe.Check(in.From == nil || !in.From.Before(current.From), "valid_from", "social_account.error.owner_from")
	fe.Check(in.From == nil || !in.From.After(Day(today)), "valid_from", "social_account.error.future")
	return fe
}

// SocialCheckResult is the outcome of a check.
type SocialCheckResult string

const (
	SocialCheckOK     SocialCheckResult = "ok"     // 異常なし
	SocialCheckIssues SocialCheckResult = "issues" // 要対応
)

// SocialAccountCheck is a periodic check of an account (定期点検).
type SocialAccountCheck struct {
	ID                int64             `json:"id"`
	CheckedOn         time.Time         `json:"checked_on"`
	ListingLive       bool              `json:"listing_live"`
	ProfileShowsUnit  bool              `json:"profile_shows_unit"`
	MFAOn             bool              `json:"mfa_on"`
	NoConfidential    bool              `json:"no_confidential"`
	NoUnknownSessions bool              `json:"no_unknown_sessions"`
	Result            SocialCheckResult `json:"result"`
	Note              string            `json:"note"`
	CheckedByName     string            `json:"-"`
}

// SocialCheckItems are the items a check confirms, as catalogue key suffixes
// ("social_account.check.<item>"), in the order the form asks them.
var SocialCheckItems = []string{"listing_live", "profile_shows_unit", "mfa_on", "no_confidential", "no_unknown_sessions"}

// Confirmed is the check's answers by item, in the order of SocialCheckItems.
func (c SocialAccountCheck) Confirmed() []bool {
	return []bool{c.ListingLive, c.ProfileShowsUnit, c.MFAOn, c.NoConfidential, c.NoUnknownSessions}
}

// SocialCheckInput is the check form.
type SocialCheckInput struct {
	CheckedOn *time.Time
	Items     map[string]bool // by SocialCheckItems
	Note      string
}

// Check is the record the form makes: 異常なし when every item was confirmed.
func (in SocialCheckInput) Check() SocialAccountCheck {
	c := SocialAccountCheck{ListingLive: in.Items["listing_live"], ProfileShowsUnit: in.Items["profile_shows_unit"],
		MFAOn: in.Items["mfa_on"], NoConfidential: in.Items["no_confidential"], NoUnknownSessions: in.Items["no_unknown_sessions"],
		Result: SocialCheckOK, Note: strings.TrimSpace(in.Note)}
	if in.CheckedOn != nil {
		c.CheckedOn = *in.CheckedOn
	}
	if slices.Contains(c.Confirmed(), false) {
		c.Result = SocialCheckIssues
	}
	return c
}

// Validate checks the form on today: a day not in the future, and a note saying what was wrong
// when an item could not be confirmed.
func (in SocialCheckInput) Validate(today time.Time) FieldErrors {
	fe := FieldErrors{}
	c := in.Check()
	fe.Check(in.CheckedOn != nil, "checked_on", "validation.required")
	fe.Check(in.CheckedOn == nil || !in.CheckedOn.After(Day(today)), "checked_on", "social_account.error.future")
	fe.Check(c.Result == SocialCheckOK || c.Note != "", "note", "social_account.error.check_note")
	fe.Check(utf8.RuneCountInString(c.Note) <= 4000, "note", "validation.too_long")
	return fe
}

// SocialAccountFilter selects accounts for the list; zero fields do not narrow. Pages go newest
// first and continue below Before (an account id).
type SocialAccountFilter struct {
	UnitID    int64
	Platform  SocialPlatform
	Status    SocialAccountStatus
	Attention bool // 要対応: some Issues on Day
	Query     string
	Day       time.Time
	Before    int64
	Limit     int
}
