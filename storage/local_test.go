package storage

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

func newStore(t testing.TB, max int64) (*Local, string) {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "files")
	l, err := NewLocal(dir, Options{MaxFileSize: max})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { l.Close() })
	return l, dir
}

func hexSum(b []byte) string {
	s := sha256.Sum256(b)
	return hex.EncodeToString(s[:])
}

// leftovers lists the temporary files below root.
func leftovers(t *testing.T, root string) []string {
	t.Helper()
	var found []string
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if strings.HasPrefix(d.Name(), tempPrefix) || strings.HasPrefix(d.Name(), probeName) {
			found = append(found, p)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return found
}

// dataFiles lists the stored files below root, without checksum records.
func dataFiles(t *testing.T, root string) []string {
	t.Helper()
	var found []string
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && d.Name() == metaDir {
			return filepath.SkipDir
		}
		if d.Type().IsRegular() {
			rel, _ := filepath.Rel(root, p)
			found = append(found, filepath.ToSlash(rel))
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return found
}

func TestNewLocalOptions(t *testing.T) {
	dir := t.TempDir()
	if _, err := NewLocal(filepath.Join(dir, "a"), Options{MaxFileSize: -1}); err == nil {
		t.Error("negative MaxFileSize accepted")
	}
	if _, err := NewLocal("", Options{}); err == nil {
		t.Error("empty root accepted")
	}
	l, err := NewLocal(filepath.Join(dir, "b", "c"), Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	if l.MaxFileSize() != DefaultMaxFileSize {
		t.Errorf("MaxFileSize = %d, want %d", l.MaxFileSize(), DefaultMaxFileSize)
	}
	fi, err := os.Stat(filepath.Join(dir, "b", "c"))
	if err != nil || !fi.IsDir() {
		t.Fatalf("root not created: %v", err)
	}
	if perm := fi.Mode().Perm(); perm&^0o750 != 0 {
		t.Errorf("root mode %v wider than 0750", perm)
	}
	f := filepath.Join(dir, "file")
	os.WriteFile(f, nil, 0o600)
	if _, err := NewLocal(f, Options{}); err == nil {
		t.Error("a file accepted as root")
	}
}

func TestLifecycle(t *testing.T) {
	ctx := context.Background()
	l, root := newStore(t, 0)
	content := []byte("教案 lesson plan\n")
	key := "word/Unit 3 我的家人_A1_3f9c2a1b.docx"

	info, err := l.Save(ctx, key, bytes.NewReader(content))
	if err != nil {
		t.Fatal(err)
	}
	if info.Key != key || info.Size != int64(len(content)) || info.SHA256 != hexSum(content) {
		t.Errorf("Save info = %+v", info)
	}
	if info.ModTime.IsZero() {
		t.Error("Save info has no ModTime")
	}
	disk, err := os.ReadFile(filepath.Join(root, filepath.FromSlash(key)))
	if err != nil || !bytes.Equal(disk, content) {
		t.Fatalf("file on disk = %q, %v", disk, err)
	}
	if p, _ := l.Path(key); p != filepath.Join(root, filepath.FromSlash(key)) {
		t.Errorf("Path = %s", p)
	}

	f, oinfo, err := l.Open(key)
	if err != nil {
		t.Fatal(err)
	}
	got, _ := io.ReadAll(f)
	f.Close()
	if !bytes.Equal(got, content) {
		t.Errorf("Open read %q", got)
	}
	if oinfo != info {
		t.Errorf("Open info = %+v, want %+v", oinfo, info)
	}
	if sinfo, err := l.Stat(key); err != nil || sinfo != info {
		t.Errorf("Stat = %+v, %v; want %+v", sinfo, err, info)
	}
	if ok, err := l.Exists(key); !ok || err != nil {
		t.Errorf("Exists = %v, %v", ok, err)
	}
	if sum, err := l.Checksum(key); err != nil || sum != hexSum(content) {
		t.Errorf("Checksum = %s, %v", sum, err)
	}

	moved := "pdf/final/lesson.docx"
	if err := l.Move(ctx, key, moved); err != nil {
		t.Fatal(err)
	}
	if ok, _ := l.Exists(key); ok {
		t.Error("source still exists after Move")
	}
	minfo, err := l.Stat(moved)
	if err != nil || minfo.Size != info.Size || minfo.SHA256 != info.SHA256 {
		t.Errorf("Stat after Move = %+v, %v", minfo, err)
	}
	if err := l.Move(ctx, moved, moved); err != nil {
		t.Errorf("Move onto itself: %v", err)
	}
	if err := l.Move(ctx, key, "x"); !errors.Is(err, ErrNotFound) {
		t.Errorf("Move of missing key: %v", err)
	}

	// Move replaces an existing target.
	if _, err := l.Save(ctx, "other", strings.NewReader("old")); err != nil {
		t.Fatal(err)
	}
	if err := l.Move(ctx, moved, "other"); err != nil {
		t.Fatal(err)
	}
	if sum, _ := l.Checksum("other"); sum != hexSum(content) {
		t.Error("Move did not replace the target")
	}

	if err := l.Delete("other"); err != nil {
		t.Fatal(err)
	}
	if err := l.Delete("other"); !errors.Is(err, ErrNotFound) {
		t.Errorf("second Delete: %v", err)
	}
	for name, err := range map[string]error{
		"Stat":     second(l.Stat("other")),
		"Open":     third(l.Open("other")),
		"Checksum": second(l.Checksum("other")),
	} {
		if !errors.Is(err, ErrNotFound) {
			t.Errorf("%s after Delete: %v", name, err)
		}
	}
	if ok, err := l.Exists("other"); ok || err != nil {
		t.Errorf("Exists after Delete = %v, %v", ok, err)
	}
	if files := dataFiles(t, root); len(files) != 0 {
		t.Errorf("files left: %v", files)
	}
	if _, err := os.Stat(filepath.Join(root, metaDir, "other"+metaSuffix)); err == nil {
		t.Error("checksum record left after Delete")
	}
}

func second[T any](_ T, err error) error { return err }

func third[T, U any](_ T, _ U, err error) error { return err }

func TestFoldersAreNotFiles(t *testing.T) {
	ctx := context.Background()
	l, _ := newStore(t, 0)
	if _, err := l.Save(ctx, "a/b/c.txt", strings.NewReader("x")); err != nil {
		t.Fatal(err)
	}
	if _, err := l.Stat("a/b"); !errors.Is(err, ErrNotFound) {
		t.Errorf("Stat of a folder: %v", err)
	}
	if _, _, err := l.Open("a"); !errors.Is(err, ErrNotFound) {
		t.Errorf("Open of a folder: %v", err)
	}
	if err := l.Delete("a/b"); !errors.Is(err, ErrNotFound) {
		t.Errorf("Delete of a folder: %v", err)
	}
	if _, err := l.Stat("a/b/c.txt/d"); !errors.Is(err, ErrNotFound) {
		t.Errorf("Stat below a file: %v", err)
	}
	if _, err := l.Save(ctx, "a/b/c.txt/d", strings.NewReader("x")); err == nil {
		t.Error("Save below a file succeeded")
	}
	if _, err := l.Save(ctx, "a/b", strings.NewReader("x")); err == nil {
		t.Error("Save over a folder succeeded")
	}
}

func TestSizeLimit(t *testing.T) {
	const max = 3*chunkSize + 17
	tests := []struct {
		name string
		size int64
		ok   bool
	}{
		{"empty", 0, true},
		{"small", 10, true},
		{"exactly at limit", max, true},
		{"one byte over", max + 1, false},
		{"far over", 10 * max, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			l, root := newStore(t, max)
			r := &patternReader{left: tt.size}
			info, err := l.Save(context.Background(), "k/file.bin", r)
			if tt.ok {
				if err != nil {
					t.Fatal(err)
				}
				if info.Size != tt.size {
					t.Errorf("Size = %d, want %d", info.Size, tt.size)
				}
				return
			}
			if !errors.Is(err, ErrTooLarge) {
				t.Fatalf("err = %v, want ErrTooLarge", err)
			}
			if r.read > max+chunkSize {
				t.Errorf("read %d bytes, want Save to stop soon after %d", r.read, max)
			}
			if files := dataFiles(t, root); len(files) != 0 {
				t.Errorf("files left: %v", files)
			}
			if temps := leftovers(t, root); len(temps) != 0 {
				t.Errorf("temporary files left: %v", temps)
			}
		})
	}
}

// patternReader yields left bytes of a repeating pattern in reads of varying
// size.
type patternReader struct {
	left, read int64
	step       int
}

func (r *patternReader) Read(p []byte) (int, error) {
	if r.left <= 0 {
		return 0, io.EOF
	}
	r.step++
	n := min(int64(len(p)), r.left, int64(4096*r.step))
	for i := range n {
		p[i] = byte((r.read + i) % 251)
	}
	r.left -= n
	r.read += n
	return int(n), nil
}

// failingReader cancels or fails after a number of bytes.
type failingReader struct {
	after  int
	cancel context.CancelFunc
	err    error
	sent   int
}

func (r *failingReader) Read(p []byte) (int, error) {
	if r.sent >= r.after {
		if r.cancel != nil {
			r.cancel()
			// Keep producing data: Save must notice the context itself.
		} else {
			return 0, r.err
		}
	}
	n := min(len(p), 1000)
	for i := range n {
		p[i] = 'x'
	}
	r.sent += n
	return n, nil
}

func TestSaveFailuresLeaveNothing(t *testing.T) {
	boom := errors.New("boom")
	tests := []struct {
		name string
		make func() (context.Context, io.Reader)
		want error
	}{
		{"reader error midway", func() (context.Context, io.Reader) {
			return context.Background(), &failingReader{after: 5000, err: boom}
		}, boom},
		{"reader error at once", func() (context.Context, io.Reader) {
			return context.Background(), &failingReader{err: boom}
		}, boom},
		{"cancelled midway", func() (context.Context, io.Reader) {
			ctx, cancel := context.WithCancel(context.Background())
			return ctx, &failingReader{after: 5000, cancel: cancel}
		}, context.Canceled},
		{"cancelled before", func() (context.Context, io.Reader) {
			ctx, cancel := context.WithCancel(context.Background())
			cancel()
			return ctx, strings.NewReader("data")
		}, context.Canceled},
		{"deadline", func() (context.Context, io.Reader) {
			ctx, cancel := context.WithDeadline(context.Background(), time.Now().Add(-time.Second))
			_ = cancel
			return ctx, strings.NewReader("data")
		}, context.DeadlineExceeded},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			l, root := newStore(t, 0)
			// A previous version must survive a failed replacement.
			_, err := l.Save(context.Background(), "keep/file", strings.NewReader("old"))
			if err != nil {
				t.Fatal(err)
			}
			ctx, r := tt.make()
			_, err = l.Save(ctx, "keep/file", r)
			if !errors.Is(err, tt.want) {
				t.Fatalf("err = %v, want %v", err, tt.want)
			}
			_, err = l.Save(ctx, "new/file", r)
			if err == nil {
				t.Fatal("second Save succeeded")
			}
			if temps := leftovers(t, root); len(temps) != 0 {
				t.Errorf("temporary files left: %v", temps)
			}
			if files := dataFiles(t, root); len(files) != 1 || files[0] != "keep/file" {
				t.Errorf("files = %v, want only keep/file", files)
			}
			if sum, _ := l.Checksum("keep/file"); sum != hexSum([]byte("old")) {
				t.Error("previous version damaged")
			}
		})
	}
}

