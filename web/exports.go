package web

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"lessonexport/alertlog"
	"lessonexport/exports"
	"lessonexport/formats"
	"lessonexport/lessonstore"
	"lessonexport/metrics"
	"lessonexport/storage"
)

type createExportBody struct {
	LessonID   string `json:"lesson_id"`
	Format     string `json:"format"`
	TemplateID string `json:"template_id"`
	Options    *struct {
		TemplateVariables map[string]any `json:"template_variables"`
	} `json:"options"`
}

func (s *Server) createExport(c echo.Context) error {
	var body createExportBody
	dec := json.NewDecoder(c.Request().Body)
	if err := dec.Decode(&body); err != nil {
		var maxBytes *http.MaxBytesError
		if errors.As(err, &maxBytes) {
			return err
		}
		return apiError(http.StatusBadRequest, "bad_request",
			`the body must be a JSON object such as {"lesson_id": "les_...", "format": "pdf"}`)
	}
	var details []Detail
	if strings.TrimSpace(body.LessonID) == "" {
		details = append(details, Detail{Path: "/lesson_id", Message: "lesson_id is required"})
	}
	f, ferr := formats.Parse(body.Format)
	if ferr != nil {
		details = append(details, Detail{Path: "/format",
			Message: fmt.Sprintf("format %q is not supported; accepted: %s", body.Format, formats.Accepted)})
	}
	if body.TemplateID != "" {
		details = append(details, Detail{Path: "/template_id", Message: "templates are not supported yet"})
	}
	if len(details) > 0 {
		s.rejected(c, body.Format, details[0].Message)
		e := apiError(http.StatusBadRequest, "bad_request", details[0].Message)
		e.Details = details
		return e
	}
	user := userOf(c)
	ctx := c.Request().Context()
	if _, err := s.opts.Lessons.Get(ctx, user, body.LessonID); err != nil {
		return lessonError(err)
	}
	key := c.Request().Header.Get("Idempotency-Key")
	if len(key) > 200 {
		return apiError(http.StatusBadRequest, "bad_request", "the Idempotency-Key header is too long")
	}
	e, err := s.opts.Exports.Create(ctx, exports.CreateRequest{
		UserID: user, LessonID: body.LessonID, Format: string(f), IdempotencyKey: key,
		RequestID: requestIDOf(c),
	})
	if err != nil {
		return exportError(err)
	}
	s.logger(c).Info("export requested", "event", alertlog.ExportRequested,
		alertlog.TaskID, e.ID, alertlog.LessonID, e.LessonID, alertlog.Format, e.Format)
	c.Response().Header().Set(echo.HeaderLocation, "/api/v1/exports/"+e.ID)
	return c.JSON(http.StatusAccepted, e)
}

func (s *Server) getExport(c echo.Context) error {
	e, err := s.opts.Exports.Get(c.Request().Context(), userOf(c), c.Param("id"))
	if err != nil {
		return exportError(err)
	}
	return c.JSON(http.StatusOK, e)
}

func (s *Server) listExports(c echo.Context) error {
	size := 20
	if v := c.QueryParam("page_size"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > 100 {
			return apiError(http.StatusBadRequest, "bad_request", "page_size must be between 1 and 100")
		}
		size = n
	}
	page, err := s.opts.Exports.List(c.Request().Context(), userOf(c), size, c.QueryParam("page_token"))
	if err != nil {
		return exportError(err)
	}
	return c.JSON(http.StatusOK, page)
}

func (s *Server) cancelExport(c echo.Context) error {
	e, err := s.opts.Exports.Cancel(c.Request().Context(), userOf(c), c.Param("id"))
	if err != nil {
		return exportError(err)
	}
	return c.JSON(http.StatusAccepted, e)
}

func (s *Server) retryExport(c echo.Context) error {
	e, err := s.opts.Exports.Retry(c.Request().Context(), userOf(c), c.Param("id"))
	if err != nil {
		return exportError(err)
	}
	return c.JSON(http.StatusAccepted, e)
}

