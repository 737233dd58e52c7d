package lessonstore

import (
	"context"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/google/uuid"

	"lessonexport/lesson"

	_ "modernc.org/sqlite" // registers the "sqlite" driver
)

// BusyTimeout is how long a connection waits for another one's write lock
// before giving up with an error.
const BusyTimeout = 5 * time.Second

// maxConns bounds the connection pool. SQLite lets one connection write at
// a time, and in WAL mode others read meanwhile; more connections than this
// would only queue on the write lock.
const maxConns = 8

// timeLayout stores times as fixed-width UTC text, so that sorting the text
// sorts the times.
const timeLayout = "2006-01-02T15:04:05.000000Z"

// migrations are the schema changes in order; the database records in
// schema_version how many it has applied.
var migrations = []string{
	`CREATE TABLE IF NOT EXISTS lessons (
		id TEXT PRIMARY KEY,
		owner TEXT NOT NULL,
		plan TEXT NOT NULL,
		source TEXT NOT NULL,
		revision INTEGER NOT NULL,
		created_at TEXT NOT NULL,
		updated_at TEXT NOT NULL
	);
	CREATE INDEX IF NOT EXISTS lessons_owner_created
		ON lessons (owner, created_at, id);`,
}

// SQLite is a Store in an SQLite database file, used through the pure-Go
// driver. It is safe for concurrent use by many goroutines; writes are
// serialized by SQLite's write lock, which waits up to BusyTimeout.
type SQLite struct {
	db  *sql.DB
	now func() time.Time
}

var _ Store = (*SQLite)(nil)

// OpenSQLite opens the lesson database at path, creating the file and its
// folder when missing, and brings its schema up to date. The database runs
// in WAL mode with foreign keys on; transactions take the write lock at
// their start. path must name a file: an in-memory database would not be
// shared between the pool's connections.
func OpenSQLite(path string) (*SQLite, error) {
	if path == "" || path == ":memory:" || strings.HasPrefix(path, "file:") {
		return nil, fmt.Errorf("open lesson database: path %q does not name a file", path)
	}
	abs, err := filepath.Abs(path)
	if err != nil {
		return nil, fmt.Errorf("open lesson database %s: %w", path, err)
	}
	if err := os.MkdirAll(filepath.Dir(abs), 0o750); err != nil {
		return nil, fmt.Errorf("open lesson database: %w", err)
	}
	db, err := sql.Open("sqlite", dsn(abs))
	if err != nil {
		return nil, fmt.Errorf("open lesson database %s: %w", path, err)
	}
	db.SetMaxOpenConns(maxConns)
	db.SetMaxIdleConns(maxConns)
	s := &SQLite{db: db, now: time.Now}
	ctx, cancel := context.WithTimeout(context.Background(), 4*BusyTimeout)
	defer cancel()
	if err := s.migrate(ctx); err != nil {
		db.Close()
		return nil, fmt.Errorf("open lesson database %s: %w", path, err)
	}
	return s, nil
}

// dsn makes the driver's data source name for an absolute file path.
func dsn(abs string) string {
	// In a URI, these characters of the path must be escaped.
	esc := strings.NewReplacer("%", "%25", "?", "%3f", "#", "%23").Replace(filepath.ToSlash(abs))
	q := []string{
		fmt.Sprintf("_pragma=busy_timeout(%d)", BusyTimeout.Milliseconds()),
		"_pragma=journal_mode(WAL)",
		"_pragma=foreign_keys(1)",
		"_txlock=immediate",
	}
	return "file:" + esc + "?" + strings.Join(q, "&")
}

// migrate applies the migrations the database lacks.
func (s *SQLite) migrate(ctx context.Context) error {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("migrate: %w", err)
	}
	defer tx.Rollback()
	if _, err := tx.ExecContext(ctx,
		`CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)`); err != nil {
		return fmt.Errorf("migrate: %w", err)
	}
	version := 0
	err = tx.QueryRowContext(ctx, `SELECT version FROM schema_version`).Scan(&version)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		_, err := tx.ExecContext(ctx, `INSERT INTO schema_version (version) VALUES (0)`)
		if err != nil {
			return fmt.Errorf("migrate: %w", err)
		}
	case err != nil:
		return fmt.Errorf("migrate: read schema version: %w", err)
	}
	if version > len(migrations) {
		return fmt.Errorf("migrate: schema version %d is newer than this program's %d",
			version, len(migrations))
	}
	for i := version; i < len(migrations); i++ {
		if _, err := tx.ExecContext(ctx, migrations[i]); err != nil {
			return fmt.Errorf("migrate to version %d: %w", i+1, err)
		}
	}
	if _, err := tx.ExecContext(ctx, `UPDATE schema_version SET version = ?`,
		len(migrations)); err != nil {
		return fmt.Errorf("migrate: %w", err)
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("migrate: %w", err)
	}
	return nil
}