func TestConcurrentSavesSameKey(t *testing.T) {
	l, root := newStore(t, 0)
	const n = 16
	contents := make([][]byte, n)
	for i := range contents {
		// Distinct sizes over several chunks, so a mix would show.
		contents[i] = bytes.Repeat([]byte{byte('a' + i)}, chunkSize+i*9973)
	}
	var wg sync.WaitGroup
	errs := make([]error, n)
	for i := range n {
		wg.Go(func() {
			_, errs[i] = l.Save(context.Background(), "same/key.bin", bytes.NewReader(contents[i]))
		})
	}
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			t.Errorf("save %d: %v", i, err)
		}
	}
	got, err := os.ReadFile(filepath.Join(root, "same", "key.bin"))
	if err != nil {
		t.Fatal(err)
	}
	whole := false
	for _, c := range contents {
		if bytes.Equal(got, c) {
			whole = true
		}
	}
	if !whole {
		t.Errorf("final file (%d bytes) is not one whole save", len(got))
	}
	info, err := l.Stat("same/key.bin")
	if err != nil {
		t.Fatal(err)
	}
	if info.SHA256 != "" && info.SHA256 != hexSum(got) {
		t.Errorf("Stat checksum %s does not match content", info.SHA256)
	}
	if sum, _ := l.Checksum("same/key.bin"); sum != hexSum(got) {
		t.Errorf("Checksum %s does not match content", sum)
	}
	if temps := leftovers(t, root); len(temps) != 0 {
		t.Errorf("temporary files left: %v", temps)
	}
}

