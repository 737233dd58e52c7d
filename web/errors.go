package web

import (
	"errors"
	"net/http"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"lessonexport/lesson"
)

// Error is the error body of every failed request.
type Error struct {
	Status  int      `json:"-"`
	Code    string   `json:"code"`
	Message string   `json:"message"`
	Details []Detail `json:"details,omitempty"`
	// RetryAfter, in seconds, is sent as the Retry-After header.
	RetryAfter int `json:"-"`
	// cause is what went wrong behind a 5xx, for the log only.
	cause error
}

// Detail is one problem of a request, such as one schema violation.
type Detail struct {
	Path    string `json:"path,omitempty"`
	Message string `json:"message"`
}

func (e *Error) Error() string { return e.Message }

func apiError(status int, code, message string) *Error {
	return &Error{Status: status, Code: code, Message: message}
}

func validationError(err error) *Error {
	e := apiError(http.StatusBadRequest, "validation_failed", "the lesson plan is not valid")
	var verr *lesson.ValidationError
	if errors.As(err, &verr) {
		for _, p := range verr.Problems {
			e.Details = append(e.Details, Detail{Path: p.Path, Message: p.Message})
		}
	} else {
		e.Details = []Detail{{Message: err.Error()}}
	}
	return e
}

// handleError writes every error as the API's error body. Errors that are
// not the client's fault are logged and shown as a plain 500.
func (s *Server) handleError(err error, c echo.Context) {
	if c.Response().Committed {
		return
	}
	var apiErr *Error
	var httpErr *echo.HTTPError
	var maxBytes *http.MaxBytesError
	switch {
	case errors.As(err, &apiErr):
	case errors.As(err, &maxBytes):
		apiErr = apiError(http.StatusRequestEntityTooLarge, "too_large",
			"the request body is larger than the limit")
	case errors.As(err, &httpErr):
		apiErr = apiError(httpErr.Code, codeOf(httpErr.Code), strings.ToLower(http.StatusText(httpErr.Code)))
		if m, ok := httpErr.Message.(string); ok && httpErr.Code < 500 {
			apiErr.Message = m
		}
	default:
		s.logger(c).Error("request failed", "event", "http_error",
			"route", c.Path(), "error_message", err.Error())
		apiErr = apiError(http.StatusInternalServerError, "internal", "internal error")
	}
	if apiErr.cause != nil {
		s.logger(c).Warn("request refused", "event", "http_unavailable", "route", c.Path(),
			"status", apiErr.Status, "error_message", apiErr.cause.Error())
	}
	if apiErr.RetryAfter > 0 {
		c.Response().Header().Set("Retry-After", strconv.Itoa(apiErr.RetryAfter))
	}
	if c.Request().Method == http.MethodHead {
		_ = c.NoContent(apiErr.Status)
		return
	}
	_ = c.JSON(apiErr.Status, map[string]*Error{"error": apiErr})
}

func codeOf(status int) string {
	switch status {
	case http.StatusBadRequest:
		return "bad_request"
	case http.StatusUnauthorized:
		return "unauthorized"
	case http.StatusNotFound:
		return "not_found"
	case http.StatusMethodNotAllowed:
		return "method_not_allowed"
	case http.StatusRequestEntityTooLarge:
		return "too_large"
	case http.StatusUnsupportedMediaType:
		return "unsupported_media_type"
	case http.StatusTooManyRequests:
		return "busy"
	case http.StatusServiceUnavailable:
		return "unavailable"
	}
	if status >= 500 {
		return "internal"
	}
	return "error"
}
