package workflows_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"go.temporal.io/sdk/activity"
	"go.temporal.io/sdk/converter"
	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/testsuite"

	"lessonexport/activities"
	"lessonexport/failure"
	"lessonexport/lesson"
	"lessonexport/lessonstore"
	"lessonexport/storage"
	"lessonexport/workflows"
)

// memLessons is an in-memory lesson store.
type memLessons struct {
	mu      sync.Mutex
	lessons map[string]*lessonstore.Lesson
}

func (m *memLessons) Create(_ context.Context, l *lessonstore.Lesson) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	l.Revision = 1
	m.lessons[l.ID] = l
	return nil
}

func (m *memLessons) Get(_ context.Context, owner, id string) (*lessonstore.Lesson, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	l, ok := m.lessons[id]
	if !ok || l.Owner != owner {
		return nil, lessonstore.ErrNotFound
	}
	return l, nil
}

func (m *memLessons) List(context.Context, string, int, int) ([]*lessonstore.Lesson, error) {
	return nil, nil
}
func (m *memLessons) Update(context.Context, *lessonstore.Lesson) error { return nil }
func (m *memLessons) Delete(context.Context, string, string) error      { return nil }
func (m *memLessons) Ping(context.Context) error                        { return nil }
func (m *memLessons) Close() error                                      { return nil }

// flakyFiles fails the first failSaves saves, as a full or flaky disk would.
type flakyFiles struct {
	*storage.Local
	failSaves atomic.Int32
	saves     atomic.Int32
}

func (f *flakyFiles) Save(ctx context.Context, key string, r io.Reader) (storage.Info, error) {
	f.saves.Add(1)
	if f.failSaves.Add(-1) >= 0 {
		_, _ = io.Copy(io.Discard, r)
		return storage.Info{}, errors.New("disk hiccup")
	}
	return f.Local.Save(ctx, key, r)
}

type fixture struct {
	env     *testsuite.TestWorkflowEnvironment
	files   *flakyFiles
	lessons *memLessons
}

func newFixture(t *testing.T) *fixture {
	t.Helper()
	local, err := storage.NewLocal(t.TempDir(), storage.Options{})
	if err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile("../testdata/examples/my-family.json")
	if err != nil {
		t.Fatal(err)
	}
	var plan lesson.Plan
	if err := json.Unmarshal(data, &plan); err != nil {
		t.Fatal(err)
	}
	bad := plan
	bad.Title = ""
	lessons := &memLessons{lessons: map[string]*lessonstore.Lesson{
		"les_family": {ID: "les_family", Owner: "alice", Plan: &plan},
		"les_bad":    {ID: "les_bad", Owner: "alice", Plan: &bad},
	}}
	files := &flakyFiles{Local: local}
	var suite testsuite.WorkflowTestSuite
	env := suite.NewTestWorkflowEnvironment()
	env.RegisterWorkflow(workflows.ExportWorkflow)
	env.RegisterActivity(&activities.Activities{Lessons: lessons, Files: files,
		HeartbeatInterval: 10 * time.Millisecond})
	return &fixture{env: env, files: files, lessons: lessons}
}

func TestExportWorkflowStoresTheDocumentAndReturnsItsClaimCheck(t *testing.T) {
	f := newFixture(t)
	var mu sync.Mutex
	seen := map[string]string{}
	f.env.SetOnActivityStartedListener(func(info *activity.Info, _ context.Context, _ converter.EncodedValues) {
		v, err := f.env.QueryWorkflow(workflows.ProgressQuery)
		if err != nil {
			t.Errorf("query: %v", err)
			return
		}
		var p workflows.Progress
		if err := v.Get(&p); err != nil {
			t.Error(err)
		}
		mu.Lock()
		seen[info.ActivityType.Name] = fmt.Sprintf("%s %d", p.Stage, p.Progress)
		mu.Unlock()
	})
	f.env.ExecuteWorkflow(workflows.ExportWorkflow, workflows.Request{
		UserID: "alice", LessonID: "les_family", Format: "pdf",
	})
	if !f.env.IsWorkflowCompleted() {
		t.Fatal("workflow did not complete")
	}
	if err := f.env.GetWorkflowError(); err != nil {
		t.Fatalf("workflow failed: %v", err)
	}
	var r workflows.Result
	if err := f.env.GetWorkflowResult(&r); err != nil {
		t.Fatal(err)
	}
	if r.Format != "pdf" || r.Size <= 0 || len(r.SHA256) != 64 {
		t.Fatalf("result = %+v", r)
	}
	file, info, err := f.files.Open(r.Key)
	if err != nil {
		t.Fatalf("open stored %s: %v", r.Key, err)
	}
	defer file.Close()
	head := make([]byte, 5)
	if _, err := io.ReadFull(file, head); err != nil || string(head) != "%PDF-" {
		t.Fatalf("stored file starts %q (%v)", head, err)
	}
	if info.Size != r.Size {
		t.Fatalf("stored size %d, result says %d", info.Size, r.Size)
	}
	if ok, _ := f.files.Exists(activities.StagingKey("default-test-workflow-id", "pdf")); ok {
		t.Fatal("the staging file is still there")
	}
	want := map[string]string{
		"LoadLesson": "loading 10", "GenerateDocument": "rendering 30", "StoreDocument": "saving 90",
	}
	for name, stage := range want {
		if seen[name] != stage {
			t.Errorf("progress while %s ran = %q, want %q", name, seen[name], stage)
		}
	}
	v, err := f.env.QueryWorkflow(workflows.ProgressQuery)
	if err != nil {
		t.Fatal(err)
	}
	var p workflows.Progress
	if err := v.Get(&p); err != nil || p.Stage != workflows.StageCompleted || p.Progress != 100 {
		t.Fatalf("final progress = %+v (%v)", p, err)
	}
}

