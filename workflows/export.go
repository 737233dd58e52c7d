package workflows

import (
	"errors"
	"time"

	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/workflow"

	"lessonexport/activities"
	"lessonexport/failure"
	"lessonexport/formats"
)

// TaskQueue is the one task queue exports run on.
const TaskQueue = "lesson-export"

// ProgressQuery is the name of the query that returns an export's Progress.
const ProgressQuery = "progress"

// Memo keys. The workflow keeps its stage, result and failure in its memo,
// so that describing or listing exports shows them without a query.
const (
	MemoUser     = "user_id"
	MemoLesson   = "lesson_id"
	MemoFormat   = "format"
	MemoProgress = "progress"
	MemoResult   = "result"
	MemoError    = "error"
)

// Search attributes that the web server lists a user's exports by. They are
// registered on the namespace when the web server or worker starts.
const (
	SearchUser   = "LessonExportUser"
	SearchLesson = "LessonExportLesson"
	SearchFormat = "LessonExportFormat"
)

// The stages of an export, in order.
const (
	StageQueued     = "queued"
	StageLoading    = "loading"
	StageRendering  = "rendering"
	StageGenerating = "generating"
	StageSaving     = "saving"
	StageCompleted  = "completed"
)

// Request is the input of ExportWorkflow. The workflow ID is the export ID.
type Request struct {
	UserID   string
	LessonID string
	Format   string
	// QueueTimeout bounds how long each step may wait for a worker slot;
	// an export that waits longer fails as a timeout. Zero means
	// DefaultQueueTimeout.
	QueueTimeout time.Duration
	// SlowThreshold is how long an export may run before it is reported
	// as slow, while it still runs. Zero means DefaultSlowThreshold.
	SlowThreshold time.Duration
	// RequestID is the ID of the HTTP request that asked for the export,
	// carried into the worker's log lines about it.
	RequestID string
}

// Defaults of Request's durations.
const (
	DefaultQueueTimeout  = 10 * time.Minute
	DefaultSlowThreshold = 30 * time.Second
)

// Result is what a completed export returns: where the document is, not the
// document.
type Result struct {
	Key         string    `json:"key"`
	FileName    string    `json:"file_name"`
	Format      string    `json:"format"`
	Size        int64     `json:"file_size"`
	SHA256      string    `json:"sha256"`
	CompletedAt time.Time `json:"completed_at"`
}

// Progress is an export's stage, as the progress query returns it.
type Progress struct {
	Stage    string `json:"stage"`
	Progress int    `json:"progress"`
	Message  string `json:"message"`
}

// Failure is the memo record of a failed export.
type Failure struct {
	Type    string `json:"type"`
	Message string `json:"message"`
}

// StageProgress returns the progress of a stage, 0 to 100.
func StageProgress(stage string) Progress {
	switch stage {
	case StageLoading:
		return Progress{stage, 10, "loading the lesson plan"}
	case StageRendering:
		return Progress{stage, 30, "rendering the lesson plan"}
	case StageGenerating:
		return Progress{stage, 60, "generating the document"}
	case StageSaving:
		return Progress{stage, 90, "saving the document"}
	case StageCompleted:
		return Progress{stage, 100, "the document is ready"}
	}
	return Progress{StageQueued, 0, "waiting for a worker"}
}

