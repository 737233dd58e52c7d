package failure

import (
	"context"
	"errors"
	"fmt"
	"strings"

	enumspb "go.temporal.io/api/enums/v1"

	"go.temporal.io/sdk/temporal"
)

// Kind is the kind of an export failure.
type Kind string

// The kinds of failure. Their values are part of the HTTP API.
const (
	// Validation: the request or the lesson plan is wrong; retrying the
	// same input cannot help.
	Validation Kind = "validation"
	// Generation: rendering or writing the document failed.
	Generation Kind = "generation"
	// Storage: the file could not be stored or read back.
	Storage Kind = "storage"
	// Timeout: the export ran or waited too long.
	Timeout Kind = "timeout"
)

// Retryable reports whether a failure of kind k may go away on its own.
func (k Kind) Retryable() bool { return k == Storage || k == Timeout }

// NewError returns the Temporal application error that carries a failure of
// kind k out of an activity or workflow. Kinds that retrying cannot mend are
// non-retryable, so Temporal does not try them again.
func NewError(k Kind, message string, cause error) error {
	if k.Retryable() {
		return temporal.NewApplicationErrorWithCause(message, string(k), cause)
	}
	return temporal.NewNonRetryableApplicationError(message, string(k), cause)
}

// Of classifies err. Errors that carry no kind are generation failures.
func Of(err error) Kind {
	var timeout *temporal.TimeoutError
	if errors.As(err, &timeout) || errors.Is(err, context.DeadlineExceeded) {
		return Timeout
	}
	var app *temporal.ApplicationError
	if errors.As(err, &app) {
		switch k := Kind(app.Type()); k {
		case Validation, Generation, Storage, Timeout:
			return k
		}
	}
	return Generation
}

// Message returns the message a client may see for err: the application
// error's own message, without the chain of wrappers Temporal adds.
func Message(err error) string {
	var app *temporal.ApplicationError
	if errors.As(err, &app) {
		return app.Message()
	}
	var timeout *temporal.TimeoutError
	if errors.As(err, &timeout) {
		return "the export took too long"
	}
	if err == nil {
		return ""
	}
	return err.Error()
}

// QueueTimeout reports whether err is a step that waited too long for a
// worker slot (an activity's schedule-to-start timeout).
func QueueTimeout(err error) bool {
	var timeout *temporal.TimeoutError
	return errors.As(err, &timeout) && timeout.TimeoutType() == enumspb.TIMEOUT_TYPE_SCHEDULE_TO_START
}

// Class names the innermost error of err's chain by its Temporal error
// type, such as "TimeoutError:START_TO_CLOSE" or "ApplicationError:storage",
// for alert logs.
func Class(err error) string {
	class := ""
	for e := err; e != nil; e = errors.Unwrap(e) {
		switch t := e.(type) {
		case *temporal.ApplicationError:
			class = "ApplicationError:" + t.Type()
		case *temporal.TimeoutError:
			class = "TimeoutError:" + strings.TrimPrefix(t.TimeoutType().String(), "TIMEOUT_TYPE_")
		case *temporal.CanceledError:
			class = "CanceledError"
		case *temporal.PanicError:
			class = "PanicError"
		case *temporal.ServerError:
			class = "ServerError"
		case *temporal.TerminatedError:
			class = "TerminatedError"
		}
	}
	if class == "" && err != nil {
		class = fmt.Sprintf("%T", err)
	}
	return class
}