func failureOf(t *testing.T, err error) (*temporal.ApplicationError, bool) {
	t.Helper()
	var app *temporal.ApplicationError
	if !errors.As(err, &app) {
		return nil, false
	}
	return app, true
}

func TestExportWorkflowFailsAtOnceOnInvalidInput(t *testing.T) {
	cases := []struct{ name, lesson, format string }{
		{"unknown lesson", "les_missing", "pdf"},
		{"someone else's lesson", "les_family", "pdf"},
		{"invalid plan", "les_bad", "word"},
		{"unknown format", "les_family", "odt"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			f := newFixture(t)
			user := "alice"
			if tc.name == "someone else's lesson" {
				user = "bob"
			}
			attempts := 0
			f.env.SetOnActivityStartedListener(func(*activity.Info, context.Context, converter.EncodedValues) {
				attempts++
			})
			f.env.ExecuteWorkflow(workflows.ExportWorkflow, workflows.Request{
				UserID: user, LessonID: tc.lesson, Format: tc.format,
			})
			err := f.env.GetWorkflowError()
			app, ok := failureOf(t, err)
			if !ok || app.Type() != string(failure.Validation) {
				t.Fatalf("error = %v, want a validation application error", err)
			}
			if attempts != 1 {
				t.Fatalf("load ran %d times, want 1: bad input must not be retried", attempts)
			}
			if f.files.saves.Load() != 0 {
				t.Fatal("a file was written for bad input")
			}
		})
	}
}

func TestExportWorkflowRetriesATransientStorageError(t *testing.T) {
	f := newFixture(t)
	f.files.failSaves.Store(1)
	f.env.ExecuteWorkflow(workflows.ExportWorkflow, workflows.Request{
		UserID: "alice", LessonID: "les_family", Format: "word",
	})
	if err := f.env.GetWorkflowError(); err != nil {
		t.Fatalf("workflow failed: %v", err)
	}
	if got := f.files.saves.Load(); got != 2 {
		t.Fatalf("saves = %d, want 2 (one failure, one retry)", got)
	}
	var r workflows.Result
	if err := f.env.GetWorkflowResult(&r); err != nil || r.Size == 0 {
		t.Fatalf("result %+v, %v", r, err)
	}
}

func TestExportWorkflowGivesUpOnStorageThatKeepsFailing(t *testing.T) {
	f := newFixture(t)
	f.files.failSaves.Store(100)
	f.env.ExecuteWorkflow(workflows.ExportWorkflow, workflows.Request{
		UserID: "alice", LessonID: "les_family", Format: "markdown",
	})
	app, ok := failureOf(t, f.env.GetWorkflowError())
	if !ok || app.Type() != string(failure.Storage) {
		t.Fatalf("error = %v, want a storage failure", f.env.GetWorkflowError())
	}
	if got := f.files.saves.Load(); got != 3 {
		t.Fatalf("saves = %d, want 3 (the retry policy's maximum)", got)
	}
}

// blockingFiles holds every save until the context is cancelled.
type blockingFiles struct {
	*flakyFiles
	started chan struct{}
}

func (b *blockingFiles) Save(ctx context.Context, key string, r io.Reader) (storage.Info, error) {
	close(b.started)
	<-ctx.Done()
	return storage.Info{}, ctx.Err()
}

func TestExportWorkflowCancelledWhileGeneratingStopsAndCleansUp(t *testing.T) {
	f := newFixture(t)
	blocking := &blockingFiles{flakyFiles: f.files, started: make(chan struct{})}
	var suite testsuite.WorkflowTestSuite
	env := suite.NewTestWorkflowEnvironment()
	env.RegisterWorkflow(workflows.ExportWorkflow)
	env.RegisterActivity(&activities.Activities{Lessons: f.lessons, Files: blocking,
		HeartbeatInterval: 10 * time.Millisecond})
	discarded := false
	env.SetOnActivityStartedListener(func(info *activity.Info, _ context.Context, _ converter.EncodedValues) {
		if info.ActivityType.Name == "DiscardDocument" {
			discarded = true
		}
	})
	env.RegisterDelayedCallback(func() {
		<-blocking.started
		env.CancelWorkflow()
	}, time.Second)
	env.ExecuteWorkflow(workflows.ExportWorkflow, workflows.Request{
		UserID: "alice", LessonID: "les_family", Format: "pptx",
	})
	err := env.GetWorkflowError()
	var canceled *temporal.CanceledError
	if !errors.As(err, &canceled) {
		t.Fatalf("error = %v, want cancellation", err)
	}
	if !discarded {
		t.Fatal("the staged document was not discarded")
	}
}
