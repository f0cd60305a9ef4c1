// Package outbound holds the domain of the outbound inspection program: the
// crossings under oversight, the inspections officers record there, the
// staffing that pays for them and the exits they are measured against. It
// does no I/O; storage (sqldb), the API (web) and the CLI (cmd/outbound)
// speak in these types.
package outbound

import (
	"errors"
	"fmt"
)

// Error codes. Each maps to one HTTP status in web and one exit code in the
// CLI; anything that is not an *Error is internal.
const (
	EINVALID       = "invalid"
	ENOTFOUND      = "not_found"
	ECONFLICT      = "conflict"
	EUNAUTHORIZED  = "unauthorized"
	EFORBIDDEN     = "forbidden"
	ETOOLARGE      = "too_large"
	ERATELIMIT     = "rate_limited"
	EUNPROCESSABLE = "unprocessable" // well-formed, but refused for what it says (a policy with findings)
	EINTERNAL      = "internal"
)

// Error is a failure a user can act on. Anything else is internal.
type Error struct {
	Code    string // one of the E* constants
	Field   string // the input field at fault, if any
	Message string // one sentence for a person
}

func (e *Error) Error() string {
	if e.Field != "" {
		return e.Field + ": " + e.Message
	}
	return e.Message
}

// Errorf returns an *Error with the code, field and formatted message.
func Errorf(code, field, format string, args ...any) *Error {
	return &Error{Code: code, Field: field, Message: fmt.Sprintf(format, args...)}
}

// ErrorCode returns the code of the first *Error in err's chain, EINTERNAL
// for any other error and "" for nil.
func ErrorCode(err error) string {
	var e *Error
	switch {
	case err == nil:
		return ""
	case errors.As(err, &e):
		return e.Code
	default:
		return EINTERNAL
	}
}

// ErrorMessage returns the message a user may see: an *Error's own, or
// "internal error" for anything else, so that internals never leak.
func ErrorMessage(err error) string {
	var e *Error
	if errors.As(err, &e) {
		return e.Message
	}
	return "internal error"
}

// ErrorField returns the field named by the first *Error in err's chain.
func ErrorField(err error) string {
	var e *Error
	if errors.As(err, &e) {
		return e.Field
	}
	return ""
}
