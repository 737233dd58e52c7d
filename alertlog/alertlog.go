package alertlog

import (
	"context"
	"io"
	"log/slog"
	"strings"
	"time"
	"unicode"
)

// LevelCritical is above slog.LevelError: the service cannot do its job.
const LevelCritical = slog.Level(12)

// Events, the values of the event field that alert rules match on.
const (
	ExportRequested        = "export_requested"
	ExportValidationFailed = "export_validation_failed"
	ExportTimeoutQueued    = "export_timeout_queued"
	ExportTaskFailed       = "export_task_failed"
	ExportTaskCompleted    = "export_task_completed"
	ExportTaskCancelled    = "export_task_cancelled"
	SlowExportDetected     = "slow_export_detected"
	FileSaved              = "file_saved"
	FileDeleted            = "file_deleted"
	FilesCleaned           = "files_cleaned"
	DiskSpaceLow           = "disk_space_low"
	StreamingStarted       = "streaming_export_started"
	StreamingCompleted     = "streaming_export_completed"
	StreamingFailed        = "streaming_export_failed"
	// Log is the event of a line that names none, such as the Temporal
	// SDK's own.
	Log = "log"
)

// Context field names. Other keys are renamed to lower snake case, so that
// the Temporal SDK's WorkflowID becomes workflow_id.
const (
	TaskID           = "task_id"
	UserID           = "user_id"
	LessonID         = "lesson_id"
	Format           = "format"
	DurationSeconds  = "duration_seconds"
	ThresholdSeconds = "threshold_seconds"
	ErrorType        = "error_type"
	ErrorClass       = "error_class"
	ErrorMessage     = "error_message"
	SizeBytes        = "size_bytes"
	RequestID        = "request_id"
	WorkflowID       = "workflow_id"
	Attempt          = "attempt"
	Active           = "active"
	Max              = "max"
)

// renames maps keys of the Temporal SDK's log lines to the fixed names.
var renames = map[string]string{
	"Error": ErrorMessage, "error": ErrorMessage,
	"WorkflowID": WorkflowID, "Attempt": Attempt,
}

// Options configures a logger.
type Options struct {
	Service   string
	Component string
	// Level is the lowest level written; zero is INFO.
	Level slog.Level
}

// New returns a logger writing alert-log lines to w.
func New(w io.Writer, opts Options) *slog.Logger {
	if opts.Service == "" {
		opts.Service = "lessonexport"
	}
	h := slog.NewJSONHandler(w, &slog.HandlerOptions{
		Level:       opts.Level,
		ReplaceAttr: replace,
	})
	return slog.New(&handler{inner: h}).With("service", opts.Service, "component", opts.Component)
}

// replace gives the standard fields their alert-log names and values.
func replace(groups []string, a slog.Attr) slog.Attr {
	if len(groups) > 0 {
		return a
	}
	switch a.Key {
	case slog.TimeKey:
		return slog.String("timestamp", a.Value.Time().UTC().Format(time.RFC3339Nano))
	case slog.LevelKey:
		return slog.String("level", LevelName(a.Value.Any().(slog.Level)))
	case slog.MessageKey:
		return slog.Attr{Key: "message", Value: a.Value}
	}
	if name, ok := renames[a.Key]; ok {
		a.Key = name
	} else {
		a.Key = snake(a.Key)
	}
	if err, ok := a.Value.Any().(error); ok {
		a.Value = slog.StringValue(err.Error())
	}
	return a
}

// LevelName is the alert-log name of a level.
func LevelName(l slog.Level) string {
	switch {
	case l >= LevelCritical:
		return "CRITICAL"
	case l >= slog.LevelError:
		return "ERROR"
	case l >= slog.LevelWarn:
		return "WARNING"
	case l >= slog.LevelInfo:
		return "INFO"
	}
	return "DEBUG"
}

func snake(key string) string {
	if key == strings.ToLower(key) {
		return key
	}
	var b strings.Builder
	prev := rune(0)
	for i, r := range key {
		if unicode.IsUpper(r) {
			next := rune(0)
			if i+1 < len(key) {
				next = rune(key[i+1])
			}
			if i > 0 && (unicode.IsLower(prev) || unicode.IsLower(next) && unicode.IsUpper(prev)) {
				b.WriteByte('_')
			}
			b.WriteRune(unicode.ToLower(r))
		} else {
			b.WriteRune(r)
		}
		prev = r
	}
	return b.String()
}

// handler adds event="log" to lines that carry no event.
type handler struct {
	inner    slog.Handler
	hasEvent bool
}

func (h *handler) Enabled(ctx context.Context, l slog.Level) bool { return h.inner.Enabled(ctx, l) }

func (h *handler) Handle(ctx context.Context, r slog.Record) error {
	if !h.hasEvent {
		found := false
		r.Attrs(func(a slog.Attr) bool {
			found = a.Key == "event"
			return !found
		})
		if !found {
			r = r.Clone()
			r.AddAttrs(slog.String("event", Log))
		}
	}
	return h.inner.Handle(ctx, r)
}

func (h *handler) WithAttrs(attrs []slog.Attr) slog.Handler {
	has := h.hasEvent
	for _, a := range attrs {
		has = has || a.Key == "event"
	}
	return &handler{inner: h.inner.WithAttrs(attrs), hasEvent: has}
}

func (h *handler) WithGroup(name string) slog.Handler {
	return &handler{inner: h.inner.WithGroup(name), hasEvent: h.hasEvent}
}
