package exports

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	commonpb "go.temporal.io/api/common/v1"
	enumspb "go.temporal.io/api/enums/v1"
	"go.temporal.io/api/operatorservice/v1"
	"go.temporal.io/api/serviceerror"
	taskqueuepb "go.temporal.io/api/taskqueue/v1"
	workflowpb "go.temporal.io/api/workflow/v1"
	"go.temporal.io/api/workflowservice/v1"
	"go.temporal.io/sdk/client"
	"go.temporal.io/sdk/converter"
	"go.temporal.io/sdk/temporal"

	"lessonexport/activities"
	"lessonexport/workflows"
)

// Errors the service returns, for the web layer to map to status codes.
var (
	// ErrNotFound: no such export, or not the caller's.
	ErrNotFound = errors.New("export not found")
	// ErrConflict: the export is in a state that does not allow the action.
	ErrConflict = errors.New("export conflict")
	// ErrBadPageToken: a listing's page token is not one List returned.
	ErrBadPageToken = errors.New("bad page token")
	// ErrBusy: too many exports wait for a worker slot already.
	ErrBusy = errors.New("too many exports waiting")
	// ErrUnavailable: Temporal cannot be reached.
	ErrUnavailable = errors.New("temporal unavailable")
)

// Statuses of an export, as the API reports them.
const (
	StatusQueued     = "queued"
	StatusProcessing = "processing"
	StatusCompleted  = "completed"
	StatusFailed     = "failed"
	StatusCancelled  = "cancelled"
)

// Export is the export resource of the HTTP API.
type Export struct {
	ID          string     `json:"id"`
	LessonID    string     `json:"lesson_id"`
	Format      string     `json:"format"`
	Status      string     `json:"status"`
	Stage       string     `json:"stage"`
	Progress    int        `json:"progress"`
	Message     string     `json:"message"`
	Error       *Failure   `json:"error,omitempty"`
	FileName    string     `json:"file_name,omitempty"`
	FileSize    int64      `json:"file_size,omitempty"`
	SHA256      string     `json:"sha256,omitempty"`
	DownloadURL string     `json:"download_url,omitempty"`
	CreatedAt   time.Time  `json:"created_at"`
	CompletedAt *time.Time `json:"completed_at,omitempty"`

	// UserID owns the export; Key is where its file is stored.
	UserID string `json:"-"`
	Key    string `json:"-"`
}

// Failure says why an export failed.
type Failure = workflows.Failure

// Page is one page of a listing.
type Page struct {
	Exports       []*Export `json:"exports"`
	NextPageToken string    `json:"next_page_token,omitempty"`
}

// Service talks to Temporal on behalf of the web server.
type Service struct {
	Client    client.Client
	Namespace string
	// BasePath prefixes download URLs; empty means /api/v1/exports.
	BasePath string
	// QueueTimeout and SlowThreshold go to every export's workflow; zero
	// means the workflow's defaults.
	QueueTimeout  time.Duration
	SlowThreshold time.Duration
	// MaxQueued, when positive, refuses new exports with ErrBusy while more
	// than that many wait for a worker slot.
	MaxQueued int64

	mu          sync.Mutex
	backlog     int64
	backlogRead time.Time
	// downUntil is when to try Temporal again after it was unreachable;
	// until then calls fail at once instead of waiting out the SDK's
	// timeout.
	downUntil atomic.Int64
}

// failFastFor is how long calls fail at once after Temporal was found
// unreachable.
const failFastFor = 2 * time.Second

func (s *Service) reachable() error {
	if time.Now().UnixNano() < s.downUntil.Load() {
		return fmt.Errorf("%w: it did not answer a moment ago", ErrUnavailable)
	}
	return nil
}

// CreateRequest asks for a new export.
type CreateRequest struct {
	UserID   string
	LessonID string
	Format   string
	// IdempotencyKey, when set, makes a repeated request return the export
	// the first one started.
	IdempotencyKey string
	// RequestID is the HTTP request's ID, for the worker's log lines.
	RequestID string
}

