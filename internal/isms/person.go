package isms

import (
	"net/mail"
	"slices"
	"strings"
	"time"
	"unicode/utf8"
)

// EmploymentType is how a person works for the town. Display names are in the catalogue
// ("employment.<code>").
type EmploymentType string

const (
	EmploymentRegular    EmploymentType = "regular"     // 正規職員
	EmploymentFiscalYear EmploymentType = "fiscal_year" // 会計年度任用職員
	EmploymentTemporary  EmploymentType = "temporary"   // 臨時職員
	EmploymentContractor EmploymentType = "contractor"  // 委託先従事者
)

// EmploymentTypes lists the types in the order forms show them.
var EmploymentTypes = []EmploymentType{EmploymentRegular, EmploymentFiscalYear, EmploymentTemporary, EmploymentContractor}

// Valid reports whether e is one of the employment types.
func (e EmploymentType) Valid() bool { return slices.Contains(EmploymentTypes, e) }

// Person is one of the 職員等: anyone who handles the town's information. Training and security
// roles attach to people, whether or not they have a portal account.
type Person struct {
	ID         int64          `json:"id"`
	EmployeeNo string         `json:"employee_no"`
	Name       string         `json:"name"`
	NameKana   string         `json:"name_kana"`
	Employment EmploymentType `json:"employment_type"`
	Email      string         `json:"email"`
	Phone      string         `json:"phone"`
	Period                    // in service
	UserID     int64          `json:"user_id"` // the portal account, 0 if none
	Version    int            `json:"version"`

	UnitID   int64  `json:"-"` // the posting of the day asked about
	UnitName string `json:"-"`
	LoginID  string `json:"-"`
}

// PersonInput is what the security office types when registering or editing a person. UnitID is
// the first posting, for a new person; later moves are postings of their own.
type PersonInput struct {
	EmployeeNo string
	Name       string
	NameKana   string
	Employment EmploymentType
	Email      string
	Phone      string
	ValidFrom  *time.Time
	ValidTo    *time.Time
	UnitID     int64
	Version    int
}

// Normalize trims what people paste with stray spaces.
func (in *PersonInput) Normalize() {
	for _, s := range []*string{&in.EmployeeNo, &in.Name, &in.NameKana, &in.Email, &in.Phone} {
		*s = strings.TrimSpace(*s)
	}
}

// Validate checks the input; the keys name catalogue messages. creating says whether the first
// posting is required.
func (in PersonInput) Validate(creating bool) FieldErrors {
	fe := FieldErrors{}
	fe.Check(utf8.RuneCountInString(in.EmployeeNo) <= 20, "employee_no", "validation.too_long")
	fe.Check(in.Name != "", "name", "validation.required")
	fe.Check(utf8.RuneCountInString(in.Name) <= 100, "name", "validation.too_long")
	fe.Check(utf8.RuneCountInString(in.NameKana) <= 100, "name_kana", "validation.too_long")
	fe.Check(isKana(in.NameKana), "name_kana", "user.error.kana")
	fe.Check(in.Employment.Valid(), "employment_type", "validation.choose")
	if in.Email != "" {
		a, err := mail.ParseAddress(in.Email)
		fe.Check(err == nil && a.Address == in.Email, "email", "user.error.email")
	}
	fe.Check(validPhone(in.Phone), "phone", "person.error.phone")
	fe.Check(in.ValidFrom != nil, "valid_from", "validation.required")
	fe.Check(in.ValidFrom == nil || in.ValidTo == nil || !in.ValidTo.Before(*in.ValidFrom), "valid_to", "validation.period")
	fe.Check(!creating || in.UnitID != 0, "unit_id", "validation.choose")
	return fe
}

// validPhone accepts what towns write for extensions and outside lines: digits, hyphens,
// parentheses, spaces and a plus sign, as in "0123-45-6789" or an extension such as "201".
func validPhone(s string) bool {
	if utf8.RuneCountInString(s) > 30 {
		return false
	}
	for _, r := range s {
		if !(r >= '0' && r <= '9' || strings.ContainsRune("-()+ ", r)) {
			return false
		}
	}
	return true
}

// Posting is a period in which a person belongs to a unit (所属).
type Posting struct {
	ID       int64  `json:"id"`
	PersonID int64  `json:"person_id"`
	UnitID   int64  `json:"unit_id"`
	UnitName string `json:"-"`
	Period
}

// PersonFilter selects people for the list. Pages follow (After.Kana, After.ID).
type PersonFilter struct {
	Query      string // part of the name, reading or employee number
	UnitID     int64  // posted there on Day
	Employment EmploymentType
	Day        time.Time // whose postings count; the list shows who is in service that day
	After      *PersonCursor
	Limit      int
}

// PersonCursor is the position after the last person of a page.
type PersonCursor struct {
	Kana string
	ID   int64
}