func (s *Server) downloadExport(c echo.Context) error {
	e, err := s.opts.Exports.Get(c.Request().Context(), userOf(c), c.Param("id"))
	if err != nil {
		return exportError(err)
	}
	if e.Status != exports.StatusCompleted {
		return apiError(http.StatusConflict, "not_ready", "the export is "+e.Status+", not completed")
	}
	f, info, err := s.opts.Files.Open(e.Key)
	if errors.Is(err, storage.ErrNotFound) {
		return apiError(http.StatusNotFound, "not_found", "the export's file is gone")
	}
	if err != nil {
		return err
	}
	defer f.Close()
	h := c.Response().Header()
	h.Set(echo.HeaderContentType, formats.Format(e.Format).ContentType())
	h.Set(echo.HeaderContentDisposition, ContentDisposition(e.FileName))
	h.Set("ETag", `"`+e.SHA256+`"`)
	h.Set("Cache-Control", "private, no-cache")
	rw := &rangeErrorWriter{ResponseWriter: c.Response()}
	http.ServeContent(rw, c.Request(), "", info.ModTime, f)
	if rw.unsatisfiable {
		e := apiError(http.StatusRequestedRangeNotSatisfiable, "bad_range",
			"the requested range is not within the file of "+strconv.FormatInt(info.Size, 10)+" bytes")
		body, _ := json.Marshal(map[string]*Error{"error": e})
		_, _ = c.Response().Write(body)
	}
	return nil
}

// rangeErrorWriter lets net/http answer a download, but keeps the plain-text
// body it writes for an unsatisfiable range, so that the handler can send
// the API's error body instead.
type rangeErrorWriter struct {
	http.ResponseWriter
	unsatisfiable bool
}

