package isms

// FieldErrors maps a form field to the catalogue key of what is wrong with it, so that the page
// can show each message beside its field in the reader's language.
type FieldErrors map[string]string

// Check records key against field when ok is false, keeping the first problem of each field.
func (fe FieldErrors) Check(ok bool, field, key string) {
	if !ok {
		if _, seen := fe[field]; !seen {
			fe[field] = key
		}
	}
}

// Err returns the errors as an EINVALID *ValidationError, or nil when there are none.
func (fe FieldErrors) Err() error {
	if len(fe) == 0 {
		return nil
	}
	return &ValidationError{Fields: fe}
}

// ValidationError carries the field errors of a refused input through the store to the handler,
// which shows the form again with them (422).
type ValidationError struct {
	Fields FieldErrors
}

func (e *ValidationError) Error() string { return "isms invalid: input breaks the rules" }

// Unwrap makes ErrorCode report EINVALID.
func (e *ValidationError) Unwrap() error { return &Error{Code: EINVALID, Message: "invalid input"} }
