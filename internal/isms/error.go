package isms

import (
	"errors"
	"fmt"
)

// Error codes. The web layer maps each to one HTTP status; nothing else chooses a status.
const (
	EINVALID     = "invalid"     // the input breaks a rule; the message says which
	ENOTFOUND    = "not_found"   // absent, or outside the actor's scope (never told apart)
	EFORBIDDEN   = "forbidden"   // visible, but the actor may not do this
	ECONFLICT    = "conflict"    // stale edit or duplicate key
	ETOOLARGE    = "too_large"   // body or upload above its limit
	EUNAVAILABLE = "unavailable" // a dependency (the database) cannot be reached
	EINTERNAL    = "internal"    // a defect or an unexpected failure; logged, never shown
)

// Error is an error with a code from the list above. Message is safe to show to the user.
type Error struct {
	Code    string
	Message string
}

func (e *Error) Error() string { return fmt.Sprintf("isms %s: %s", e.Code, e.Message) }

// Errorf returns an *Error with the given code and a formatted message.
func Errorf(code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// ErrorCode returns the code of the first *Error in err's chain, EINTERNAL for any other
// error, and "" for nil.
func ErrorCode(err error) string {
	if err == nil {
		return ""
	}
	if e, ok := errors.AsType[*Error](err); ok {
		return e.Code
	}
	return EINTERNAL
}

// ErrorMessage returns the user-safe message of the first *Error in err's chain, or "" when
// there is none (internal errors are never shown).
func ErrorMessage(err error) string {
	if e, ok := errors.AsType[*Error](err); ok {
		return e.Message
	}
	return ""
}
