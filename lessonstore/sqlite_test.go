package lessonstore

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"

	"lessonexport/lesson"
)

func open(t testing.TB) (*SQLite, string) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "sub dir", "lessons?#%.db")
	s, err := OpenSQLite(path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s, path
}

func minutes(n int) *int { return &n }

func samplePlan() *lesson.Plan {
	return &lesson.Plan{
		Title:    "Unit 3 My Family 我的家人",
		Level:    "A1",
		Language: "zh",
		Tags:     []string{"family", "😀"},
		Analysis: &lesson.Analysis{Material: "教材分析 with **bold**", Students: "学情"},
		Procedure: []lesson.Stage{
			{Name: "Warm-up", Minutes: minutes(0), Steps: []lesson.Stage{{Name: "Song"}}},
			{Name: "Practice\x00with NUL", Minutes: minutes(15)},
		},
		Vocabulary: []lesson.Term{{Term: "mother", Meaning: "母亲"}},
		Sections: []lesson.Section{
			{Heading: "Extra", Body: "| a | b |\n|---|---|", After: "title"},
		},
	}
}

func TestCRUD(t *testing.T) {
	ctx := context.Background()
	s, _ := open(t)
	before := time.Now().UTC().Truncate(time.Microsecond)
	l := &Lesson{Owner: "alice", Plan: samplePlan(), Source: SourceJSON}
	if err := s.Create(ctx, l); err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(l.ID, IDPrefix) || len(l.ID) != len(IDPrefix)+32 {
		t.Errorf("ID = %q", l.ID)
	}
	if l.Plan.ID != l.ID || l.Revision != 1 {
		t.Errorf("Plan.ID = %q, Revision = %d", l.Plan.ID, l.Revision)
	}
	if l.CreatedAt.Location() != time.UTC || l.CreatedAt.Before(before) ||
		!l.CreatedAt.Equal(l.UpdatedAt) || l.CreatedAt.Nanosecond()%1000 != 0 {
		t.Errorf("CreatedAt = %v, UpdatedAt = %v", l.CreatedAt, l.UpdatedAt)
	}

	got, err := s.Get(ctx, "alice", l.ID)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, l) {
		t.Errorf("Get = %+v\nwant %+v", got, l)
	}
	if !reflect.DeepEqual(got.Plan, l.Plan) {
		t.Errorf("plan did not round-trip:\n%+v\n%+v", got.Plan, l.Plan)
	}

	// Update replaces plan and source.
	upd := &Lesson{ID: l.ID, Owner: "alice", Source: SourceMarkdown,
		Plan: &lesson.Plan{Title: "Revised 修订"}}
	time.Sleep(time.Millisecond)
	if err := s.Update(ctx, upd); err != nil {
		t.Fatal(err)
	}
	if upd.Revision != 2 || !upd.UpdatedAt.After(l.UpdatedAt) ||
		!upd.CreatedAt.Equal(l.CreatedAt) || upd.Plan.ID != l.ID {
		t.Errorf("after Update: %+v", upd)
	}
	got, err = s.Get(ctx, "alice", l.ID)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, upd) {
		t.Errorf("Get after Update = %+v\nwant %+v", got, upd)
	}

	if err := s.Delete(ctx, "alice", l.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Get(ctx, "alice", l.ID); !errors.Is(err, ErrNotFound) {
		t.Errorf("Get after Delete: %v", err)
	}
	if err := s.Delete(ctx, "alice", l.ID); !errors.Is(err, ErrNotFound) {
		t.Errorf("second Delete: %v", err)
	}
	if err := s.Update(ctx, upd); !errors.Is(err, ErrNotFound) {
		t.Errorf("Update after Delete: %v", err)
	}
	if err := s.Ping(ctx); err != nil {
		t.Error(err)
	}
}