// Create starts an export. With an idempotency key it starts at most one
// export per user and key, and a repeat that asks for something else is a
// conflict.
func (s *Service) Create(ctx context.Context, req CreateRequest) (*Export, error) {
	if err := s.reachable(); err != nil {
		return nil, err
	}
	if err := s.admit(ctx); err != nil {
		return nil, err
	}
	id := NewID()
	if req.IdempotencyKey != "" {
		id = idempotentID(req.UserID, req.IdempotencyKey)
	}
	now := time.Now().UTC()
	run, err := s.start(ctx, id, req, enumspb.WORKFLOW_ID_REUSE_POLICY_REJECT_DUPLICATE)
	if err != nil {
		return nil, err
	}
	if req.IdempotencyKey == "" {
		return &Export{
			ID: id, LessonID: req.LessonID, Format: req.Format, UserID: req.UserID,
			Status: StatusQueued, Stage: workflows.StageQueued,
			Message: workflows.StageProgress(workflows.StageQueued).Message, CreatedAt: now,
		}, nil
	}
	_ = run
	e, err := s.Get(ctx, req.UserID, id)
	if err != nil {
		return nil, err
	}
	if e.LessonID != req.LessonID || e.Format != req.Format {
		return nil, fmt.Errorf("%w: the idempotency key was used for another export", ErrConflict)
	}
	return e, nil
}

func (s *Service) start(ctx context.Context, id string, req CreateRequest,
	reuse enumspb.WorkflowIdReusePolicy) (client.WorkflowRun, error) {
	opts := client.StartWorkflowOptions{
		ID:                       id,
		TaskQueue:                workflows.TaskQueue,
		WorkflowExecutionTimeout: 2 * time.Hour,
		WorkflowIDReusePolicy:    reuse,
		WorkflowIDConflictPolicy: enumspb.WORKFLOW_ID_CONFLICT_POLICY_USE_EXISTING,
		Memo: map[string]any{
			workflows.MemoUser:   req.UserID,
			workflows.MemoLesson: req.LessonID,
			workflows.MemoFormat: req.Format,
		},
		TypedSearchAttributes: temporal.NewSearchAttributes(
			temporal.NewSearchAttributeKeyKeyword(workflows.SearchUser).ValueSet(UserKey(req.UserID)),
			temporal.NewSearchAttributeKeyKeyword(workflows.SearchLesson).ValueSet(req.LessonID),
			temporal.NewSearchAttributeKeyKeyword(workflows.SearchFormat).ValueSet(req.Format),
		),
	}
	run, err := s.Client.ExecuteWorkflow(ctx, opts, workflows.ExportWorkflow, workflows.Request{
		UserID: req.UserID, LessonID: req.LessonID, Format: req.Format,
		QueueTimeout: s.QueueTimeout, SlowThreshold: s.SlowThreshold, RequestID: req.RequestID,
	})
	if err != nil {
		// A start that timed out may have reached Temporal all the same;
		// if it did, the export exists and is what the client gets.
		if errors.Is(err, context.DeadlineExceeded) || isDeadline(err) {
			dctx, cancel := context.WithTimeout(context.Background(), 3*time.Second)
			defer cancel()
			if _, derr := s.Client.DescribeWorkflowExecution(dctx, id, ""); derr == nil {
				return s.Client.GetWorkflow(dctx, id, ""), nil
			}
		}
		return nil, s.wrap("start export", err)
	}
	return run, nil
}