// SchemaVersion returns the number of schema migrations the database has.
func (s *SQLite) SchemaVersion(ctx context.Context) (int, error) {
	var v int
	err := s.db.QueryRowContext(ctx, `SELECT version FROM schema_version`).Scan(&v)
	if err != nil {
		return 0, fmt.Errorf("read schema version: %w", err)
	}
	return v, nil
}

func (s *SQLite) stamp() time.Time {
	return s.now().UTC().Truncate(time.Microsecond)
}

// NewID returns a fresh lesson ID: IDPrefix and a time-ordered UUID (version
// 7) in hex.
func NewID() (string, error) {
	u, err := uuid.NewV7()
	if err != nil {
		return "", fmt.Errorf("new lesson id: %w", err)
	}
	return IDPrefix + hex.EncodeToString(u[:]), nil
}

// check validates what every write needs.
func check(l *Lesson) error {
	switch {
	case l == nil:
		return fmt.Errorf("%w: nil", ErrInvalid)
	case l.Owner == "":
		return fmt.Errorf("%w: no owner", ErrInvalid)
	case l.Plan == nil:
		return fmt.Errorf("%w: no plan", ErrInvalid)
	case l.Source != SourceJSON && l.Source != SourceMarkdown:
		return fmt.Errorf("%w: source %q is neither %q nor %q",
			ErrInvalid, l.Source, SourceJSON, SourceMarkdown)
	}
	return nil
}

// planJSON encodes the plan with its ID set to id, leaving p untouched.
func planJSON(p *lesson.Plan, id string) (string, error) {
	c := *p
	c.ID = id
	b, err := json.Marshal(&c)
	if err != nil {
		return "", fmt.Errorf("encode plan: %w", err)
	}
	return string(b), nil
}

// Create implements Store.
func (s *SQLite) Create(ctx context.Context, l *Lesson) error {
	if err := check(l); err != nil {
		return fmt.Errorf("create lesson: %w", err)
	}
	id := l.ID
	if id == "" {
		var err error
		if id, err = NewID(); err != nil {
			return fmt.Errorf("create lesson: %w", err)
		}
	} else if len(id) > MaxIDLength || !utf8.ValidString(id) {
		return fmt.Errorf("create lesson: %w: bad id", ErrInvalid)
	}
	plan, err := planJSON(l.Plan, id)
	if err != nil {
		return fmt.Errorf("create lesson %s: %w", id, err)
	}
	now := s.stamp()
	ts := now.Format(timeLayout)
	res, err := s.db.ExecContext(ctx, `INSERT INTO lessons
		(id, owner, plan, source, revision, created_at, updated_at)
		VALUES (?, ?, ?, ?, 1, ?, ?) ON CONFLICT (id) DO NOTHING`,
		id, l.Owner, plan, l.Source, ts, ts)
	if err != nil {
		return fmt.Errorf("create lesson %s: %w", id, err)
	}
	if n, err := res.RowsAffected(); err != nil {
		return fmt.Errorf("create lesson %s: %w", id, err)
	} else if n == 0 {
		return fmt.Errorf("create lesson %s: %w", id, ErrExists)
	}
	l.ID = id
	l.Plan.ID = id
	l.Revision = 1
	l.CreatedAt, l.UpdatedAt = now, now
	return nil
}

const columns = `id, owner, plan, source, revision, created_at, updated_at`

type scanner interface{ Scan(dest ...any) error }

func scanLesson(row scanner) (*Lesson, error) {
	var (
		l                      Lesson
		plan, created, updated string
	)
	if err := row.Scan(&l.ID, &l.Owner, &plan, &l.Source, &l.Revision,
		&created, &updated); err != nil {
		return nil, err
	}
	l.Plan = new(lesson.Plan)
	if err := json.Unmarshal([]byte(plan), l.Plan); err != nil {
		return nil, fmt.Errorf("decode plan: %w", err)
	}
	l.Plan.ID = l.ID
	var err1, err2 error
	l.CreatedAt, err1 = time.Parse(timeLayout, created)
	l.UpdatedAt, err2 = time.Parse(timeLayout, updated)
	if err := errors.Join(err1, err2); err != nil {
		return nil, fmt.Errorf("decode time: %w", err)
	}
	return &l, nil
}