func TestInvalidKeys(t *testing.T) {
	ctx := context.Background()
	l, root := newStore(t, 0)
	long := strings.Repeat("a", MaxSegmentLength+1)
	keys := []string{
		"",
		"/etc/passwd",
		"../x",
		"a/../../x",
		"a/..",
		"..",
		".",
		"./a",
		"a/./b",
		"a//b",
		"a/",
		`a\b`,
		`..\..\x`,
		"a\x00b",
		"a\nb",
		"a\rb",
		"a\tb",
		"a\x7fb",
		"a\u0085b",
		".hidden",
		"dir/.tmp-123",
		".meta/x.sha256",
		long,
		"dir/" + long,
		strings.Repeat("abcdefgh/", MaxKeyLength/9+1) + "x",
		"bad\xffutf8",
	}
	for _, key := range keys {
		t.Run(fmt.Sprintf("%q", key), func(t *testing.T) {
			if err := ValidateKey(key); !errors.Is(err, ErrInvalidKey) {
				t.Errorf("ValidateKey = %v", err)
			}
			checks := map[string]error{
				"Save":     second(l.Save(ctx, key, strings.NewReader("x"))),
				"Open":     third(l.Open(key)),
				"Stat":     second(l.Stat(key)),
				"Exists":   second(l.Exists(key)),
				"Checksum": second(l.Checksum(key)),
				"Delete":   l.Delete(key),
				"MoveFrom": l.Move(ctx, key, "ok"),
				"MoveTo":   l.Move(ctx, "ok", key),
				"Path":     second(l.Path(key)),
			}
			for name, err := range checks {
				if !errors.Is(err, ErrInvalidKey) {
					t.Errorf("%s: err = %v, want ErrInvalidKey", name, err)
				}
			}
		})
	}
	if files := dataFiles(t, root); len(files) != 0 {
		t.Errorf("files written: %v", files)
	}
	valid := []string{
		"a", "word/Unit_3_My_Family_A1_3f9c2a1b.docx", "staging/exp_123.pdf",
		"a.b/c..d", "中文/教案 1.docx", strings.Repeat("a", MaxSegmentLength), "x-/y_",
	}
	for _, key := range valid {
		if err := ValidateKey(key); err != nil {
			t.Errorf("ValidateKey(%q) = %v", key, err)
		}
	}
}

