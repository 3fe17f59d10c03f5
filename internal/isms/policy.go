package isms

import "time"

// The staff's confirmation of the basic policy (情報セキュリティ基本方針の誓約・確認): each person
// in service confirms that they have read the version in force and will follow it. Confirmations
// belong to a version, so a new version asks everyone again. The versions are the published
// versions of the library's documents that staff must acknowledge (policy_document.go).

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