// admit refuses a new export while the backlog is above MaxQueued. The
// backlog is read at most once a second; if it cannot be read, the export
// is admitted and starting it reports what is wrong.
func (s *Service) admit(ctx context.Context) error {
	if s.MaxQueued <= 0 {
		return nil
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if time.Since(s.backlogRead) > time.Second {
		qctx, cancel := context.WithTimeout(ctx, 3*time.Second)
		n, err := Backlog(qctx, s.Client, s.Namespace)
		cancel()
		if err != nil {
			return nil
		}
		s.backlog, s.backlogRead = n, time.Now()
	}
	if s.backlog > s.MaxQueued {
		return fmt.Errorf("%w: %d exports wait for a worker, the limit is %d", ErrBusy, s.backlog, s.MaxQueued)
	}
	return nil
}

// Get describes one of the user's exports.
func (s *Service) Get(ctx context.Context, user, id string) (*Export, error) {
	if !ValidID(id) {
		return nil, ErrNotFound
	}
	if err := s.reachable(); err != nil {
		return nil, err
	}
	resp, err := s.Client.DescribeWorkflowExecution(ctx, id, "")
	if err != nil {
		return nil, s.wrap("describe export", err)
	}
	e, err := s.fromInfo(resp.GetWorkflowExecutionInfo())
	if err != nil || e.UserID != user {
		return nil, ErrNotFound
	}
	if e.Status == StatusProcessing {
		refine(e, resp.GetPendingActivities())
	}
	return e, nil
}

// Progress asks a running export's workflow for its stage.
func (s *Service) Progress(ctx context.Context, id string) (workflows.Progress, error) {
	var p workflows.Progress
	v, err := s.Client.QueryWorkflow(ctx, id, "", workflows.ProgressQuery)
	if err != nil {
		return p, s.wrap("query export", err)
	}
	return p, v.Get(&p)
}

// List returns a page of the user's exports, newest first.
func (s *Service) List(ctx context.Context, user string, pageSize int, token string) (*Page, error) {
	if pageSize <= 0 || pageSize > 100 {
		pageSize = 20
	}
	var next []byte
	if token != "" {
		b, err := base64.RawURLEncoding.DecodeString(token)
		if err != nil {
			return nil, ErrBadPageToken
		}
		next = b
	}
	if err := s.reachable(); err != nil {
		return nil, err
	}
	ctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	resp, err := s.Client.ListWorkflow(ctx, &workflowservice.ListWorkflowExecutionsRequest{
		Namespace:     s.Namespace,
		PageSize:      int32(pageSize),
		NextPageToken: next,
		Query: fmt.Sprintf("WorkflowType = 'ExportWorkflow' AND %s = '%s'",
			workflows.SearchUser, UserKey(user)),
	})
	if err != nil {
		var unavailable *serviceerror.Unavailable
		if token != "" && !errors.As(err, &unavailable) {
			// Temporal cannot read a token it did not issue.
			return nil, ErrBadPageToken
		}
		return nil, s.wrap("list exports", err)
	}
	page := &Page{Exports: []*Export{}}
	for _, info := range resp.GetExecutions() {
		e, err := s.fromInfo(info)
		if err != nil || e.UserID != user {
			continue
		}
		// Visibility knows no pending activities; describe the exports
		// still running, so the list shows queued and generating as Get
		// does. A page holds at most 100.
		if e.Status == StatusProcessing || e.Status == StatusQueued {
			if d, derr := s.Client.DescribeWorkflowExecution(ctx, e.ID, ""); derr == nil {
				if live, ferr := s.fromInfo(d.GetWorkflowExecutionInfo()); ferr == nil {
					e = live
					if e.Status == StatusProcessing {
						refine(e, d.GetPendingActivities())
					}
				}
			}
		}
		page.Exports = append(page.Exports, e)
	}
	sort.SliceStable(page.Exports, func(i, j int) bool {
		return page.Exports[i].CreatedAt.After(page.Exports[j].CreatedAt)
	})
	if len(resp.GetNextPageToken()) > 0 {
		page.NextPageToken = base64.RawURLEncoding.EncodeToString(resp.GetNextPageToken())
	}
	return page, nil
}

// Cancel asks a queued or running export to stop.
func (s *Service) Cancel(ctx context.Context, user, id string) (*Export, error) {
	e, err := s.Get(ctx, user, id)
	if err != nil {
		return nil, err
	}
	if e.Status != StatusQueued && e.Status != StatusProcessing {
		return nil, fmt.Errorf("%w: the export is %s", ErrConflict, e.Status)
	}
	if err := s.Client.CancelWorkflow(ctx, id, ""); err != nil {
		return nil, s.wrap("cancel export", err)
	}
	return s.Get(ctx, user, id)
}

// Retry starts a failed or cancelled export again under the same ID.
func (s *Service) Retry(ctx context.Context, user, id string) (*Export, error) {
	e, err := s.Get(ctx, user, id)
	if err != nil {
		return nil, err
	}
	if e.Status != StatusFailed && e.Status != StatusCancelled {
		return nil, fmt.Errorf("%w: only a failed or cancelled export can be retried; it is %s",
			ErrConflict, e.Status)
	}
	_, err = s.start(ctx, id, CreateRequest{UserID: user, LessonID: e.LessonID, Format: e.Format},
		enumspb.WORKFLOW_ID_REUSE_POLICY_ALLOW_DUPLICATE)
	if err != nil {
		return nil, err
	}
	return s.Get(ctx, user, id)
}

// Check reports whether Temporal answers.
func (s *Service) Check(ctx context.Context) error {
	_, err := s.Client.CheckHealth(ctx, &client.CheckHealthRequest{})
	if err != nil {
		return s.wrap("check temporal", err)
	}
	s.downUntil.Store(0)
	return nil
}

// EnsureSearchAttributes registers the search attributes exports are listed
// by, where the namespace lacks them.
func EnsureSearchAttributes(ctx context.Context, c client.Client, namespace string) error {
	op := c.OperatorService()
	have, err := op.ListSearchAttributes(ctx, &operatorservice.ListSearchAttributesRequest{
		Namespace: namespace,
	})
	if err != nil {
		return fmt.Errorf("list search attributes: %w", err)
	}
	missing := map[string]enumspb.IndexedValueType{}
	for _, name := range []string{workflows.SearchUser, workflows.SearchLesson, workflows.SearchFormat} {
		if _, ok := have.GetCustomAttributes()[name]; !ok {
			missing[name] = enumspb.INDEXED_VALUE_TYPE_KEYWORD
		}
	}
	if len(missing) == 0 {
		return nil
	}
	_, err = op.AddSearchAttributes(ctx, &operatorservice.AddSearchAttributesRequest{
		Namespace: namespace, SearchAttributes: missing,
	})
	var exists *serviceerror.AlreadyExists
	if err != nil && !errors.As(err, &exists) {
		return fmt.Errorf("add search attributes: %w", err)
	}
	return nil
}

// NewID returns a new export ID: "exp_" and 32 hex digits, time-ordered.
func NewID() string {
	var b [16]byte
	ms := uint64(time.Now().UnixMilli())
	for i := 0; i < 6; i++ {
		b[i] = byte(ms >> (40 - 8*i))
	}
	_, _ = rand.Read(b[6:])
	return "exp_" + hex.EncodeToString(b[:])
}

func idempotentID(user, key string) string {
	sum := sha256.Sum256([]byte("idempotency\x00" + user + "\x00" + key))
	return "exp_" + hex.EncodeToString(sum[:16])
}

// ValidID reports whether id has the shape of an export ID.
func ValidID(id string) bool {
	if len(id) != 36 || !strings.HasPrefix(id, "exp_") {
		return false
	}
	_, err := hex.DecodeString(id[4:])
	return err == nil
}

// UserKey is the value of the user search attribute: a digest of the user
// ID, so that any ID is safe in a visibility query and none is shown there.
func UserKey(user string) string {
	sum := sha256.Sum256([]byte(user))
	return hex.EncodeToString(sum[:16])
}

func (s *Service) fromInfo(info *workflowpb.WorkflowExecutionInfo) (*Export, error) {
	if info.GetType().GetName() != "ExportWorkflow" {
		return nil, ErrNotFound
	}
	fields := info.GetMemo().GetFields()
	e := &Export{ID: info.GetExecution().GetWorkflowId()}
	decode(fields, workflows.MemoUser, &e.UserID)
	decode(fields, workflows.MemoLesson, &e.LessonID)
	decode(fields, workflows.MemoFormat, &e.Format)
	if e.UserID == "" {
		return nil, ErrNotFound
	}
	if t := info.GetStartTime(); t != nil {
		e.CreatedAt = t.AsTime().UTC()
	}
	progress := workflows.StageProgress(workflows.StageQueued)
	decode(fields, workflows.MemoProgress, &progress)
	e.Stage, e.Progress, e.Message = progress.Stage, progress.Progress, progress.Message

	switch info.GetStatus() {
	case enumspb.WORKFLOW_EXECUTION_STATUS_RUNNING:
		e.Status = StatusProcessing
		if e.Stage == workflows.StageQueued {
			e.Status = StatusQueued
		}
	case enumspb.WORKFLOW_EXECUTION_STATUS_COMPLETED:
		var r workflows.Result
		decode(fields, workflows.MemoResult, &r)
		e.Status = StatusCompleted
		p := workflows.StageProgress(workflows.StageCompleted)
		e.Stage, e.Progress, e.Message = p.Stage, p.Progress, p.Message
		e.FileName, e.FileSize, e.SHA256, e.Key = r.FileName, r.Size, r.SHA256, r.Key
		e.DownloadURL = s.basePath() + "/" + e.ID + "/download"
	case enumspb.WORKFLOW_EXECUTION_STATUS_CANCELED:
		e.Status = StatusCancelled
		e.Message = "the export was cancelled"
	case enumspb.WORKFLOW_EXECUTION_STATUS_TIMED_OUT:
		e.Status = StatusFailed
		e.Error = &Failure{Type: "timeout", Message: "the export took too long"}
		e.Message = e.Error.Message
	default:
		e.Status = StatusFailed
		f := Failure{Type: "generation", Message: "the export was stopped"}
		decode(fields, workflows.MemoError, &f)
		e.Error = &f
		e.Message = f.Message
	}
	if e.Status == StatusCompleted || e.Status == StatusFailed || e.Status == StatusCancelled {
		if t := info.GetCloseTime(); t != nil && e.Status == StatusCompleted {
			ct := t.AsTime().UTC()
			e.CompletedAt = &ct
		}
	}
	return e, nil
}

// refine corrects a running export's stage with what its pending activity
// shows: a step still waiting for a worker slot means the export is queued,
// and the generate activity's heartbeats tell rendering (nothing written
// yet) from generating. Stages only move forward: the memo never says more
// than the workflow reached, and refine only moves past it.
func refine(e *Export, pending []*workflowpb.PendingActivityInfo) {
	for _, p := range pending {
		started := p.GetState() == enumspb.PENDING_ACTIVITY_STATE_STARTED
		if !started && p.GetAttempt() <= 1 {
			e.Status = StatusQueued
			if p.GetActivityType().GetName() == "LoadLesson" {
				q := workflows.StageProgress(workflows.StageQueued)
				e.Stage, e.Progress = q.Stage, q.Progress
			}
			e.Message = "waiting for a free worker"
			continue
		}
		if p.GetActivityType().GetName() != "GenerateDocument" || !started {
			continue
		}
		var hb activities.GenerateProgress
		if p.GetHeartbeatDetails() == nil ||
			converter.GetDefaultDataConverter().FromPayloads(p.GetHeartbeatDetails(), &hb) != nil {
			continue
		}
		if hb.Stage == workflows.StageGenerating && hb.Bytes > 0 {
			g := workflows.StageProgress(workflows.StageGenerating)
			e.Stage, e.Progress, e.Message = g.Stage, g.Progress, g.Message
		}
	}
}

func decode(fields map[string]*commonpb.Payload, key string, into any) {
	if p, ok := fields[key]; ok {
		_ = converter.GetDefaultDataConverter().FromPayload(p, into)
	}
}

func (s *Service) basePath() string {
	if s.BasePath != "" {
		return s.BasePath
	}
	return "/api/v1/exports"
}

func isDeadline(err error) bool {
	var deadline *serviceerror.DeadlineExceeded
	return errors.As(err, &deadline)
}

// wrap maps Temporal's errors to the service's.
func (s *Service) wrap(action string, err error) error {
	var notFound *serviceerror.NotFound
	var unavailable *serviceerror.Unavailable
	switch {
	case errors.As(err, &notFound):
		return ErrNotFound
	case errors.As(err, &unavailable),
		strings.Contains(err.Error(), "connection refused"),
		strings.Contains(err.Error(), "failed reaching server"):
		// Temporal is down: fail the next calls at once for a moment.
		s.downUntil.Store(time.Now().Add(failFastFor).UnixNano())
		return fmt.Errorf("%s: %w: %w", action, ErrUnavailable, err)
	case isDeadline(err), errors.Is(err, context.DeadlineExceeded):
		// Temporal is slow, perhaps only busy: this call fails, the next
		// may not.
		return fmt.Errorf("%s: %w: %w", action, ErrUnavailable, err)
	}
	return fmt.Errorf("%s: %w", action, err)
}

// Backlog returns how many export tasks wait in the task queue: activities
// waiting for a worker slot and workflow tasks not yet picked up (an export
// just started waits there before it asks for its first slot). It is
// Temporal's own count of the queue's backlog, which the server caches for
// matching.TaskQueueInfoByBuildIdTTL.
func Backlog(ctx context.Context, c client.Client, namespace string) (int64, error) {
	var total int64
	for _, kind := range []enumspb.TaskQueueType{
		enumspb.TASK_QUEUE_TYPE_ACTIVITY, enumspb.TASK_QUEUE_TYPE_WORKFLOW,
	} {
		resp, err := c.WorkflowService().DescribeTaskQueue(ctx, &workflowservice.DescribeTaskQueueRequest{
			Namespace:     namespace,
			TaskQueue:     &taskqueuepb.TaskQueue{Name: workflows.TaskQueue, Kind: enumspb.TASK_QUEUE_KIND_NORMAL},
			TaskQueueType: kind,
			ReportStats:   true,
		})
		if err != nil {
			return 0, fmt.Errorf("describe task queue: %w", err)
		}
		total += resp.GetStats().GetApproximateBacklogCount()
	}
	return total, nil
}
