package web

import (
	"errors"
	"io"
	"mime"
	"net/http"
	"strconv"
	"time"
	"unicode/utf8"

	"github.com/labstack/echo/v4"

	"lessonexport/lesson"
	"lessonexport/lessonstore"
)

// lessonResource is a stored lesson as the API shows it: the plan's own
// fields with the store's beside them.
type lessonResource struct {
	*lesson.Plan
	Source    string    `json:"source"`
	Revision  int       `json:"revision"`
	CreatedAt time.Time `json:"created_at"`
	UpdatedAt time.Time `json:"updated_at"`
}

func resourceOf(l *lessonstore.Lesson) lessonResource {
	l.Plan.ID = l.ID
	return lessonResource{Plan: l.Plan, Source: l.Source, Revision: l.Revision,
		CreatedAt: l.CreatedAt, UpdatedAt: l.UpdatedAt}
}

// readPlan parses the request body as a lesson plan, JSON or Markdown by its
// content type.
func readPlan(c echo.Context) (*lesson.Plan, string, error) {
	mediaType, _, err := mime.ParseMediaType(c.Request().Header.Get(echo.HeaderContentType))
	if err != nil {
		return nil, "", apiError(http.StatusUnsupportedMediaType, "unsupported_media_type",
			"send the lesson as application/json or text/markdown")
	}
	var source string
	switch mediaType {
	case "application/json":
		source = "json"
	case "text/markdown", "text/x-markdown":
		source = "markdown"
	default:
		return nil, "", apiError(http.StatusUnsupportedMediaType, "unsupported_media_type",
			"send the lesson as application/json or text/markdown, not "+mediaType)
	}
	body, err := io.ReadAll(c.Request().Body)
	if err != nil {
		var maxBytes *http.MaxBytesError
		if errors.As(err, &maxBytes) {
			return nil, "", err
		}
		return nil, "", apiError(http.StatusBadRequest, "bad_request", "the request body could not be read")
	}
	if !utf8.Valid(body) {
		at := invalidAt(body)
		return nil, "", &Error{Status: http.StatusBadRequest, Code: "validation_failed",
			Message: "the lesson is not valid UTF-8",
			Details: []Detail{{Message: "invalid UTF-8 at byte " + strconv.Itoa(at)}}}
	}
	var p *lesson.Plan
	if source == "json" {
		p, err = lesson.ParseJSON(body)
	} else {
		p, err = lesson.ParseMarkdown(body)
	}
	if err != nil {
		return nil, "", validationError(err)
	}
	return p, source, nil
}

// invalidAt returns the offset of the first byte of b that is not valid
// UTF-8.
func invalidAt(b []byte) int {
	for i := 0; i < len(b); {
		r, size := utf8.DecodeRune(b[i:])
		if r == utf8.RuneError && size <= 1 {
			return i
		}
		i += size
	}
	return len(b)
}

func (s *Server) createLesson(c echo.Context) error {
	p, source, err := readPlan(c)
	if err != nil {
		return err
	}
	p.ID = ""
	l := &lessonstore.Lesson{Owner: userOf(c), Plan: p, Source: source}
	if err := s.opts.Lessons.Create(c.Request().Context(), l); err != nil {
		return err
	}
	c.Response().Header().Set(echo.HeaderLocation, "/api/v1/lessons/"+l.ID)
	return c.JSON(http.StatusCreated, resourceOf(l))
}

func (s *Server) listLessons(c echo.Context) error {
	limit, offset := 50, 0
	if v := c.QueryParam("limit"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > 200 {
			return apiError(http.StatusBadRequest, "bad_request", "limit must be between 1 and 200")
		}
		limit = n
	}
	if v := c.QueryParam("offset"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 0 {
			return apiError(http.StatusBadRequest, "bad_request", "offset must be a number of at least 0")
		}
		offset = n
	}
	ls, err := s.opts.Lessons.List(c.Request().Context(), userOf(c), limit, offset)
	if err != nil {
		return err
	}
	out := make([]lessonResource, 0, len(ls))
	for _, l := range ls {
		out = append(out, resourceOf(l))
	}
	return c.JSON(http.StatusOK, map[string]any{"lessons": out})
}

func (s *Server) getLesson(c echo.Context) error {
	l, err := s.opts.Lessons.Get(c.Request().Context(), userOf(c), c.Param("id"))
	if err != nil {
		return lessonError(err)
	}
	return c.JSON(http.StatusOK, resourceOf(l))
}

func (s *Server) replaceLesson(c echo.Context) error {
	ctx := c.Request().Context()
	old, err := s.opts.Lessons.Get(ctx, userOf(c), c.Param("id"))
	if err != nil {
		return lessonError(err)
	}
	p, source, err := readPlan(c)
	if err != nil {
		return err
	}
	p.ID = old.ID
	old.Plan, old.Source = p, source
	if err := s.opts.Lessons.Update(ctx, old); err != nil {
		return lessonError(err)
	}
	return c.JSON(http.StatusOK, resourceOf(old))
}

func (s *Server) deleteLesson(c echo.Context) error {
	if err := s.opts.Lessons.Delete(c.Request().Context(), userOf(c), c.Param("id")); err != nil {
		return lessonError(err)
	}
	return c.NoContent(http.StatusNoContent)
}

func lessonError(err error) error {
	if errors.Is(err, lessonstore.ErrNotFound) {
		return apiError(http.StatusNotFound, "not_found", "lesson not found")
	}
	return err
}