func TestCreateWithID(t *testing.T) {
	ctx := context.Background()
	s, _ := open(t)
	l := &Lesson{ID: "les_given", Owner: "a", Plan: &lesson.Plan{ID: "other", Title: "x"},
		Source: SourceJSON}
	if err := s.Create(ctx, l); err != nil {
		t.Fatal(err)
	}
	if l.ID != "les_given" || l.Plan.ID != "les_given" {
		t.Errorf("ID = %q, Plan.ID = %q", l.ID, l.Plan.ID)
	}
	dup := &Lesson{ID: "les_given", Owner: "b", Plan: &lesson.Plan{Title: "y"}, Source: SourceJSON}
	if err := s.Create(ctx, dup); !errors.Is(err, ErrExists) {
		t.Errorf("duplicate Create: %v", err)
	}
	if dup.Revision != 0 || !dup.CreatedAt.IsZero() {
		t.Error("failed Create changed the lesson")
	}
	if got, _ := s.Get(ctx, "a", "les_given"); got == nil || got.Plan.Title != "x" {
		t.Error("duplicate Create changed the stored lesson")
	}
}

func TestInvalidLessons(t *testing.T) {
	ctx := context.Background()
	s, _ := open(t)
	tests := []struct {
		name string
		l    *Lesson
	}{
		{"nil", nil},
		{"no owner", &Lesson{Plan: &lesson.Plan{}, Source: SourceJSON}},
		{"no plan", &Lesson{Owner: "a", Source: SourceJSON}},
		{"no source", &Lesson{Owner: "a", Plan: &lesson.Plan{}}},
		{"bad source", &Lesson{Owner: "a", Plan: &lesson.Plan{}, Source: "yaml"}},
		{"long id", &Lesson{ID: strings.Repeat("x", MaxIDLength+1), Owner: "a",
			Plan: &lesson.Plan{}, Source: SourceJSON}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if err := s.Create(ctx, tt.l); !errors.Is(err, ErrInvalid) {
				t.Errorf("Create: %v", err)
			}
			if tt.name != "long id" {
				if err := s.Update(ctx, tt.l); !errors.Is(err, ErrInvalid) {
					t.Errorf("Update: %v", err)
				}
			}
		})
	}
	if n, _ := s.Count(ctx, "a"); n != 0 {
		t.Errorf("%d lessons stored", n)
	}
}

func TestOwnershipIsolation(t *testing.T) {
	ctx := context.Background()
	s, _ := open(t)
	a := &Lesson{Owner: "alice", Plan: &lesson.Plan{Title: "A's"}, Source: SourceJSON}
	if err := s.Create(ctx, a); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Get(ctx, "bob", a.ID); !errors.Is(err, ErrNotFound) {
		t.Errorf("bob Get: %v", err)
	}
	if _, err := s.Get(ctx, "", a.ID); !errors.Is(err, ErrNotFound) {
		t.Errorf("empty owner Get: %v", err)
	}
	steal := &Lesson{ID: a.ID, Owner: "bob", Plan: &lesson.Plan{Title: "stolen"},
		Source: SourceJSON}
	if err := s.Update(ctx, steal); !errors.Is(err, ErrNotFound) {
		t.Errorf("bob Update: %v", err)
	}
	if err := s.Delete(ctx, "bob", a.ID); !errors.Is(err, ErrNotFound) {
		t.Errorf("bob Delete: %v", err)
	}
	if list, err := s.List(ctx, "bob", 10, 0); err != nil || len(list) != 0 {
		t.Errorf("bob List = %v, %v", list, err)
	}
	if n, _ := s.Count(ctx, "bob"); n != 0 {
		t.Errorf("bob Count = %d", n)
	}
	got, err := s.Get(ctx, "alice", a.ID)
	if err != nil || got.Plan.Title != "A's" || got.Revision != 1 {
		t.Errorf("alice's lesson changed: %+v, %v", got, err)
	}
	// Owners differing only in case are different owners.
	if _, err := s.Get(ctx, "Alice", a.ID); !errors.Is(err, ErrNotFound) {
		t.Errorf("Alice Get: %v", err)
	}
}