func (w *rangeErrorWriter) WriteHeader(code int) {
	if code == http.StatusRequestedRangeNotSatisfiable {
		w.unsatisfiable = true
		w.Header().Set("Content-Type", "application/json")
		w.Header().Del("X-Content-Type-Options")
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *rangeErrorWriter) Write(p []byte) (int, error) {
	if w.unsatisfiable {
		return len(p), nil
	}
	return w.ResponseWriter.Write(p)
}

// exportEvents streams an export's stages as server-sent events until it
// finishes or the client goes away.
func (s *Server) exportEvents(c echo.Context) error {
	ctx := c.Request().Context()
	user, id := userOf(c), c.Param("id")
	e, err := s.opts.Exports.Get(ctx, user, id)
	if err != nil {
		return exportError(err)
	}
	w := c.Response()
	w.Header().Set(echo.HeaderContentType, "text/event-stream")
	w.Header().Set("Cache-Control", "no-cache")
	w.WriteHeader(http.StatusOK)
	last := ""
	deadline := time.Now().Add(time.Hour)
	tick := time.NewTicker(250 * time.Millisecond)
	defer tick.Stop()
	for {
		if seen := e.Status + "/" + e.Stage; seen != last {
			last = seen
			event := "progress"
			switch e.Status {
			case exports.StatusCompleted:
				event = "completed"
			case exports.StatusFailed:
				event = "failed"
			case exports.StatusCancelled:
				event = "cancelled"
			}
			data, _ := json.Marshal(e)
			if _, err := fmt.Fprintf(w, "event: %s\ndata: %s\n\n", event, data); err != nil {
				return nil
			}
			w.Flush()
			if event != "progress" {
				return nil
			}
		}
		select {
		case <-ctx.Done():
			return nil
		case <-tick.C:
		}
		if time.Now().After(deadline) {
			return nil
		}
		next, err := s.opts.Exports.Get(ctx, user, id)
		if err != nil {
			if ctx.Err() != nil {
				return nil
			}
			continue
		}
		e = next
	}
}

// streamExport generates the document while it sends it, without a
// workflow. An error after the first byte aborts the connection, so that
// the client sees a failure rather than a short file.
func (s *Server) streamExport(c echo.Context) error {
	ctx := c.Request().Context()
	f, err := formats.Parse(c.QueryParam("format"))
	if err != nil {
		s.rejected(c, c.QueryParam("format"), err.Error())
		return apiError(http.StatusBadRequest, "bad_request",
			fmt.Sprintf("format %q is not supported; accepted: %s", c.QueryParam("format"), formats.Accepted))
	}
	if c.QueryParam("template_id") != "" {
		return apiError(http.StatusBadRequest, "bad_request", "templates are not supported yet")
	}
	l, err := s.opts.Lessons.Get(ctx, userOf(c), c.Param("lesson_id"))
	if err != nil {
		return lessonError(err)
	}
	if err := l.Plan.Validate(); err != nil {
		s.rejected(c, string(f), err.Error())
		return validationError(err)
	}
	log := s.logger(c).With(alertlog.LessonID, l.ID, alertlog.Format, string(f))
	start := time.Now()
	log.Info("streaming export started", "event", alertlog.StreamingStarted)
	if m := s.opts.Metrics; m != nil {
		m.Active.Inc()
		defer m.Active.Dec()
	}

	w := c.Response()
	w.Header().Set(echo.HeaderContentType, f.ContentType())
	w.Header().Set(echo.HeaderContentDisposition,
		ContentDisposition(storage.FileName(l.Plan.Title, l.Plan.Level, "", f.Extension())))
	w.Header().Set("Cache-Control", "no-store")
	cw := &countWriter{w: w, max: s.opts.MaxDocumentBytes}
	if err := s.opts.Write(ctx, cw, f, l.Plan); err != nil {
		elapsed := time.Since(start).Seconds()
		if ctx.Err() != nil {
			s.opts.Metrics.Finished(metrics.Cancelled, string(f), elapsed, "")
			log.Info("streaming export stopped: the client went away",
				"event", alertlog.StreamingFailed, alertlog.ErrorType, "cancelled",
				alertlog.SizeBytes, cw.n, alertlog.DurationSeconds, elapsed)
		} else {
			s.opts.Metrics.Finished(metrics.Failed, string(f), elapsed, "generation")
			log.Error("streaming export failed", "event", alertlog.StreamingFailed,
				alertlog.ErrorType, "generation", alertlog.ErrorMessage, err.Error(),
				alertlog.SizeBytes, cw.n, alertlog.DurationSeconds, elapsed)
		}
		if w.Committed {
			panic(http.ErrAbortHandler)
		}
		if ctx.Err() != nil {
			return nil
		}
		return apiError(http.StatusInternalServerError, "generation", "the document could not be generated")
	}
	elapsed := time.Since(start).Seconds()
	s.opts.Metrics.Finished(metrics.Completed, string(f), elapsed, "")
	log.Info("streaming export completed", "event", alertlog.StreamingCompleted,
		alertlog.SizeBytes, cw.n, alertlog.DurationSeconds, elapsed)
	return nil
}

// rejected counts and logs an export request refused as invalid. An
// invented format is counted as "unknown", never as itself.
func (s *Server) rejected(c echo.Context, format, message string) {
	s.opts.Metrics.Finished(metrics.Failed, format, 0, "validation")
	s.logger(c).Error("export request is invalid", "event", alertlog.ExportValidationFailed,
		alertlog.Format, metrics.Format(format), alertlog.ErrorType, "validation",
		alertlog.ErrorMessage, message)
}

type countWriter struct {
	w   *echo.Response
	n   int64
	max int64
}

// errDocumentTooLarge stops a streamed document past its cap.
var errDocumentTooLarge = errors.New("the document is larger than the limit")

func (c *countWriter) Write(p []byte) (int, error) {
	if c.max > 0 && c.n+int64(len(p)) > c.max {
		return 0, errDocumentTooLarge
	}
	n, err := c.w.Write(p)
	c.n += int64(n)
	return n, err
}

func exportError(err error) error {
	switch {
	case errors.Is(err, exports.ErrNotFound), errors.Is(err, lessonstore.ErrNotFound):
		return apiError(http.StatusNotFound, "not_found", "export not found")
	case errors.Is(err, exports.ErrBadPageToken):
		return apiError(http.StatusBadRequest, "bad_request", "page_token is not valid")
	case errors.Is(err, exports.ErrConflict):
		return apiError(http.StatusConflict, "conflict", strings.TrimPrefix(err.Error(), exports.ErrConflict.Error()+": "))
	case errors.Is(err, exports.ErrBusy):
		e := apiError(http.StatusTooManyRequests, "busy",
			"too many exports are waiting; try again shortly")
		e.RetryAfter = 10
		return e
	case errors.Is(err, exports.ErrUnavailable):
		e := apiError(http.StatusServiceUnavailable, "unavailable",
			"the export service is unavailable; try again shortly")
		e.RetryAfter = 5
		e.cause = err
		return e
	}
	return err
}
