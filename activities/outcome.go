package activities

import (
	"context"
	"time"

	"go.temporal.io/sdk/activity"
	"go.temporal.io/sdk/log"

	"lessonexport/alertlog"
	"lessonexport/metrics"
)

// Statuses of a finished export.
const (
	StatusCompleted = metrics.Completed
	StatusFailed    = metrics.Failed
	StatusCancelled = metrics.Cancelled
)

// Outcome is how an export ended, as the workflow reports it once.
type Outcome struct {
	ExportID  string
	UserID    string
	LessonID  string
	Format    string
	Status    string
	StartedAt time.Time
	// FinishedAt is the workflow's time when it finished.
	FinishedAt time.Time
	SizeBytes  int64
	// ErrorType is a failure.Kind; ErrorClass and ErrorMessage say more.
	ErrorType     string
	ErrorClass    string
	ErrorMessage  string
	QueueTimedOut bool
	// RequestID is the ID of the HTTP request that started the export.
	RequestID string
}

// RecordOutcome counts a finished export in the worker's metrics and writes
// its alert-log line. The workflow runs it as a local activity.
func (a *Activities) RecordOutcome(ctx context.Context, o Outcome) error {
	seconds := o.FinishedAt.Sub(o.StartedAt).Seconds()
	if seconds < 0 {
		seconds = 0
	}
	a.Metrics.Finished(o.Status, o.Format, seconds, o.ErrorType)

	log := logger(ctx, o.UserID, o.RequestID)
	fields := []any{
		alertlog.LessonID, o.LessonID,
		alertlog.Format, metrics.Format(o.Format), alertlog.DurationSeconds, seconds,
	}
	switch {
	case o.Status == StatusCompleted:
		log.Info("export completed", append(fields, "event", alertlog.ExportTaskCompleted,
			alertlog.SizeBytes, o.SizeBytes)...)
	case o.Status == StatusCancelled:
		log.Info("export cancelled", append(fields, "event", alertlog.ExportTaskCancelled)...)
	case o.QueueTimedOut:
		log.Warn("export waited too long for a worker slot", append(fields,
			"event", alertlog.ExportTimeoutQueued, alertlog.ErrorType, o.ErrorType,
			alertlog.Active, a.active.Load(), alertlog.Max, a.MaxConcurrent)...)
	case o.ErrorType == "validation":
		log.Error("export input is invalid", append(fields,
			"event", alertlog.ExportValidationFailed, alertlog.ErrorType, o.ErrorType,
			alertlog.ErrorMessage, o.ErrorMessage)...)
	default:
		log.Error("export failed", append(fields,
			"event", alertlog.ExportTaskFailed, alertlog.ErrorType, o.ErrorType,
			alertlog.ErrorClass, o.ErrorClass, alertlog.ErrorMessage, o.ErrorMessage)...)
	}
	return nil
}

// logger returns the activity's logger with the export's task, user and
// request IDs, which every line it writes then carries.
func logger(ctx context.Context, user, requestID string) log.Logger {
	fields := []any{alertlog.TaskID, activity.GetInfo(ctx).WorkflowExecution.ID}
	if user != "" {
		fields = append(fields, alertlog.UserID, user)
	}
	if requestID != "" {
		fields = append(fields, alertlog.RequestID, requestID)
	}
	return log.With(activity.GetLogger(ctx), fields...)
}

// track counts an export activity as active until the returned function
// runs.
func (a *Activities) track() func() {
	a.active.Add(1)
	if a.Metrics != nil {
		a.Metrics.Active.Inc()
	}
	return func() {
		a.active.Add(-1)
		if a.Metrics != nil {
			a.Metrics.Active.Dec()
		}
	}
}