func TestListOrderAndPaging(t *testing.T) {
	ctx := context.Background()
	s, _ := open(t)
	base := time.Date(2025, 9, 1, 8, 0, 0, 0, time.UTC)
	var clock time.Time
	s.now = func() time.Time { return clock }
	// Lessons 0..5 at increasing times; lessons 6..8 share one time, so
	// their IDs order them.
	var ids []string
	for i := range 9 {
		clock = base.Add(time.Duration(min(i, 6)) * time.Minute)
		l := &Lesson{ID: fmt.Sprintf("les_%02d", i), Owner: "t",
			Plan: &lesson.Plan{Title: fmt.Sprint(i)}, Source: SourceJSON}
		if err := s.Create(ctx, l); err != nil {
			t.Fatal(err)
		}
		ids = append(ids, l.ID)
	}
	s.Create(ctx, &Lesson{Owner: "other", Plan: &lesson.Plan{}, Source: SourceJSON})
	want := []string{"les_08", "les_07", "les_06", "les_05", "les_04", "les_03", "les_02",
		"les_01", "les_00"}
	tests := []struct {
		limit, offset int
		want          []string
	}{
		{0, 0, want},
		{-1, 0, want},
		{100, 0, want},
		{3, 0, want[:3]},
		{3, 3, want[3:6]},
		{4, 7, want[7:]},
		{4, -5, want[:4]},
		{5, 9, nil},
		{5, 100, nil},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprintf("limit%d_offset%d", tt.limit, tt.offset), func(t *testing.T) {
			list, err := s.List(ctx, "t", tt.limit, tt.offset)
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, l := range list {
				got = append(got, l.ID)
				if l.Plan == nil || l.Plan.ID != l.ID {
					t.Errorf("lesson %s has plan %+v", l.ID, l.Plan)
				}
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("List = %v, want %v", got, tt.want)
			}
			if list == nil {
				t.Error("List returned nil instead of an empty slice")
			}
		})
	}
	if n, _ := s.Count(ctx, "t"); n != 9 {
		t.Errorf("Count = %d", n)
	}
}

func TestConcurrency(t *testing.T) {
	ctx := context.Background()
	s, _ := open(t)
	const n = 20
	var wg sync.WaitGroup
	errs := make(chan error, 4*n)
	ids := make([]string, n)
	for i := range n {
		wg.Go(func() {
			l := &Lesson{Owner: "many", Plan: &lesson.Plan{Title: fmt.Sprint(i)},
				Source: SourceJSON}
			if err := s.Create(ctx, l); err != nil {
				errs <- err
				return
			}
			ids[i] = l.ID
			if _, err := s.List(ctx, "many", 5, 0); err != nil {
				errs <- err
			}
		})
	}
	wg.Wait()
	shared := &Lesson{Owner: "many", Plan: &lesson.Plan{Title: "shared"}, Source: SourceJSON}
	if err := s.Create(ctx, shared); err != nil {
		t.Fatal(err)
	}
	revs := make(chan int, n)
	for i := range n {
		wg.Go(func() {
			u := &Lesson{ID: shared.ID, Owner: "many", Plan: &lesson.Plan{Title: fmt.Sprint(i)},
				Source: SourceMarkdown}
			if err := s.Update(ctx, u); err != nil {
				errs <- err
				return
			}
			revs <- u.Revision
			if _, err := s.Get(ctx, "many", shared.ID); err != nil {
				errs <- err
			}
		})
	}
	wg.Wait()
	close(errs)
	close(revs)
	for err := range errs {
		t.Error(err)
	}
	seen := map[int]bool{}
	for r := range revs {
		if seen[r] {
			t.Errorf("revision %d given twice", r)
		}
		seen[r] = true
	}
	got, err := s.Get(ctx, "many", shared.ID)
	if err != nil || got.Revision != n+1 {
		t.Errorf("final revision = %v, %v; want %d", got, err, n+1)
	}
	if c, _ := s.Count(ctx, "many"); c != n+1 {
		t.Errorf("Count = %d, want %d", c, n+1)
	}
	uniq := map[string]bool{}
	for _, id := range ids {
		uniq[id] = true
	}
	if len(uniq) != n {
		t.Errorf("%d distinct IDs, want %d", len(uniq), n)
	}
}