func TestSymlinkEscape(t *testing.T) {
	l, root := newStore(t, 0)
	outside := t.TempDir()
	os.WriteFile(filepath.Join(outside, "secret"), []byte("secret"), 0o600)
	if err := os.Symlink(outside, filepath.Join(root, "link")); err != nil {
		t.Skip(err)
	}
	if _, _, err := l.Open("link/secret"); err == nil {
		t.Error("Open followed a symbolic link out of the root")
	}
	if _, err := l.Save(context.Background(), "link/new", strings.NewReader("x")); err == nil {
		t.Error("Save followed a symbolic link out of the root")
	}
	if _, err := os.Stat(filepath.Join(outside, "new")); err == nil {
		t.Error("file written outside the root")
	}
}

func TestChecksumRecords(t *testing.T) {
	ctx := context.Background()
	l, root := newStore(t, 0)
	content := []byte("checksum me")
	want := hexSum(content)
	rec := filepath.Join(root, metaDir, "d", "f.txt"+metaSuffix)
	tests := []struct {
		name    string
		damage  func()
		statSum bool // whether Stat still reports the checksum
	}{
		{"intact", func() {}, true},
		{"record missing", func() { os.Remove(rec) }, false},
		{"record garbage", func() { os.WriteFile(rec, []byte("nonsense"), 0o600) }, false},
		{"record wrong hash", func() {
			b, _ := os.ReadFile(rec)
			os.WriteFile(rec, bytes.Replace(b, []byte(want), []byte(hexSum(nil)), 1), 0o600)
		}, true},
		{"file replaced outside", func() {
			os.WriteFile(filepath.Join(root, "d", "f.txt"), []byte("something else!"), 0o600)
		}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := l.Save(ctx, "d/f.txt", bytes.NewReader(content)); err != nil {
				t.Fatal(err)
			}
			tt.damage()
			data, _ := os.ReadFile(filepath.Join(root, "d", "f.txt"))
			info, err := l.Stat("d/f.txt")
			if err != nil {
				t.Fatal(err)
			}
			if tt.statSum != (info.SHA256 != "") {
				t.Errorf("Stat SHA256 = %q", info.SHA256)
			}
			sum, err := l.Checksum("d/f.txt")
			if err != nil {
				t.Fatal(err)
			}
			if tt.name == "record wrong hash" {
				// A record that matches its file is trusted; only the
				// store writes records.
				return
			}
			if sum != hexSum(data) {
				t.Errorf("Checksum = %s, want %s", sum, hexSum(data))
			}
			// The recomputed checksum is recorded again.
			if info, _ := l.Stat("d/f.txt"); info.SHA256 != hexSum(data) {
				t.Errorf("record not rewritten: Stat SHA256 = %q", info.SHA256)
			}
		})
	}
}

