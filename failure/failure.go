package failure

import (
	"context"
	"errors"

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
