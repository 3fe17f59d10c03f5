package isms

import (
	"fmt"
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

	AppliedBy string `json:"-"` // the name of who applied it
	LineCount int    `json:"-"` // in lists, which carry no lines
}

// RotationLineKind is what one line of a rotation does.
type RotationLineKind string

const (
	LineMove      RotationLineKind = "move"       // post the person to UnitID
	LineEndRole   RotationLineKind = "end_role"   // end AssignmentID the day before
	LineStartRole RotationLineKind = "start_role" // give the person RoleCode for UnitID
)

// RotationLine is one move or hand-over of a rotation. For an end_role line, UnitID and RoleCode
// are those of the assignment it ends.
type RotationLine struct {
	ID           int64            `json:"id"`
	No           int              `json:"no"` // its number on the sheet: moves first, then hand-overs, each in the order entered
	Kind         RotationLineKind `json:"kind"`
	PersonID     int64            `json:"person_id"`
	UnitID       int64            `json:"unit_id"`
	RoleCode     SecurityRoleCode `json:"role_code"`
	AssignmentID int64            `json:"assignment_id"`
	Acting       bool             `json:"acting"`
	Note         string           `json:"note"`

	PersonName   string       `json:"-"`
	UnitName     string       `json:"-"`
	FromUnitName string       `json:"-"` // a move's unit the day before
	Role         SecurityRole `json:"-"`
}

// Validate checks what a line needs before the organisation is looked at: a move a person and a
// unit, an end_role the assignment, a start_role a person and a role. The keys name catalogue
// messages; the fields are those of the line forms.
func (l RotationLine) Validate() FieldErrors {
	fe := FieldErrors{}
	switch l.Kind {
	case LineMove:
		fe.Check(l.PersonID != 0, "person_id", "validation.choose")
		fe.Check(l.UnitID != 0, "unit_id", "validation.choose")
	case LineEndRole:
		fe.Check(l.AssignmentID != 0, "assignment_id", "validation.choose")
	case LineStartRole:
		fe.Check(l.PersonID != 0, "person_id", "validation.choose")
		fe.Check(l.RoleCode != "", "role_code", "validation.choose")
	default:
		fe.Check(false, "kind", "validation.choose")
	}
	fe.Check(utf8.RuneCountInString(l.Note) <= 100, "note", "validation.too_long")
	return fe
}

// RotationLineError is what stops one line of a rotation: No is the line's number on the sheet (0
// for the rotation as a whole), Key a catalogue message.
type RotationLineError struct {
	No     int
	LineID int64
	Key    string
}

// RotationError lists every line that stops a rotation from being applied. Nothing is applied
// while there is one.
type RotationError struct {
	Lines []RotationLineError
}

func (e *RotationError) Error() string {
	return fmt.Sprintf("isms invalid: %d lines of the rotation cannot be applied", len(e.Lines))
}

// Unwrap makes ErrorCode report EINVALID.
func (e *RotationError) Unwrap() error {
	return &Error{Code: EINVALID, Message: "the rotation cannot be applied"}
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
