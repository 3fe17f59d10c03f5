package isms

import (
	"slices"
	"strings"
	"time"
	"unicode/utf8"
)

// UnitType is the kind of an organisation unit. Display names are in the catalogue ("unit_type.<code>").
type UnitType string

const (
	UnitExecutive   UnitType = "executive"   // 町長部局
	UnitDepartment  UnitType = "department"  // 部局
	UnitSection     UnitType = "section"     // 課・室
	UnitTeam        UnitType = "team"        // 係・担当
	UnitCommittee   UnitType = "committee"   // 委員会・委員 (教育委員会, 選挙管理委員会, 監査委員 …)
	UnitAssembly    UnitType = "assembly"    // 議会
	UnitSecretariat UnitType = "secretariat" // 事務局
	UnitBranch      UnitType = "branch"      // 出先機関
	UnitEnterprise  UnitType = "enterprise"  // 地方公営企業
	UnitSchool      UnitType = "school"      // 学校
)

// UnitTypes lists the types in the order forms show them.
var UnitTypes = []UnitType{UnitExecutive, UnitDepartment, UnitSection, UnitTeam, UnitCommittee,
	UnitAssembly, UnitSecretariat, UnitBranch, UnitEnterprise, UnitSchool}

// Valid reports whether t is one of the unit types.
func (t UnitType) Valid() bool { return slices.Contains(UnitTypes, t) }

// NeedsManager reports whether an in-scope unit of this type should have an 情報セキュリティ管理者:
// the 課・室 level, where the guideline places the manager of the section's assets.
func (t UnitType) NeedsManager() bool {
	switch t {
	case UnitSection, UnitSecretariat, UnitBranch, UnitEnterprise:
		return true
	}
	return false
}

// Unit is an organisation unit (部局, 課, 係, 委員会 …) that owns records. Every register of the
// portal hangs from units, and a person's scope is a set of them. A unit closed by a
// reorganisation keeps its records, which its successor's people then see.
type Unit struct {
	ID          int64    `json:"id"`
	Code        string   `json:"code"`
	Name        string   `json:"name"`
	NameKana    string   `json:"name_kana"`
	Type        UnitType `json:"unit_type"`
	ParentID    int64    `json:"parent_id"`
	InScope     bool     `json:"in_scope"`
	Period               // when the unit exists
	SuccessorID int64    `json:"successor_id"`
	Version     int      `json:"version"`

	ParentName    string `json:"-"`
	SuccessorName string `json:"-"`
}

// UnitInput is what the security office types when creating or editing a unit.
type UnitInput struct {
	Code      string
	Name      string
	NameKana  string
	Type      UnitType
	ParentID  int64
	InScope   bool
	ValidFrom *time.Time
	Version   int // the version the form was loaded with (edits only)
}

// Normalize trims what people paste with stray spaces.
func (in *UnitInput) Normalize() {
	in.Code = strings.TrimSpace(in.Code)
	in.Name = strings.TrimSpace(in.Name)
	in.NameKana = strings.TrimSpace(in.NameKana)
}

// Validate checks the input; the keys name catalogue messages.
func (in UnitInput) Validate() FieldErrors {
	fe := FieldErrors{}
	fe.Check(in.Code != "", "code", "validation.required")
	fe.Check(utf8.RuneCountInString(in.Code) <= 20, "code", "validation.too_long")
	fe.Check(in.Name != "", "name", "validation.required")
	fe.Check(utf8.RuneCountInString(in.Name) <= 100, "name", "validation.too_long")
	fe.Check(utf8.RuneCountInString(in.NameKana) <= 100, "name_kana", "validation.too_long")
	fe.Check(isKana(in.NameKana), "name_kana", "user.error.kana")
	fe.Check(in.Type.Valid(), "unit_type", "validation.choose")
	fe.Check(in.ValidFrom != nil, "valid_from", "validation.required")
	return fe
}

// UnitClosure ends a unit on a day (the last day it exists), handing its records to a successor.
type UnitClosure struct {
	ValidTo     *time.Time
	SuccessorID int64
	Version     int
}

// UnitMember is a person posted to a unit, shown on its page.
type UnitMember struct {
	PersonID   int64
	Name       string
	NameKana   string
	Employment EmploymentType
}
