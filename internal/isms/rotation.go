package isms

import (
	"strings"
	"time"
	"unicode/utf8"
)

// RotationStatus is where a rotation stands: a draft is prepared and changed freely; applied is
// final, and its moves are in the organisation's history.
type RotationStatus string

const (
	RotationDraft   RotationStatus = "draft"
	RotationApplied RotationStatus = "applied"
)

// Rotation is a personnel rotation (人事異動): the moves and role hand-overs of one date, prepared
// line by line and applied at once. Applying ends the old postings and assignments the day before
// EffectiveDate and starts the new ones on it.
type Rotation struct {
	ID            int64          `json:"id"`
	Title         string         `json:"title"`
	EffectiveDate time.Time      `json:"effective_date"`
	Status        RotationStatus `json:"status"`
	AppliedAt     *time.Time     `json:"applied_at"`
	Version       int            `json:"version"`
	Lines         []RotationLine `json:"lines"`
}

// RotationLineKind is what one line of a rotation does.
type RotationLineKind string

const (
	LineMove      RotationLineKind = "move"       // post the person to UnitID
	LineEndRole   RotationLineKind = "end_role"   // end AssignmentID the day before
	LineStartRole RotationLineKind = "start_role" // give the person RoleCode for UnitID
)

// RotationLine is one move or hand-over of a rotation.
type RotationLine struct {
	ID           int64            `json:"id"`
	Kind         RotationLineKind `json:"kind"`
	PersonID     int64            `json:"person_id"`
	UnitID       int64            `json:"unit_id"`
	RoleCode     SecurityRoleCode `json:"role_code"`
	AssignmentID int64            `json:"assignment_id"`
	Acting       bool             `json:"acting"`
	Note         string           `json:"note"`

	PersonName string `json:"-"`
	UnitName   string `json:"-"`
	RoleName   string `json:"-"`
}

// RotationInput is the heading of a rotation.
type RotationInput struct {
	Title         string
	EffectiveDate *time.Time
	Version       int
}

// Validate checks the heading; the keys name catalogue messages.
func (in RotationInput) Validate() FieldErrors {
	fe := FieldErrors{}
	fe.Check(strings.TrimSpace(in.Title) != "", "title", "validation.required")
	fe.Check(utf8.RuneCountInString(in.Title) <= 100, "title", "validation.too_long")
	fe.Check(in.EffectiveDate != nil, "effective_date", "validation.required")
	return fe
}
