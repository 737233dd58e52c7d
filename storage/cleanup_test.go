package storage

import (
	"context"
	"errors"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
)

// put saves content under key and sets its modification time to mod.
func put(t *testing.T, l *Local, key, content string, mod time.Time) {
	t.Helper()
	if _, err := l.Save(context.Background(), key, strings.NewReader(content)); err != nil {
		t.Fatal(err)
	}
	p, err := l.Path(key)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.Chtimes(p, mod, mod); err != nil {
		t.Fatal(err)
	}
}

func keys(infos []Info) []string {
	out := []string{}
	for _, in := range infos {
		out = append(out, in.Key)
	}
	return out
}

func TestList(t *testing.T) {
	l, root := newStore(t, 0)
	now := time.Now()
	for _, k := range []string{"pdf/b.pdf", "pdf/a.pdf", "pdf/sub/c.pdf", "word/x.docx",
		"staging/exp_1.pdf", "pdf-old.md"} {
		put(t, l, k, "content of "+k, now)
	}
	// Dot-names are the store's own and are never listed.
	tmp := filepath.Join(root, "pdf", tempPrefix+"1234")
	if err := os.WriteFile(tmp, []byte("t"), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(root, "pdf", ".hidden"), []byte("h"), 0o600); err != nil {
		t.Fatal(err)
	}

	tests := []struct {
		prefix string
		limit  int
		want   []string
		err    error
	}{
		{"", 0, []string{"pdf-old.md", "pdf/a.pdf", "pdf/b.pdf", "pdf/sub/c.pdf",
			"staging/exp_1.pdf", "word/x.docx"}, nil},
		{"pdf/", 0, []string{"pdf/a.pdf", "pdf/b.pdf", "pdf/sub/c.pdf"}, nil},
		{"pdf/", 2, []string{"pdf/a.pdf", "pdf/b.pdf"}, nil},
		{"pdf/", -1, []string{"pdf/a.pdf", "pdf/b.pdf", "pdf/sub/c.pdf"}, nil},
		{"pdf", 0, []string{"pdf-old.md", "pdf/a.pdf", "pdf/b.pdf", "pdf/sub/c.pdf"}, nil},
		{"pdf/a", 0, []string{"pdf/a.pdf"}, nil},
		{"word/", 1, []string{"word/x.docx"}, nil},
		{"pptx/", 10, []string{}, nil},
		{"word/x.docx/", 0, []string{}, nil},
		{"../", 0, nil, ErrInvalidKey},
		{".meta/", 0, nil, ErrInvalidKey},
		{"/pdf/", 0, nil, ErrInvalidKey},
		{"pdf//", 0, nil, ErrInvalidKey},
	}
	for _, tc := range tests {
		got, err := l.List(tc.prefix, tc.limit)
		if tc.err != nil {
			if !errors.Is(err, tc.err) {
				t.Errorf("List(%q, %d) error = %v; want %v", tc.prefix, tc.limit, err, tc.err)
			}
			continue
		}
		if err != nil {
			t.Errorf("List(%q, %d): %v", tc.prefix, tc.limit, err)
			continue
		}
		if !slices.Equal(keys(got), tc.want) {
			t.Errorf("List(%q, %d) = %q; want %q", tc.prefix, tc.limit, keys(got), tc.want)
		}
		for _, in := range got {
			if want := int64(len("content of " + in.Key)); in.Size != want {
				t.Errorf("List(%q): %s has size %d; want %d", tc.prefix, in.Key, in.Size, want)
			}
		}
	}
}

func TestListChecksum(t *testing.T) {
	l, _ := newStore(t, 0)
	info, err := l.Save(context.Background(), "md/a.md", strings.NewReader("hello"))
	if err != nil {
		t.Fatal(err)
	}
	got, err := l.List("md/", 0)
	if err != nil || len(got) != 1 {
		t.Fatalf("List = %v, %v", got, err)
	}
	if got[0].SHA256 != info.SHA256 || got[0].SHA256 != hexSum([]byte("hello")) {
		t.Errorf("List SHA256 = %q; want %q", got[0].SHA256, info.SHA256)
	}
}

