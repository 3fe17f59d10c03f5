package isms

import (
	"strings"
	"time"
	"unicode/utf8"
)

// The staff's confirmation of the basic policy (情報セキュリティ基本方針の誓約・確認): each person
// in service confirms that they have read the version in force and will follow it. Confirmations
// belong to a version, so a new version asks everyone again.

// PolicyVersionInput is the form of a new version of the basic policy.
type PolicyVersionInput struct {
	Title        string
	VersionLabel string // e.g. 令和8年4月1日改定
	EffectiveOn  *time.Time
	Summary      string // what changed, for the reader
	DocumentURL  string // the policy itself, on the town's site or file server
}

// Normalize trims what people paste with stray spaces.
func (in *PolicyVersionInput) Normalize() {
	for _, s := range []*string{&in.Title, &in.VersionLabel, &in.Summary, &in.DocumentURL} {
		*s = strings.TrimSpace(*s)
	}
}

// Validate checks the form; the keys name catalogue messages.
func (in PolicyVersionInput) Validate() FieldErrors {
	fe := FieldErrors{}
	fe.Check(in.Title != "", "title", "validation.required")
	fe.Check(utf8.RuneCountInString(in.Title) <= 100, "title", "validation.too_long")
	fe.Check(in.VersionLabel != "", "version_label", "validation.required")
	fe.Check(utf8.RuneCountInString(in.VersionLabel) <= 100, "version_label", "validation.too_long")
	fe.Check(in.EffectiveOn != nil, "effective_on", "validation.required")
	fe.Check(utf8.RuneCountInString(in.Summary) <= 4000, "summary", "policy.error.summary_long")
	// The link is shown to every reader: only web addresses, never javascript: and the like.
	fe.Check(in.DocumentURL == "" || strings.HasPrefix(in.DocumentURL, "https://") || strings.HasPrefix(in.DocumentURL, "http://"),
		"document_url", "policy.error.url")
	fe.Check(utf8.RuneCountInString(in.DocumentURL) <= 500, "document_url", "policy.error.url")
	return fe
}

// PolicyAcknowledgement is where the signed-in person stands with the version in force.
type PolicyAcknowledgement struct {
	Version        PolicyVersion // the version in force
	PersonID       int64         // 0: the account is linked to no person in service, who cannot confirm
	AcknowledgedAt *time.Time    // nil: not confirmed yet
}

// Due reports whether the person still has to confirm the version in force.
func (a PolicyAcknowledgement) Due() bool { return a.PersonID != 0 && a.AcknowledgedAt == nil }

// PolicyStatus is how far the people in service on Day have confirmed a version, per unit.
type PolicyStatus struct {
	Version PolicyVersion
	Day     time.Time
	Units   []PolicyUnitStatus // in the order of the unit tree
}

// PolicyUnitStatus is the confirmation of one unit: the people posted to it on the day, how
// many of them confirmed, and who has not.
type PolicyUnitStatus struct {
	UnitID       int64
	UnitCode     string
	UnitName     string
	InService    int
	Acknowledged int
	Pending      []PolicyPendingPerson // in reading order
}

// PolicyPendingPerson is someone who has not confirmed the version yet.
type PolicyPendingPerson struct {
	PersonID   int64
	Name       string
	EmployeeNo string
}

// Totals are the counts of all units together.
func (s PolicyStatus) Totals() (inService, acknowledged int) {
	for _, u := range s.Units {
		inService += u.InService
		acknowledged += u.Acknowledged
	}
	return inService, acknowledged
}
