package activities

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"sync/atomic"
	"time"

	"go.temporal.io/sdk/activity"
	"go.temporal.io/sdk/temporal"

	"lessonexport/alertlog"
	"lessonexport/failure"
	"lessonexport/formats"
	"lessonexport/lesson"
	"lessonexport/lessonstore"
	"lessonexport/metrics"
	"lessonexport/storage"
)

// FileStore is the storage the activities write documents to.
type FileStore interface {
	Save(ctx context.Context, key string, r io.Reader) (storage.Info, error)
	Move(ctx context.Context, from, to string) error
	Stat(key string) (storage.Info, error)
	Delete(key string) error
}

// Activities holds the dependencies of the export activities. Register a
// *Activities with a worker; its exported methods are the activities.
type Activities struct {
	Lessons lessonstore.Store
	Files   FileStore
	// Metrics, when set, receives the export metrics.
	Metrics *metrics.Metrics
	// MaxConcurrent is the worker's cap on export activities, for logs.
	MaxConcurrent int
	// HeartbeatInterval is how often a running generation reports that it
	// is alive. Zero means every two seconds.
	HeartbeatInterval time.Duration
	// Write renders a plan as a format into w; nil means formats.Write.
	// Tests replace it to make generation slow or fail.
	Write func(ctx context.Context, w io.Writer, f formats.Format, p *lesson.Plan) error

	active atomic.Int64
}

// LoadInput names the lesson an export is of.
type LoadInput struct {
	UserID   string
	LessonID string
	Format   string
}

// LessonRef identifies a loaded, valid lesson: small enough for workflow
// history, unlike the plan itself.
type LessonRef struct {
	LessonID string
	Revision int
	Title    string
	Level    string
	// Format is the canonical name of the export format.
	Format string
}

// GenerateInput asks for one document.
type GenerateInput struct {
	ExportID string
	UserID   string
	Lesson   LessonRef
}

// StagedFile is a generated document waiting in storage to be published.
type StagedFile struct {
	Key    string
	Size   int64
	SHA256 string
}

// StoreInput asks for a staged document to be published.
type StoreInput struct {
	ExportID string
	UserID   string
	Lesson   LessonRef
	Staged   StagedFile
}

// StoredFile is a published document: the claim check the workflow returns
// instead of the document's bytes.
type StoredFile struct {
	Key      string
	FileName string
	Size     int64
	SHA256   string
}

// GenerateProgress is what the activities report in their heartbeats: the
// stage they are in and, while generating, the bytes written so far.
type GenerateProgress struct {
	Stage string
	Bytes int64
}

// LoadLesson checks that the lesson exists, belongs to the user and is a
// valid plan, and that the format is known. Its failures are validation
// failures, which Temporal does not retry.
func (a *Activities) LoadLesson(ctx context.Context, in LoadInput) (LessonRef, error) {
	defer a.track()()
	defer a.keepAlive(ctx, "loading", nil)()
	f, err := formats.Parse(in.Format)
	if err != nil {
		return LessonRef{}, failure.NewError(failure.Validation, err.Error(), nil)
	}
	l, err := a.lesson(ctx, in.UserID, in.LessonID)
	if err != nil {
		return LessonRef{}, err
	}
	return LessonRef{
		LessonID: l.ID,
		Revision: l.Revision,
		Title:    l.Plan.Title,
		Level:    l.Plan.Level,
		Format:   string(f),
	}, nil
}

// GenerateDocument renders the lesson and writes the document to a staging
// key derived from the export ID, heartbeating as it goes. Cancelling the
// activity stops the generation and leaves no file behind.
func (a *Activities) GenerateDocument(ctx context.Context, in GenerateInput) (StagedFile, error) {
	defer a.track()()
	f, err := formats.Parse(in.Lesson.Format)
	if err != nil {
		return StagedFile{}, failure.NewError(failure.Validation, err.Error(), nil)
	}
	l, err := a.lesson(ctx, in.UserID, in.Lesson.LessonID)
	if err != nil {
		return StagedFile{}, err
	}

	var written atomic.Int64
	defer a.keepAlive(ctx, "generating", &written)()
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()

	key := StagingKey(in.ExportID, f)
	pr, pw := io.Pipe()
	genErr := make(chan error, 1)
	go func() {
		write := a.Write
		if write == nil {
			write = formats.Write
		}
		err := write(ctx, &countingWriter{w: pw, n: &written}, f, l.Plan)
		pw.CloseWithError(err)
		genErr <- err
	}()
	info, saveErr := a.Files.Save(ctx, key, pr)
	pr.CloseWithError(errors.New("storage stopped reading"))
	gerr := <-genErr

	switch {
	case ctx.Err() != nil:
		// Cancelled or timed out: the activity's own context says which.
		return StagedFile{}, ctx.Err()
	case gerr != nil && errors.Is(gerr, formats.ErrGeneration):
		return StagedFile{}, failure.NewError(failure.Generation, "the document could not be generated", gerr)
	case saveErr != nil && errors.Is(saveErr, storage.ErrTooLarge):
		return StagedFile{}, temporal.NewNonRetryableApplicationError(
			"the document is larger than storage allows", string(failure.Storage), saveErr)
	case saveErr != nil:
		return StagedFile{}, failure.NewError(failure.Storage, "the document could not be stored", saveErr)
	case gerr != nil:
		return StagedFile{}, failure.NewError(failure.Storage, "the document could not be stored", gerr)
	}
	return StagedFile{Key: key, Size: info.Size, SHA256: info.SHA256}, nil
}