func TestCleanup(t *testing.T) {
	now := time.Date(2025, 3, 1, 12, 0, 0, 0, time.UTC)
	day := 24 * time.Hour
	files := map[string]time.Duration{ // key -> age
		"pdf/old.pdf":          40 * day,
		"pdf/new.pdf":          1 * day,
		"word/edge.docx":       29 * day,
		"word/older.docx":      31 * day,
		"staging/exp_run.pdf":  40 * day,
		"staging/exp_done.pdf": 40 * day,
	}
	running := map[string]bool{"exp_run": true}
	keepRunning := func(key string) bool {
		name, ok := strings.CutPrefix(key, "staging/")
		if !ok {
			return false
		}
		return running[strings.TrimSuffix(name, path.Ext(name))]
	}

	tests := []struct {
		name    string
		opts    CleanupOptions
		removed []string
		kept    []string
	}{
		{"default retention keeps running exports",
			CleanupOptions{Keep: keepRunning},
			[]string{"pdf/old.pdf", "staging/exp_done.pdf", "word/older.docx"},
			[]string{"staging/exp_run.pdf"}},
		{"dry run",
			CleanupOptions{Keep: keepRunning, DryRun: true},
			[]string{"pdf/old.pdf", "staging/exp_done.pdf", "word/older.docx"},
			[]string{"staging/exp_run.pdf"}},
		{"no keep function",
			CleanupOptions{},
			[]string{"pdf/old.pdf", "staging/exp_done.pdf", "staging/exp_run.pdf",
				"word/older.docx"},
			nil},
		{"short retention",
			CleanupOptions{OlderThan: 12 * time.Hour, Keep: keepRunning},
			[]string{"pdf/new.pdf", "pdf/old.pdf", "staging/exp_done.pdf",
				"word/edge.docx", "word/older.docx"},
			[]string{"staging/exp_run.pdf"}},
		{"long retention",
			CleanupOptions{OlderThan: 100 * day, Keep: keepRunning},
			nil, nil},
		{"keep everything",
			CleanupOptions{Keep: func(string) bool { return true }},
			nil,
			[]string{"pdf/old.pdf", "staging/exp_done.pdf", "staging/exp_run.pdf",
				"word/older.docx"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			l, root := newStore(t, 0)
			var size int64
			for k, age := range files {
				put(t, l, k, "data "+k, now.Add(-age))
				if slices.Contains(tc.removed, k) {
					size += int64(len("data " + k))
				}
			}
			before := dataFiles(t, root)
			tc.opts.Now = now
			rep, err := l.Cleanup(context.Background(), tc.opts)
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(keys(rep.Removed), nonNil(tc.removed)) {
				t.Errorf("removed %q; want %q", keys(rep.Removed), tc.removed)
			}
			if !slices.Equal(keys(rep.Kept), nonNil(tc.kept)) {
				t.Errorf("kept %q; want %q", keys(rep.Kept), tc.kept)
			}
			if rep.RemovedBytes != size {
				t.Errorf("RemovedBytes = %d; want %d", rep.RemovedBytes, size)
			}
			if rep.DryRun != tc.opts.DryRun {
				t.Errorf("DryRun = %v", rep.DryRun)
			}
			after := dataFiles(t, root)
			for _, k := range before {
				gone := !slices.Contains(after, k)
				shouldGo := !tc.opts.DryRun && slices.Contains(tc.removed, k)
				if gone != shouldGo {
					t.Errorf("%s gone = %v; want %v", k, gone, shouldGo)
				}
				_, err := os.Stat(filepath.Join(root, filepath.FromSlash(recordPath(k))))
				if recGone := errors.Is(err, os.ErrNotExist); recGone != shouldGo {
					t.Errorf("checksum record of %s gone = %v; want %v", k, recGone, shouldGo)
				}
			}
		})
	}
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

func TestCleanupStaleTempAndRecords(t *testing.T) {
	for _, dry := range []bool{false, true} {
		l, root := newStore(t, 0)
		now := time.Now()
		put(t, l, "pdf/a.pdf", "a", now)
		oldTemp := filepath.Join(root, "pdf", tempPrefix+"old")
		newTemp := filepath.Join(root, "pdf", tempPrefix+"new")
		oldProbe := filepath.Join(root, probeName+"old")
		for _, p := range []string{oldTemp, newTemp, oldProbe} {
			if err := os.WriteFile(p, []byte("x"), 0o600); err != nil {
				t.Fatal(err)
			}
		}
		past := now.Add(-StaleTempAge - time.Hour)
		for _, p := range []string{oldTemp, oldProbe} {
			if err := os.Chtimes(p, past, past); err != nil {
				t.Fatal(err)
			}
		}
		orphan := filepath.Join(root, filepath.FromSlash(recordPath("pdf/gone.pdf")))
		if err := os.WriteFile(orphan, []byte("record"), 0o600); err != nil {
			t.Fatal(err)
		}

		rep, err := l.Cleanup(context.Background(), CleanupOptions{DryRun: dry})
		if err != nil {
			t.Fatal(err)
		}
		if rep.StaleTemp != 2 || rep.Records != 1 || len(rep.Removed) != 0 {
			t.Errorf("dry=%v: report %+v; want 2 stale temp files, 1 record, no files",
				dry, rep)
		}
		for p, wantGone := range map[string]bool{oldTemp: !dry, oldProbe: !dry,
			newTemp: false, orphan: !dry} {
			_, err := os.Stat(p)
			if gone := errors.Is(err, os.ErrNotExist); gone != wantGone {
				t.Errorf("dry=%v: %s gone = %v; want %v", dry, filepath.Base(p), gone, wantGone)
			}
		}
		if ok, _ := l.Exists("pdf/a.pdf"); !ok {
			t.Errorf("dry=%v: a fresh file was removed", dry)
		}
		if _, err := l.Checksum("pdf/a.pdf"); err != nil {
			t.Errorf("dry=%v: checksum of a kept file: %v", dry, err)
		}
	}
}

// TestCleanupFileReplacedMeanwhile checks that a file written again after
// Cleanup found it old is not removed.
func TestCleanupFileReplacedMeanwhile(t *testing.T) {
	l, _ := newStore(t, 0)
	now := time.Now()
	put(t, l, "pdf/a.pdf", "old", now.Add(-40*24*time.Hour))
	put(t, l, "pdf/b.pdf", "old", now.Add(-40*24*time.Hour))
	rep, err := l.Cleanup(context.Background(), CleanupOptions{
		Now: now,
		Keep: func(key string) bool {
			if key == "pdf/a.pdf" {
				// Replaced while Cleanup runs: modified after the cutoff.
				put(t, l, "pdf/b.pdf", "new", now)
			}
			return false
		},
	})
	if err != nil {
		t.Fatal(err)
	}
	if got := keys(rep.Removed); !slices.Equal(got, []string{"pdf/a.pdf"}) {
		t.Errorf("removed %q; want only pdf/a.pdf", got)
	}
	f, _, err := l.Open("pdf/b.pdf")
	if err != nil {
		t.Fatalf("the replaced file was removed: %v", err)
	}
	f.Close()
}

func TestCleanupErrors(t *testing.T) {
	l, _ := newStore(t, 0)
	put(t, l, "pdf/a.pdf", "a", time.Now().Add(-40*24*time.Hour))
	if _, err := l.Cleanup(context.Background(), CleanupOptions{OlderThan: -time.Hour}); err == nil {
		t.Error("negative retention accepted")
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	rep, err := l.Cleanup(ctx, CleanupOptions{})
	if !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled Cleanup error = %v; want context.Canceled", err)
	}
	if len(rep.Removed) != 0 {
		t.Errorf("cancelled Cleanup removed %q", keys(rep.Removed))
	}
	if ok, _ := l.Exists("pdf/a.pdf"); !ok {
		t.Error("cancelled Cleanup removed a file")
	}
}
