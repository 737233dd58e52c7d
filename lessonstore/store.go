package lessonstore

import (
	"context"
	"errors"
	"time"

	"lessonexport/lesson"
)

// Sentinel errors; test for them with errors.Is.
var (
	// ErrNotFound reports a lesson that does not exist or belongs to
	// another owner; the two are indistinguishable on purpose.
	ErrNotFound = errors.New("lesson not found")
	// ErrExists reports that Create was given the ID of an existing lesson.
	ErrExists = errors.New("lesson already exists")
	// ErrInvalid reports a lesson that cannot be stored, such as one
	// without an owner or plan.
	ErrInvalid = errors.New("invalid lesson")
)

// Sources of a lesson plan, the values of Lesson.Source.
const (
	// SourceJSON marks a plan submitted as JSON.
	SourceJSON = "json"
	// SourceMarkdown marks a plan imported from Markdown.
	SourceMarkdown = "markdown"
)

// IDPrefix starts every lesson ID that Create assigns.
const IDPrefix = "les_"

// MaxIDLength is the longest lesson ID, in bytes, that Create accepts.
const MaxIDLength = 128

// List limits.
const (
	// DefaultListLimit is the page size List uses when limit is zero or
	// negative.
	DefaultListLimit = 50
	// MaxListLimit is the largest page List returns; larger limits are
	// lowered to it.
	MaxListLimit = 500
)

// Lesson is a stored lesson plan with its owner and bookkeeping.
type Lesson struct {
	// ID identifies the lesson; Create assigns one when it is empty.
	ID string
	// Owner is the user the lesson belongs to.
	Owner string
	// Plan is the lesson plan; its ID always equals the lesson's.
	Plan *lesson.Plan
	// Source is SourceJSON or SourceMarkdown.
	Source string
	// Revision is 1 after Create and grows by one with each Update.
	Revision int
	// CreatedAt and UpdatedAt are in UTC, truncated to microseconds.
	CreatedAt, UpdatedAt time.Time
}

// Store keeps lessons. Every method that takes an owner acts only on that
// owner's lessons. Implementations are safe for concurrent use.
type Store interface {
	// Create stores a new lesson. It sets CreatedAt and UpdatedAt to now,
	// Revision to 1, assigns an ID when l.ID is empty and sets l.Plan.ID
	// to l.ID. An ID in use gives ErrExists.
	Create(ctx context.Context, l *Lesson) error
	// Get returns the owner's lesson with the given id, or ErrNotFound.
	Get(ctx context.Context, owner, id string) (*Lesson, error)
	// List returns a page of the owner's lessons, newest first (by
	// creation time, then by ID).
	List(ctx context.Context, owner string, limit, offset int) ([]*Lesson, error)
	// Update replaces the plan and source of the lesson l.ID of l.Owner,
	// increments its Revision and sets UpdatedAt, reporting the stored
	// values back in l. A missing lesson or one of another owner gives
	// ErrNotFound.
	Update(ctx context.Context, l *Lesson) error
	// Delete removes the owner's lesson with the given id, or returns
	// ErrNotFound.
	Delete(ctx context.Context, owner, id string) error
	// Ping checks that the database is reachable.
	Ping(ctx context.Context) error
	// Close releases the database.
	Close() error
}
