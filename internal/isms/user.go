package isms

import (
	"net/mail"
	"regexp"
	"strings"
	"time"
	"unicode/utf8"
)

// UserStatus is the state of an account: only active accounts sign in.
type UserStatus string

const (
	UserActive    UserStatus = "active"
	UserSuspended UserStatus = "suspended" // 利用停止: kept, may be reactivated
	UserRetired   UserStatus = "retired"   // 退職: kept for the record, never signs in again
)

// UserStatuses lists the statuses in the order filters show them.
var UserStatuses = []UserStatus{UserActive, UserSuspended, UserRetired}

// User is a portal account. Credentials (password hash, TOTP secret, recovery codes) never leave
// the store in this type, so they cannot reach a page or the audit trail.
type User struct {
	ID                 int64      `json:"id"`
	LoginID            string     `json:"login_id"`
	Name               string     `json:"name"`
	NameKana           string     `json:"name_kana"`
	Email              string     `json:"email"`
	Lang               string     `json:"lang"`
	DateStyle          string     `json:"date_style"`
	Status             UserStatus `json:"status"`
	Role               Role       `json:"role"`
	UnitID             int64      `json:"unit_id"`
	UnitName           string     `json:"-"`
	MustChangePassword bool       `json:"must_change_password"`
	MFAEnrolled        bool       `json:"mfa_enrolled"`
	LastLoginAt        *time.Time `json:"-"`
	CreatedAt          time.Time  `json:"-"`
	UpdatedAt          time.Time  `json:"-"`
	Version            int        `json:"version"`
}

// UserInput is what an administrator types when creating or editing an account.
type UserInput struct {
	LoginID   string
	Name      string
	NameKana  string
	Email     string
	Lang      string
	DateStyle string
	Role      Role
	UnitID    int64
	Version   int // the version the form was loaded with (edits only)
}

var loginIDPattern = regexp.MustCompile(`^[A-Za-z0-9._@+-]{3,64}$`)

// Normalize trims what people paste with stray spaces.
func (in *UserInput) Normalize() {
	in.LoginID = strings.TrimSpace(in.LoginID)
	in.Name = strings.TrimSpace(in.Name)
	in.NameKana = strings.TrimSpace(in.NameKana)
	in.Email = strings.TrimSpace(in.Email)
}

// Validate checks the input; the keys name catalogue messages.
func (in UserInput) Validate() FieldErrors {
	fe := FieldErrors{}
	fe.Check(in.LoginID != "", "login_id", "validation.required")
	fe.Check(loginIDPattern.MatchString(in.LoginID), "login_id", "user.error.login_id_format")
	fe.Check(in.Name != "", "name", "validation.required")
	fe.Check(utf8.RuneCountInString(in.Name) <= 100, "name", "validation.too_long")
	fe.Check(utf8.RuneCountInString(in.NameKana) <= 100, "name_kana", "validation.too_long")
	fe.Check(isKana(in.NameKana), "name_kana", "user.error.kana")
	if in.Email != "" {
		a, err := mail.ParseAddress(in.Email)
		fe.Check(err == nil && a.Address == in.Email, "email", "user.error.email")
	}
	fe.Check(in.Lang == "ja" || in.Lang == "en", "lang", "validation.choose")
	fe.Check(in.DateStyle == "seireki" || in.DateStyle == "wareki", "date_style", "validation.choose")
	fe.Check(in.Role.Valid(), "role", "validation.choose")
	// Staff register records for their unit, so they must belong to one.
	fe.Check(in.Role != RoleStaff || in.UnitID != 0, "unit_id", "user.error.unit_required")
	return fe
}

// isKana accepts a reading written in katakana or hiragana, with spaces and the long-vowel mark.
func isKana(s string) bool {
	for _, r := range s {
		switch {
		case r >= 'ぁ' && r <= 'ゖ', r >= 'ァ' && r <= 'ヺ', r == 'ー', r == '・', r == ' ', r == '　':
		default:
			return false
		}
	}
	return true
}

// UserFilter selects users for the administrators' list. Pages follow (After.Kana, After.ID).
type UserFilter struct {
	Query  string // part of the name, reading, login id or e-mail
	Status UserStatus
	Role   Role
	UnitID int64
	After  *UserCursor
	Limit  int
}

// UserCursor is the position after the last user of a page.
type UserCursor struct {
	Kana string
	ID   int64
}