// Get implements Store.
func (s *SQLite) Get(ctx context.Context, owner, id string) (*Lesson, error) {
	row := s.db.QueryRowContext(ctx,
		`SELECT `+columns+` FROM lessons WHERE id = ? AND owner = ?`, id, owner)
	l, err := scanLesson(row)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, fmt.Errorf("get lesson %s: %w", id, ErrNotFound)
	}
	if err != nil {
		return nil, fmt.Errorf("get lesson %s: %w", id, err)
	}
	return l, nil
}

// List implements Store. A limit of zero or less means DefaultListLimit, a
// limit above MaxListLimit is lowered to it and a negative offset counts as
// zero.
func (s *SQLite) List(ctx context.Context, owner string, limit, offset int) ([]*Lesson, error) {
	if limit <= 0 {
		limit = DefaultListLimit
	}
	limit = min(limit, MaxListLimit)
	offset = max(offset, 0)
	rows, err := s.db.QueryContext(ctx, `SELECT `+columns+` FROM lessons
		WHERE owner = ? ORDER BY created_at DESC, id DESC LIMIT ? OFFSET ?`,
		owner, limit, offset)
	if err != nil {
		return nil, fmt.Errorf("list lessons: %w", err)
	}
	defer rows.Close()
	list := []*Lesson{}
	for rows.Next() {
		l, err := scanLesson(rows)
		if err != nil {
			return nil, fmt.Errorf("list lessons: %w", err)
		}
		list = append(list, l)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("list lessons: %w", err)
	}
	return list, nil
}

// Count returns how many lessons the owner has.
func (s *SQLite) Count(ctx context.Context, owner string) (int, error) {
	var n int
	if err := s.db.QueryRowContext(ctx, `SELECT count(*) FROM lessons WHERE owner = ?`,
		owner).Scan(&n); err != nil {
		return 0, fmt.Errorf("count lessons: %w", err)
	}
	return n, nil
}

// Update implements Store. Concurrent updates of one lesson all apply, the
// last one winning; each gets its own revision number.
func (s *SQLite) Update(ctx context.Context, l *Lesson) error {
	if err := check(l); err != nil {
		return fmt.Errorf("update lesson: %w", err)
	}
	plan, err := planJSON(l.Plan, l.ID)
	if err != nil {
		return fmt.Errorf("update lesson %s: %w", l.ID, err)
	}
	now := s.stamp()
	var (
		revision int
		created  string
	)
	err = s.db.QueryRowContext(ctx, `UPDATE lessons
		SET plan = ?, source = ?, revision = revision + 1, updated_at = ?
		WHERE id = ? AND owner = ? RETURNING revision, created_at`,
		plan, l.Source, now.Format(timeLayout), l.ID, l.Owner).Scan(&revision, &created)
	if errors.Is(err, sql.ErrNoRows) {
		return fmt.Errorf("update lesson %s: %w", l.ID, ErrNotFound)
	}
	if err != nil {
		return fmt.Errorf("update lesson %s: %w", l.ID, err)
	}
	createdAt, err := time.Parse(timeLayout, created)
	if err != nil {
		return fmt.Errorf("update lesson %s: decode time: %w", l.ID, err)
	}
	l.Plan.ID = l.ID
	l.Revision = revision
	l.CreatedAt, l.UpdatedAt = createdAt, now
	return nil
}

// Delete implements Store.
func (s *SQLite) Delete(ctx context.Context, owner, id string) error {
	res, err := s.db.ExecContext(ctx, `DELETE FROM lessons WHERE id = ? AND owner = ?`,
		id, owner)
	if err != nil {
		return fmt.Errorf("delete lesson %s: %w", id, err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return fmt.Errorf("delete lesson %s: %w", id, err)
	}
	if n == 0 {
		return fmt.Errorf("delete lesson %s: %w", id, ErrNotFound)
	}
	return nil
}

// Ping implements Store.
func (s *SQLite) Ping(ctx context.Context) error {
	if err := s.db.PingContext(ctx); err != nil {
		return fmt.Errorf("ping lesson database: %w", err)
	}
	return nil
}

// Close implements Store.
func (s *SQLite) Close() error {
	if err := s.db.Close(); err != nil {
		return fmt.Errorf("close lesson database: %w", err)
	}
	return nil
}