// StoreDocument publishes a staged document under its final key. Run again
// after it succeeded, it finds the published file and reports it again.
func (a *Activities) StoreDocument(ctx context.Context, in StoreInput) (StoredFile, error) {
	defer a.track()()
	defer a.keepAlive(ctx, "saving", nil)()
	f, err := formats.Parse(in.Lesson.Format)
	if err != nil {
		return StoredFile{}, failure.NewError(failure.Validation, err.Error(), nil)
	}
	key := FinalKey(in.ExportID, in.Lesson.Title, in.Lesson.Level, f)
	out := StoredFile{
		Key:      key,
		FileName: storage.FileName(in.Lesson.Title, in.Lesson.Level, "", f.Extension()),
		Size:     in.Staged.Size,
		SHA256:   in.Staged.SHA256,
	}
	err = a.Files.Move(ctx, in.Staged.Key, key)
	if errors.Is(err, storage.ErrNotFound) {
		// A retry after a move that succeeded but whose result was lost.
		info, statErr := a.Files.Stat(key)
		if statErr == nil && info.Size == in.Staged.Size {
			return out, nil
		}
		return StoredFile{}, failure.NewError(failure.Storage, "the generated document is gone", err)
	}
	if err != nil {
		return StoredFile{}, failure.NewError(failure.Storage, "the document could not be stored", err)
	}
	logger(ctx, in.UserID, "").Info("document saved", "event", alertlog.FileSaved,
		alertlog.Format, string(f), alertlog.SizeBytes, out.Size)
	return out, nil
}

// DiscardDocument removes a staged document of a failed or cancelled
// export. A file that is already gone is no error.
func (a *Activities) DiscardDocument(ctx context.Context, key string) error {
	err := a.Files.Delete(key)
	if errors.Is(err, storage.ErrNotFound) {
		return nil
	}
	if err != nil {
		return failure.NewError(failure.Storage, "the staged document could not be removed", err)
	}
	logger(ctx, "", "").Info("staged document deleted", "event", alertlog.FileDeleted, "key", key)
	return nil
}

// StagingKey is where the document of an export is generated.
func StagingKey(exportID string, f formats.Format) string {
	return "staging/" + exportID + f.Extension()
}

// FinalKey is where the document of an export is published: under its
// format, named after the lesson, with a short ID derived from the export ID
// so that a retried activity writes the same key.
func FinalKey(exportID, title, level string, f formats.Format) string {
	sum := sha256.Sum256([]byte(exportID))
	id := hex.EncodeToString(sum[:4])
	return string(f) + "/" + storage.FileName(title, level, id, f.Extension())
}

func (a *Activities) lesson(ctx context.Context, user, id string) (*lessonstore.Lesson, error) {
	l, err := a.Lessons.Get(ctx, user, id)
	if errors.Is(err, lessonstore.ErrNotFound) {
		return nil, failure.NewError(failure.Validation, fmt.Sprintf("lesson %q not found", id), nil)
	}
	if err != nil {
		return nil, failure.NewError(failure.Storage, "the lesson could not be read", err)
	}
	if err := l.Plan.Validate(); err != nil {
		var verr *lesson.ValidationError
		if errors.As(err, &verr) {
			return nil, failure.NewError(failure.Validation, "the lesson plan is invalid: "+err.Error(), nil)
		}
		return nil, failure.NewError(failure.Validation, err.Error(), nil)
	}
	return l, nil
}

// keepAlive heartbeats with the stage (and the bytes written so far, when
// written is set) until the returned function runs, so that a worker that
// dies in the middle of a step is noticed within the heartbeat timeout
// rather than the step's whole time limit. The heartbeats also carry
// cancellation to the activity. The returned function waits for the last
// heartbeat, so none is recorded after the activity returned.
func (a *Activities) keepAlive(ctx context.Context, stage string, written *atomic.Int64) func() {
	every := a.HeartbeatInterval
	if every <= 0 {
		every = 2 * time.Second
	}
	if written == nil {
		written = new(atomic.Int64)
	}
	stop, done := make(chan struct{}), make(chan struct{})
	activity.RecordHeartbeat(ctx, GenerateProgress{Stage: stage})
	go func() {
		defer close(done)
		t := time.NewTicker(every)
		defer t.Stop()
		for {
			select {
			case <-stop:
				return
			case <-ctx.Done():
				return
			case <-t.C:
				activity.RecordHeartbeat(ctx, GenerateProgress{Stage: stage, Bytes: written.Load()})
			}
		}
	}()
	return func() {
		close(stop)
		<-done
	}
}

type countingWriter struct {
	w io.Writer
	n *atomic.Int64
}

func (c *countingWriter) Write(p []byte) (int, error) {
	n, err := c.w.Write(p)
	c.n.Add(int64(n))
	return n, err
}
