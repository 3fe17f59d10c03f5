package isms

import (
	"strings"
	"time"
	"unicode/utf8"
)

// SecurityRoleCode names one of the guideline's security roles (domain.md §2.1). The codes are
// fixed because the portal's rules refer to them; the names are master data the town edits.
type SecurityRoleCode string

// The roles the portal's rules refer to by code.
const (
	RoleCodeCISO        SecurityRoleCode = "CISO"        // 最高情報セキュリティ責任者
	RoleCodeDeputyCISO  SecurityRoleCode = "DEPUTY_CISO" // 統括情報セキュリティ責任者
	RoleCodeISO         SecurityRoleCode = "ISO_DEPT"    // 情報セキュリティ責任者 (部局)
	RoleCodeISM         SecurityRoleCode = "ISM_SECTION" // 情報セキュリティ管理者 (課)
	RoleCodeCommittee   SecurityRoleCode = "COMMITTEE_MEMBER"
	RoleCodeAuditor     SecurityRoleCode = "AUDITOR"      // 情報セキュリティ監査人
	RoleCodeCSIRTLead   SecurityRoleCode = "CSIRT_LEAD"   // CSIRT責任者
	RoleCodeCSIRTMember SecurityRoleCode = "CSIRT_MEMBER" // CSIRT要員
	RoleCodeSPOC        SecurityRoleCode = "SPOC"         // 情報セキュリティに関する統一的な窓口
)

// RoleGrant is what holding a role lets a person see.
type RoleGrant string

const (
	GrantNone    RoleGrant = "none"    // nothing beyond their own unit
	GrantUnit    RoleGrant = "unit"    // the unit the role is held for
	GrantSubtree RoleGrant = "subtree" // that unit and every unit under it (a 課 and its 係, a 部局)
	GrantAll     RoleGrant = "all"     // every unit
)

// SecurityRole is a role of the guideline with the town's names for it. PerUnit roles are held
// for a unit (a 課's 管理者); the others for the whole town (the CISO).
type SecurityRole struct {
	Code      SecurityRoleCode `json:"code"`
	NameJa    string           `json:"name_ja"`
	NameEn    string           `json:"name_en"`
	PerUnit   bool             `json:"per_unit"`
	Grants    RoleGrant        `json:"grants"`
	SortOrder int              `json:"sort_order"`
	Version   int              `json:"version"`
}

// Name is the role's name in lang.
func (r SecurityRole) Name(lang string) string {
	if lang == "en" {
		return r.NameEn
	}
	return r.NameJa
}

// SecurityRoleNames is the town's wording of a role, edited by the security office.
type SecurityRoleNames struct {
	NameJa, NameEn string
	Version        int
}

// Validate checks the names; the keys name catalogue messages.
func (in SecurityRoleNames) Validate() FieldErrors {
	fe := FieldErrors{}
	fe.Check(strings.TrimSpace(in.NameJa) != "", "name_ja", "validation.required")
	fe.Check(utf8.RuneCountInString(in.NameJa) <= 60, "name_ja", "validation.too_long")
	fe.Check(strings.TrimSpace(in.NameEn) != "", "name_en", "validation.required")
	fe.Check(utf8.RuneCountInString(in.NameEn) <= 100, "name_en", "validation.too_long")
	return fe
}

// Assignment is a person holding a security role for a unit (UnitID 0: the whole town) over a
// period. Acting marks a 代理. Assignments end; they are not deleted, so the record of who was
// responsible when stays.
type Assignment struct {
	ID       int64            `json:"id"`
	PersonID int64            `json:"person_id"`
	RoleCode SecurityRoleCode `json:"role_code"`
	UnitID   int64            `json:"unit_id"`
	Period
	Acting  bool   `json:"acting"`
	Note    string `json:"note"`
	Version int    `json:"version"`

	PersonName string       `json:"-"`
	UnitName   string       `json:"-"`
	Role       SecurityRole `json:"-"`
	Phone      string       `json:"-"` // of the person, for the emergency contact list
	Email      string       `json:"-"`
}

// AssignmentInput is what the security office types when assigning a role or editing an assignment.
type AssignmentInput struct {
	PersonID  int64
	RoleCode  SecurityRoleCode
	UnitID    int64
	ValidFrom *time.Time
	ValidTo   *time.Time
	Acting    bool
	Note      string
	Version   int
}

// Validate checks the input against the role it names; the keys name catalogue messages.
func (in AssignmentInput) Validate(role SecurityRole, roleFound bool) FieldErrors {
	fe := FieldErrors{}
	fe.Check(in.PersonID != 0, "person_id", "validation.choose")
	fe.Check(roleFound, "role_code", "validation.choose")
	if roleFound {
		fe.Check(!role.PerUnit || in.UnitID != 0, "unit_id", "assignment.error.unit_required")
		fe.Check(role.PerUnit || in.UnitID == 0, "unit_id", "assignment.error.town_role")
	}
	fe.Check(in.ValidFrom != nil, "valid_from", "validation.required")
	fe.Check(in.ValidFrom == nil || in.ValidTo == nil || !in.ValidTo.Before(*in.ValidFrom), "valid_to", "validation.period")
	fe.Check(utf8.RuneCountInString(in.Note) <= 500, "note", "validation.too_long")
	return fe
}

// WarningKind names a gap in the organisation that the pages point out (not a hard block: a
// town may be between appointments). Messages are in the catalogue ("warning.<kind>").
type WarningKind string

const (
	WarnNoCISO        WarningKind = "no_ciso"         // nobody holds the CISO role
	WarnNoDeputy      WarningKind = "no_deputy"       // nobody holds the 統括 role
	WarnNoManager     WarningKind = "no_manager"      // an in-scope 課 without 情報セキュリティ管理者
	WarnAuditsOwnUnit WarningKind = "audits_own_unit" // a 管理者 is also the auditor of the same unit
)

// Warning is one gap, with the unit and person it concerns when there are such.
type Warning struct {
	Kind       WarningKind
	UnitID     int64
	UnitName   string
	PersonID   int64
	PersonName string
}

// AssignmentFilter selects assignments. A zero Day means any time; the other fields, when not
// zero, narrow to one unit, person or role.
type AssignmentFilter struct {
	Day      time.Time
	UnitID   int64
	PersonID int64
	RoleCode SecurityRoleCode
}