// Activity options of each step. Bad input fails at once (non-retryable
// application errors); I/O failures are retried with backoff.
var (
	loadOptions = workflow.ActivityOptions{
		StartToCloseTimeout: 30 * time.Second,
		HeartbeatTimeout:    5 * time.Second,
		RetryPolicy: &temporal.RetryPolicy{
			InitialInterval:    time.Second,
			BackoffCoefficient: 2,
			MaximumInterval:    30 * time.Second,
			MaximumAttempts:    5,
		},
	}
	generateOptions = workflow.ActivityOptions{
		StartToCloseTimeout: 10 * time.Minute,
		HeartbeatTimeout:    5 * time.Second,
		WaitForCancellation: true,
		RetryPolicy: &temporal.RetryPolicy{
			InitialInterval:    time.Second,
			BackoffCoefficient: 2,
			MaximumInterval:    time.Minute,
			MaximumAttempts:    3,
		},
	}
	storeOptions = workflow.ActivityOptions{
		StartToCloseTimeout: time.Minute,
		HeartbeatTimeout:    5 * time.Second,
		RetryPolicy: &temporal.RetryPolicy{
			InitialInterval:    time.Second,
			BackoffCoefficient: 2,
			MaximumInterval:    30 * time.Second,
			MaximumAttempts:    5,
		},
	}
	cleanupOptions = workflow.ActivityOptions{
		StartToCloseTimeout: 30 * time.Second,
		RetryPolicy:         &temporal.RetryPolicy{MaximumAttempts: 3},
	}
)

// ExportWorkflow exports one lesson plan: it loads the lesson, generates the
// document into storage, and publishes it, reporting its stage through the
// progress query and its memo. It fails with an application error whose type
// is a failure.Kind.
func ExportWorkflow(ctx workflow.Context, req Request) (Result, error) {
	var a *activities.Activities
	logger := workflow.GetLogger(ctx)
	state := StageProgress(StageQueued)
	if err := workflow.SetQueryHandler(ctx, ProgressQuery, func() (Progress, error) {
		return state, nil
	}); err != nil {
		return Result{}, err
	}
	enter := func(stage string) {
		state = StageProgress(stage)
		if err := workflow.UpsertMemo(ctx, map[string]any{MemoProgress: state}); err != nil {
			logger.Warn("record stage in memo", "stage", stage, "error", err)
		}
	}
	info := workflow.GetInfo(ctx)
	exportID := info.WorkflowExecution.ID
	queueTimeout := req.QueueTimeout
	if queueTimeout <= 0 {
		queueTimeout = DefaultQueueTimeout
	}
	withQueue := func(o workflow.ActivityOptions) workflow.Context {
		o.ScheduleToStartTimeout = queueTimeout
		return workflow.WithActivityOptions(ctx, o)
	}
	watchSlow(ctx, req, exportID)
	outcome := activities.Outcome{
		ExportID: exportID, UserID: req.UserID, LessonID: req.LessonID, Format: req.Format,
		StartedAt: info.WorkflowStartTime, RequestID: req.RequestID,
	}

	enter(StageLoading)
	var ref activities.LessonRef
	err := workflow.ExecuteActivity(withQueue(loadOptions),
		a.LoadLesson, activities.LoadInput{
			UserID: req.UserID, LessonID: req.LessonID, Format: req.Format,
		}).Get(ctx, &ref)
	if err != nil {
		return Result{}, fail(ctx, err, "", outcome)
	}

	enter(StageRendering)
	var staged activities.StagedFile
	err = workflow.ExecuteActivity(withQueue(generateOptions),
		a.GenerateDocument, activities.GenerateInput{
			ExportID: exportID, UserID: req.UserID, Lesson: ref,
		}).Get(ctx, &staged)
	if err != nil {
		return Result{}, fail(ctx, err, activities.StagingKey(exportID, formats.Format(ref.Format)), outcome)
	}

	enter(StageSaving)
	var stored activities.StoredFile
	err = workflow.ExecuteActivity(withQueue(storeOptions),
		a.StoreDocument, activities.StoreInput{
			ExportID: exportID, UserID: req.UserID, Lesson: ref, Staged: staged,
		}).Get(ctx, &stored)
	if err != nil {
		return Result{}, fail(ctx, err, staged.Key, outcome)
	}

	result := Result{
		Key:         stored.Key,
		FileName:    stored.FileName,
		Format:      ref.Format,
		Size:        stored.Size,
		SHA256:      stored.SHA256,
		CompletedAt: workflow.Now(ctx).UTC(),
	}
	state = StageProgress(StageCompleted)
	if err := workflow.UpsertMemo(ctx, map[string]any{
		MemoProgress: state, MemoResult: result,
	}); err != nil {
		logger.Warn("record result in memo", "error", err)
	}
	outcome.Status, outcome.SizeBytes = activities.StatusCompleted, result.Size
	record(ctx, outcome)
	return result, nil
}