func TestReopenPersists(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "a", "b", "lessons.db")
	s, err := OpenSQLite(path)
	if err != nil {
		t.Fatal(err)
	}
	l := &Lesson{Owner: "alice", Plan: samplePlan(), Source: SourceMarkdown}
	if err := s.Create(ctx, l); err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	s, err = OpenSQLite(path)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	got, err := s.Get(ctx, "alice", l.ID)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, l) {
		t.Errorf("after reopen: %+v\nwant %+v", got, l)
	}
	if v, err := s.SchemaVersion(ctx); err != nil || v != len(migrations) {
		t.Errorf("SchemaVersion = %d, %v", v, err)
	}
	var mode string
	err = s.db.QueryRowContext(ctx, "PRAGMA journal_mode").Scan(&mode)
	if err != nil || mode != "wal" {
		t.Errorf("journal_mode = %q, %v", mode, err)
	}
	var fk, busy int
	s.db.QueryRowContext(ctx, "PRAGMA foreign_keys").Scan(&fk)
	s.db.QueryRowContext(ctx, "PRAGMA busy_timeout").Scan(&busy)
	if fk != 1 || busy != int(BusyTimeout.Milliseconds()) {
		t.Errorf("foreign_keys = %d, busy_timeout = %d", fk, busy)
	}
}

func TestNewerSchemaRefused(t *testing.T) {
	path := filepath.Join(t.TempDir(), "lessons.db")
	s, err := OpenSQLite(path)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.db.Exec(`UPDATE schema_version SET version = 99`); err != nil {
		t.Fatal(err)
	}
	s.Close()
	if s, err := OpenSQLite(path); err == nil {
		s.Close()
		t.Fatal("opened a database with a newer schema")
	} else if !strings.Contains(err.Error(), "newer") {
		t.Errorf("error = %v", err)
	}
}

func TestOpenErrors(t *testing.T) {
	for _, path := range []string{"", ":memory:", "file:x.db"} {
		if s, err := OpenSQLite(path); err == nil {
			s.Close()
			t.Errorf("OpenSQLite(%q) succeeded", path)
		}
	}
	dir := t.TempDir()
	if s, err := OpenSQLite(dir); err == nil {
		s.Close()
		t.Error("opened a folder as a database")
	}
}

func TestCorruptPlan(t *testing.T) {
	ctx := context.Background()
	s, _ := open(t)
	l := &Lesson{Owner: "a", Plan: &lesson.Plan{Title: "x"}, Source: SourceJSON}
	s.Create(ctx, l)
	_, err := s.db.Exec(`UPDATE lessons SET plan = '{not json' WHERE id = ?`, l.ID)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.Get(ctx, "a", l.ID); err == nil || errors.Is(err, ErrNotFound) {
		t.Errorf("Get of a corrupt row: %v", err)
	}
	if _, err := s.List(ctx, "a", 0, 0); err == nil {
		t.Error("List of a corrupt row succeeded")
	}
}

func TestCancelledContext(t *testing.T) {
	s, _ := open(t)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	err := s.Create(ctx, &Lesson{Owner: "a", Plan: &lesson.Plan{}, Source: SourceJSON})
	if !errors.Is(err, context.Canceled) {
		t.Errorf("Create with a cancelled context: %v", err)
	}
	if n, _ := s.Count(context.Background(), "a"); n != 0 {
		t.Error("lesson stored despite cancellation")
	}
}

// FuzzRoundTrip checks that any owner, id and plan text is stored and read
// back unchanged or refused with ErrInvalid.
func FuzzRoundTrip(f *testing.F) {
	f.Add("alice", "", "Unit 3 我的家人", "body")
	f.Add("'; DROP TABLE lessons; --", "les_x", "\x00\ufffe\U0001F600", "\xff\xfe")
	s, _ := open(f)
	f.Fuzz(func(t *testing.T, owner, id, title, body string) {
		ctx := context.Background()
		l := &Lesson{ID: id, Owner: owner, Source: SourceJSON,
			Plan: &lesson.Plan{Title: title,
				Sections: []lesson.Section{{Heading: title, Body: body}}}}
		err := s.Create(ctx, l)
		if errors.Is(err, ErrInvalid) || errors.Is(err, ErrExists) {
			return
		}
		if err != nil {
			t.Fatal(err)
		}
		defer s.Delete(ctx, owner, l.ID)
		got, err := s.Get(ctx, owner, l.ID)
		if err != nil {
			t.Fatal(err)
		}
		// JSON turns each invalid UTF-8 byte into U+FFFD, as does the
		// conversion to runes.
		want := string([]rune(title))
		if got.Plan.Title != want || got.Owner != owner {
			t.Fatalf("round trip: %q/%q, want %q/%q", got.Plan.Title, got.Owner, want, owner)
		}
	})
}