func TestUsageAndCheck(t *testing.T) {
	l, root := newStore(t, 0)
	if err := l.Check(); err != nil {
		t.Fatal(err)
	}
	used0, avail, err := l.Usage()
	if err != nil {
		t.Fatal(err)
	}
	if used0 != 0 || avail <= 0 {
		t.Errorf("Usage of an empty store = %d, %d", used0, avail)
	}
	l.Save(context.Background(), "a/b", bytes.NewReader(make([]byte, 5000)))
	l.Save(context.Background(), "c", bytes.NewReader(make([]byte, 300)))
	used, _, err := l.Usage()
	if err != nil {
		t.Fatal(err)
	}
	// The checksum records add a little.
	if used < 5300 || used > 5300+1024 {
		t.Errorf("used = %d, want about 5300", used)
	}
	if temps := leftovers(t, root); len(temps) != 0 {
		t.Errorf("Check left %v", temps)
	}
	if err := os.Chmod(root, 0o500); err != nil {
		t.Fatal(err)
	}
	defer os.Chmod(root, 0o750)
	if os.Geteuid() != 0 {
		if err := l.Check(); err == nil {
			t.Error("Check passed on a read-only root")
		}
	}
	os.Chmod(root, 0o750)
	os.RemoveAll(root)
	if err := l.Check(); err == nil {
		t.Error("Check passed on a removed root")
	}
}

func TestRemoveStale(t *testing.T) {
	l, root := newStore(t, 0)
	l.Save(context.Background(), "d/keep", strings.NewReader("x"))
	old := filepath.Join(root, "d", tempPrefix+"old")
	fresh := filepath.Join(root, "d", tempPrefix+"fresh")
	os.WriteFile(old, []byte("x"), 0o600)
	os.WriteFile(fresh, []byte("x"), 0o600)
	past := time.Now().Add(-2 * time.Hour)
	os.Chtimes(old, past, past)
	n, err := l.RemoveStale(time.Hour)
	if err != nil || n != 1 {
		t.Errorf("RemoveStale = %d, %v; want 1", n, err)
	}
	if _, err := os.Stat(old); err == nil {
		t.Error("stale file kept")
	}
	if _, err := os.Stat(fresh); err != nil {
		t.Error("fresh file removed")
	}
	if ok, _ := l.Exists("d/keep"); !ok {
		t.Error("stored file removed")
	}
}

// FuzzSaveKey checks that any key is either refused as invalid or stores a
// file beneath the root that reads back intact.
func FuzzSaveKey(f *testing.F) {
	seeds := []string{"a", "a/b.docx", "../x", "/abs", "a//b", ".x", "中文/教案", "a\x00"}
	for _, s := range seeds {
		f.Add(s)
	}
	l, root := newStore(f, 1<<10)
	f.Fuzz(func(t *testing.T, key string) {
		info, err := l.Save(context.Background(), key, strings.NewReader(key))
		if err != nil {
			if errors.Is(err, ErrInvalidKey) != (ValidateKey(key) != nil) {
				t.Fatalf("Save(%q): %v", key, err)
			}
			return
		}
		p := filepath.Join(root, filepath.FromSlash(key))
		if rel, err := filepath.Rel(root, p); err != nil || !filepath.IsLocal(rel) {
			t.Fatalf("key %q escapes the root", key)
		}
		b, err := os.ReadFile(p)
		if err != nil || string(b) != key || info.SHA256 != hexSum(b) {
			t.Fatalf("key %q read back %q, %v", key, b, err)
		}
		l.Delete(key)
	})
}

func BenchmarkSave100MB(b *testing.B) {
	const size = 100 << 20
	l, _ := newStore(b, size)
	data := make([]byte, size)
	for i := range data {
		data[i] = byte(i * 7)
	}
	b.SetBytes(size)
	for b.Loop() {
		// A fresh key each time, as in use: names carry a unique id.
		_, err := l.Save(context.Background(), "bench/file.bin", bytes.NewReader(data))
		if err != nil {
			b.Fatal(err)
		}
		b.StopTimer()
		if err := l.Delete("bench/file.bin"); err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
	}
}