// watchSlow reports an export that is still running when its slow
// threshold passes. The timer goes with the workflow when it ends.
func watchSlow(ctx workflow.Context, req Request, exportID string) {
	threshold := req.SlowThreshold
	if threshold <= 0 {
		threshold = DefaultSlowThreshold
	}
	workflow.Go(ctx, func(ctx workflow.Context) {
		if err := workflow.NewTimer(ctx, threshold).Get(ctx, nil); err != nil {
			return
		}
		elapsed := workflow.Now(ctx).Sub(workflow.GetInfo(ctx).WorkflowStartTime)
		workflow.GetLogger(ctx).Warn("export is taking longer than expected",
			"event", "slow_export_detected", "task_id", exportID, "user_id", req.UserID,
			"request_id", req.RequestID,
			"lesson_id", req.LessonID, "format", req.Format,
			"duration_seconds", elapsed.Seconds(), "threshold_seconds", threshold.Seconds())
	})
}

// record reports a finished export to the worker's metrics and alert log,
// through a local activity, so that replays do not count it twice.
func record(ctx workflow.Context, o activities.Outcome) {
	var a *activities.Activities
	o.FinishedAt = workflow.Now(ctx)
	dctx, cancel := workflow.NewDisconnectedContext(ctx)
	defer cancel()
	dctx = workflow.WithLocalActivityOptions(dctx, workflow.LocalActivityOptions{
		StartToCloseTimeout: 5 * time.Second,
		RetryPolicy:         &temporal.RetryPolicy{MaximumAttempts: 2},
	})
	if err := workflow.ExecuteLocalActivity(dctx, a.RecordOutcome, o).Get(dctx, nil); err != nil {
		workflow.GetLogger(ctx).Warn("record export outcome", "error", err)
	}
}

// fail ends the workflow after a failed step: it removes what the step may
// have staged, records the failure in the memo, and returns the error the
// workflow fails with. A cancelled export stays cancelled.
func fail(ctx workflow.Context, err error, staged string, o activities.Outcome) error {
	logger := workflow.GetLogger(ctx)
	if staged != "" {
		var a *activities.Activities
		dctx, cancel := workflow.NewDisconnectedContext(ctx)
		defer cancel()
		dctx = workflow.WithActivityOptions(dctx, cleanupOptions)
		if derr := workflow.ExecuteActivity(dctx, a.DiscardDocument, staged).Get(dctx, nil); derr != nil {
			logger.Warn("discard staged document", "key", staged, "error", derr)
		}
	}
	var canceled *temporal.CanceledError
	if errors.As(err, &canceled) || errors.Is(ctx.Err(), workflow.ErrCanceled) {
		o.Status = activities.StatusCancelled
		record(ctx, o)
		return temporal.NewCanceledError()
	}
	kind := failure.Of(err)
	message := failure.Message(err)
	o.Status, o.ErrorType, o.ErrorMessage = activities.StatusFailed, string(kind), message
	o.ErrorClass = failure.Class(err)
	o.QueueTimedOut = failure.QueueTimeout(err)
	if o.QueueTimedOut {
		message = "the export waited too long for a free worker"
		o.ErrorMessage = message
	}
	dctx, cancel := workflow.NewDisconnectedContext(ctx)
	defer cancel()
	if merr := workflow.UpsertMemo(dctx, map[string]any{
		MemoError: Failure{Type: string(kind), Message: message},
	}); merr != nil {
		logger.Warn("record failure in memo", "error", merr)
	}
	record(ctx, o)
	return temporal.NewNonRetryableApplicationError(message, string(kind), err)
}
