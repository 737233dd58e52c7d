package storage

import (
	"bufio"
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"hash/fnv"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"time"
)

// DefaultMaxFileSize is the file size limit of a store whose Options leave
// MaxFileSize zero: 100 MiB.
const DefaultMaxFileSize int64 = 100 << 20

const (
	dirPerm   = 0o750
	filePerm  = 0o640
	chunkSize = 1 << 20
	// writebackEvery is how many written bytes Save lets gather before it
	// asks the kernel to start writing them out.
	writebackEvery = 8 << 20
	tempPrefix     = ".tmp-"
	probeName      = ".probe-"
	metaDir        = ".meta"
	metaSuffix     = ".sha256"
	lockStripe     = 64
)

// Options configures a Local store.
type Options struct {
	// MaxFileSize is the most bytes Save accepts for one file. Zero means
	// DefaultMaxFileSize; a negative value is invalid.
	MaxFileSize int64
}

// Info describes a stored file.
type Info struct {
	// Key is the key the file is stored under.
	Key string
	// Size is the file's length in bytes.
	Size int64
	// SHA256 is the lowercase hex SHA-256 of the content. Save always sets
	// it; Open and Stat set it only when a current checksum record exists
	// and leave it empty otherwise (Checksum always yields one).
	SHA256 string
	// ModTime is the file's modification time.
	ModTime time.Time
}

// Local is a file store on local disk. All keys resolve beneath its root
// folder; symbolic links that lead outside the root are refused by the
// operating system's root-confined lookups. Local is safe for concurrent use.
//
// Checksums: Save records the SHA-256 of each file in a small record under
// the hidden folder ".meta" of the root, together with the file's size,
// modification time and file identity (inode). A record that no longer
// matches its file, because the file was replaced by something other than
// this store or because a crash came between writing the file and its
// record, is ignored, and Checksum then recomputes the hash from the content
// and rewrites the record. Records are a cache: losing them costs only a
// re-read of the file.
type Local struct {
	root    *os.Root
	dir     string
	maxSize int64
	locks   [lockStripe]sync.Mutex
}

// NewLocal opens a store rooted at the folder root, creating it (mode 0750)
// if it is missing.
func NewLocal(root string, opts Options) (*Local, error) {
	if opts.MaxFileSize < 0 {
		return nil, fmt.Errorf("new local storage: negative MaxFileSize %d",
			opts.MaxFileSize)
	}
	if root == "" {
		return nil, errors.New("new local storage: empty root")
	}
	max := opts.MaxFileSize
	if max == 0 {
		max = DefaultMaxFileSize
	}
	abs, err := filepath.Abs(root)
	if err != nil {
		return nil, fmt.Errorf("new local storage %s: %w", root, err)
	}
	if err := os.MkdirAll(abs, dirPerm); err != nil {
		return nil, fmt.Errorf("new local storage: %w", err)
	}
	r, err := os.OpenRoot(abs)
	if err != nil {
		return nil, fmt.Errorf("new local storage: %w", err)
	}
	return &Local{root: r, dir: abs, maxSize: max}, nil
}

// Close releases the store's handle on its root folder. The store must not
// be used afterwards.
func (l *Local) Close() error {
	if err := l.root.Close(); err != nil {
		return fmt.Errorf("close local storage: %w", err)
	}
	return nil
}

// Root returns the absolute path of the store's root folder.
func (l *Local) Root() string { return l.dir }

// MaxFileSize returns the most bytes Save accepts for one file.
func (l *Local) MaxFileSize() int64 { return l.maxSize }

// Path returns the absolute path on disk of the file stored under key, for
// tools that need a path rather than an open file. The path is only as
// trustworthy as the root folder: it is not protected against symbolic
// links placed in the root by others.
func (l *Local) Path(key string) (string, error) {
	rel, err := resolve(key)
	if err != nil {
		return "", err
	}
	return filepath.Join(l.dir, rel), nil
}

// resolve validates key and returns it as a path relative to the root in the
// operating system's form.
func resolve(key string) (string, error) {
	if err := ValidateKey(key); err != nil {
		return "", err
	}
	rel := filepath.FromSlash(key)
	// ValidateKey already forbids every escape; this is a second check.
	if !filepath.IsLocal(rel) {
		return "", fmt.Errorf("%w %q: escapes the root", ErrInvalidKey, key)
	}
	joined := filepath.Join(string(filepath.Separator), rel)
	if joined != string(filepath.Separator)+rel {
		return "", fmt.Errorf("%w %q: not a clean path", ErrInvalidKey, key)
	}
	return rel, nil
}

// lockIndex returns the index of the mutex that serializes the final steps
// of writes to key.
func lockIndex(key string) int {
	h := fnv.New32a()
	h.Write([]byte(key))
	return int(h.Sum32() % lockStripe)
}

// lock returns the mutex that serializes the final steps of writes to key.
func (l *Local) lock(key string) *sync.Mutex { return &l.locks[lockIndex(key)] }

// lockPair locks the mutexes of two keys in a fixed order and returns the
// function that unlocks them.
func (l *Local) lockPair(a, b string) func() {
	ia, ib := lockIndex(a), lockIndex(b)
	if ia == ib {
		l.locks[ia].Lock()
		return l.locks[ia].Unlock
	}
	if ia > ib {
		ia, ib = ib, ia
	}
	l.locks[ia].Lock()
	l.locks[ib].Lock()
	return func() { l.locks[ib].Unlock(); l.locks[ia].Unlock() }
}

// Save stores the content of r under key, replacing any file stored there
// atomically: readers see either the old file or the complete new one.
//
// The content streams into a temporary file beside the final one while it
// is hashed and counted. Save stops as soon as the content exceeds
// MaxFileSize and returns an error wrapping ErrTooLarge. It checks ctx
// between chunks, so a reader blocked inside Read delays cancellation until
// that Read returns. On success the file is synced, renamed into place and
// its folder synced. On any error no file is left behind, neither temporary
// nor final, and a file previously stored under key is untouched; folders
// created for the key may remain.
func (l *Local) Save(ctx context.Context, key string, r io.Reader) (Info, error) {
	rel, err := resolve(key)
	if err != nil {
		return Info{}, fmt.Errorf("save: %w", err)
	}
	if err := ctx.Err(); err != nil {
		return Info{}, fmt.Errorf("save %s: %w", key, err)
	}
	dir := filepath.Dir(rel)
	if err := l.mkdirAll(dir); err != nil {
		return Info{}, fmt.Errorf("save %s: %w", key, err)
	}
	f, tmp, err := l.createTemp(dir)
	if err != nil {
		return Info{}, fmt.Errorf("save %s: %w", key, err)
	}
	done := false
	defer func() {
		if !done {
			f.Close()
			l.root.Remove(tmp)
		}
	}()

	sum, size, err := l.copyLimited(ctx, f, r)
	if err != nil {
		return Info{}, fmt.Errorf("save %s: %w", key, err)
	}
	if err := f.Chmod(filePerm); err != nil {
		return Info{}, fmt.Errorf("save %s: %w", key, err)
	}
	if err := f.Sync(); err != nil {
		return Info{}, fmt.Errorf("save %s: sync: %w", key, err)
	}
	fi, err := f.Stat()
	if err != nil {
		return Info{}, fmt.Errorf("save %s: %w", key, err)
	}
	if err := f.Close(); err != nil {
		return Info{}, fmt.Errorf("save %s: close: %w", key, err)
	}
	if err := ctx.Err(); err != nil {
		return Info{}, fmt.Errorf("save %s: %w", key, err)
	}

	mu := l.lock(key)
	mu.Lock()
	defer mu.Unlock()
	if err := l.root.Rename(tmp, rel); err != nil {
		return Info{}, fmt.Errorf("save %s: %w", key, err)
	}
	done = true
	if err := l.syncDir(dir); err != nil {
		// The file is in place but may not survive a crash; report it.
		return Info{}, fmt.Errorf("save %s: sync folder: %w", key, err)
	}
	// The record is a cache (see Local); a failure to write it only means
	// that Checksum will recompute the hash later.
	_ = l.writeRecord(key, record{sha: sum, size: size, mod: fi.ModTime(), id: fileID(fi)})
	return Info{Key: key, Size: size, SHA256: sum, ModTime: fi.ModTime()}, nil
}

// copyLimited copies r to w in chunks and enforces the size limit and ctx.
// A second goroutine hashes each chunk while the next one is read and
// written, so hashing adds little to the time of a large copy.
func (l *Local) copyLimited(ctx context.Context, w io.Writer, r io.Reader) (string, int64, error) {
	const buffers = 3
	free := make(chan []byte, buffers)
	for range buffers {
		free <- make([]byte, chunkSize)
	}
	work := make(chan []byte, buffers)
	h := sha256.New()
	hashed := make(chan struct{})
	go func() {
		defer close(hashed)
		for b := range work {
			h.Write(b)
			free <- b[:cap(b)]
		}
	}()
	n, err := l.copyChunks(ctx, w, r, free, work)
	close(work)
	<-hashed
	if err != nil {
		return "", n, err
	}
	return hex.EncodeToString(h.Sum(nil)), n, nil
}

// copyChunks is the reading and writing half of copyLimited: it takes
// buffers from free and hands each written chunk to work for hashing.
func (l *Local) copyChunks(ctx context.Context, w io.Writer, r io.Reader,
	free chan []byte, work chan<- []byte) (int64, error) {
	var n, flushed int64
	for {
		if err := ctx.Err(); err != nil {
			return n, err
		}
		buf := <-free
		m, rerr := r.Read(buf)
		if m > 0 {
			if n+int64(m) > l.maxSize {
				return n, fmt.Errorf("%w: more than %d bytes", ErrTooLarge, l.maxSize)
			}
			if _, err := w.Write(buf[:m]); err != nil {
				return n, fmt.Errorf("write: %w", err)
			}
			n += int64(m)
			if n-flushed >= writebackEvery {
				startWriteback(w, flushed, n-flushed)
				flushed = n
			}
			work <- buf[:m]
		} else {
			free <- buf
		}
		if rerr == io.EOF {
			return n, nil
		}
		if rerr != nil {
			return n, fmt.Errorf("read: %w", rerr)
		}
	}
}

// createTemp creates a new dot-prefixed temporary file in dir.
func (l *Local) createTemp(dir string) (*os.File, string, error) {
	for range 10 {
		name := filepath.Join(dir, tempPrefix+randomHex(8))
		f, err := l.root.OpenFile(name, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
		if errors.Is(err, fs.ErrExist) {
			continue
		}
		if err != nil {
			return nil, "", fmt.Errorf("create temporary file: %w", err)
		}
		return f, name, nil
	}
	return nil, "", errors.New("create temporary file: too many name collisions")
}

func randomHex(n int) string {
	b := make([]byte, n)
	rand.Read(b) // never fails
	return hex.EncodeToString(b)
}

// mkdirAll creates dir and its missing parents beneath the root, syncing the
// folder each new one is created in.
func (l *Local) mkdirAll(dir string) error {
	if dir == "." {
		return nil
	}
	if fi, err := l.root.Stat(dir); err == nil {
		if !fi.IsDir() {
			return fmt.Errorf("mkdir %s: not a folder", filepath.ToSlash(dir))
		}
		return nil
	}
	parent := filepath.Dir(dir)
	if err := l.mkdirAll(parent); err != nil {
		return err
	}
	err := l.root.Mkdir(dir, dirPerm)
	if errors.Is(err, fs.ErrExist) {
		return nil
	}
	if err != nil {
		return err
	}
	return l.syncDir(parent)
}

// syncDir flushes a folder's entries to disk.
func (l *Local) syncDir(dir string) error {
	d, err := l.root.Open(dir)
	if err != nil {
		return err
	}
	serr := d.Sync()
	cerr := d.Close()
	if serr != nil {
		return serr
	}
	return cerr
}

// Open opens the file stored under key for reading. The caller closes it.
// Info carries Size and ModTime of the opened file, and SHA256 when a
// current checksum record exists.
func (l *Local) Open(key string) (*os.File, Info, error) {
	rel, err := resolve(key)
	if err != nil {
		return nil, Info{}, fmt.Errorf("open: %w", err)
	}
	f, err := l.root.Open(rel)
	if err != nil {
		return nil, Info{}, fmt.Errorf("open %s: %w", key, notFound(err))
	}
	fi, err := f.Stat()
	if err != nil {
		f.Close()
		return nil, Info{}, fmt.Errorf("open %s: %w", key, err)
	}
	if !fi.Mode().IsRegular() {
		f.Close()
		return nil, Info{}, fmt.Errorf("open %s: %w", key, ErrNotFound)
	}
	return f, l.info(key, fi), nil
}

// Stat describes the file stored under key.
func (l *Local) Stat(key string) (Info, error) {
	fi, err := l.statFile(key)
	if err != nil {
		return Info{}, fmt.Errorf("stat %w", err)
	}
	return l.info(key, fi), nil
}

// statFile returns the file information of key's regular file; its errors
// begin with the key.
func (l *Local) statFile(key string) (fs.FileInfo, error) {
	rel, err := resolve(key)
	if err != nil {
		return nil, err
	}
	fi, err := l.root.Stat(rel)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", key, notFound(err))
	}
	if !fi.Mode().IsRegular() {
		return nil, fmt.Errorf("%s: %w", key, ErrNotFound)
	}
	return fi, nil
}

func (l *Local) info(key string, fi fs.FileInfo) Info {
	in := Info{Key: key, Size: fi.Size(), ModTime: fi.ModTime()}
	if rec, err := l.readRecord(key); err == nil && rec.matches(fi) {
		in.SHA256 = rec.sha
	}
	return in
}

// notFound maps a missing file, or a path through something that is not a
// folder, to ErrNotFound.
func notFound(err error) error {
	if errors.Is(err, fs.ErrNotExist) || isNotDir(err) {
		return ErrNotFound
	}
	return err
}

// Exists reports whether a file is stored under key.
func (l *Local) Exists(key string) (bool, error) {
	_, err := l.statFile(key)
	if errors.Is(err, ErrNotFound) {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("exists %w", err)
	}
	return true, nil
}

// Checksum returns the lowercase hex SHA-256 of the file stored under key.
// It reads the checksum record Save wrote, and recomputes the hash from the
// content (rewriting the record) when the record is missing or stale.
func (l *Local) Checksum(key string) (string, error) {
	rel, err := resolve(key)
	if err != nil {
		return "", fmt.Errorf("checksum: %w", err)
	}
	f, err := l.root.Open(rel)
	if err != nil {
		return "", fmt.Errorf("checksum %s: %w", key, notFound(err))
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return "", fmt.Errorf("checksum %s: %w", key, err)
	}
	if !fi.Mode().IsRegular() {
		return "", fmt.Errorf("checksum %s: %w", key, ErrNotFound)
	}
	if rec, err := l.readRecord(key); err == nil && rec.matches(fi) {
		return rec.sha, nil
	}
	h := sha256.New()
	n, err := io.Copy(h, f)
	if err != nil {
		return "", fmt.Errorf("checksum %s: %w", key, err)
	}
	sum := hex.EncodeToString(h.Sum(nil))
	if after, err := f.Stat(); err == nil && n == fi.Size() && after.Size() == fi.Size() &&
		after.ModTime().Equal(fi.ModTime()) {
		mu := l.lock(key)
		mu.Lock()
		// Rewrite the record only if the key still names the file hashed.
		if cur, err := l.root.Stat(rel); err == nil && os.SameFile(cur, fi) {
			_ = l.writeRecord(key, record{sha: sum, size: n, mod: fi.ModTime(), id: fileID(fi)})
		}
		mu.Unlock()
	}
	return sum, nil
}

// Delete removes the file stored under key.
func (l *Local) Delete(key string) error {
	rel, err := resolve(key)
	if err != nil {
		return fmt.Errorf("delete: %w", err)
	}
	mu := l.lock(key)
	mu.Lock()
	defer mu.Unlock()
	fi, err := l.root.Lstat(rel)
	if err != nil {
		return fmt.Errorf("delete %s: %w", key, notFound(err))
	}
	if fi.IsDir() {
		return fmt.Errorf("delete %s: %w", key, ErrNotFound)
	}
	if err := l.root.Remove(rel); err != nil {
		return fmt.Errorf("delete %s: %w", key, notFound(err))
	}
	l.root.Remove(recordPath(key))
	if err := l.syncDir(filepath.Dir(rel)); err != nil {
		return fmt.Errorf("delete %s: sync folder: %w", key, err)
	}
	return nil
}

// Move renames the file stored under from to the key to, atomically,
// creating the folders to needs and replacing any file stored under to.
// Moving a key onto itself does nothing.
func (l *Local) Move(ctx context.Context, from, to string) error {
	src, err := resolve(from)
	if err != nil {
		return fmt.Errorf("move: %w", err)
	}
	dst, err := resolve(to)
	if err != nil {
		return fmt.Errorf("move: %w", err)
	}
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("move %s: %w", from, err)
	}
	unlock := l.lockPair(from, to)
	defer unlock()
	fi, err := l.root.Stat(src)
	if err != nil {
		return fmt.Errorf("move %s: %w", from, notFound(err))
	}
	if !fi.Mode().IsRegular() {
		return fmt.Errorf("move %s: %w", from, ErrNotFound)
	}
	if src == dst {
		return nil
	}
	if err := l.mkdirAll(filepath.Dir(dst)); err != nil {
		return fmt.Errorf("move %s to %s: %w", from, to, err)
	}
	if err := l.root.Rename(src, dst); err != nil {
		return fmt.Errorf("move %s to %s: %w", from, to, err)
	}
	// The record follows its file; a stale one would be ignored anyway.
	if rec, err := l.readRecord(from); err == nil && rec.matches(fi) {
		_ = l.writeRecord(to, rec)
	} else {
		l.root.Remove(recordPath(to))
	}
	l.root.Remove(recordPath(from))
	if err := l.syncDir(filepath.Dir(dst)); err != nil {
		return fmt.Errorf("move %s to %s: sync folder: %w", from, to, err)
	}
	if d := filepath.Dir(src); d != filepath.Dir(dst) {
		if err := l.syncDir(d); err != nil {
			return fmt.Errorf("move %s to %s: sync folder: %w", from, to, err)
		}
	}
	return nil
}

// Usage returns the bytes taken by the files under the root (their lengths,
// including checksum records and temporary files) and the bytes still
// available on the root's file system to unprivileged users.
func (l *Local) Usage() (used, available int64, err error) {
	err = fs.WalkDir(l.root.FS(), ".", func(_ string, d fs.DirEntry, err error) error {
		if err != nil {
			if errors.Is(err, fs.ErrNotExist) {
				return nil // removed while walking
			}
			return err
		}
		if !d.Type().IsRegular() {
			return nil
		}
		fi, err := d.Info()
		if err != nil {
			if errors.Is(err, fs.ErrNotExist) {
				return nil
			}
			return err
		}
		used += fi.Size()
		return nil
	})
	if err != nil {
		return 0, 0, fmt.Errorf("usage: %w", err)
	}
	available, err = availableBytes(l.dir)
	if err != nil {
		return 0, 0, fmt.Errorf("usage: %w", err)
	}
	return used, available, nil
}

// Check reports whether the root folder exists and is writable, by creating
// and removing a probe file. It suits a health check.
func (l *Local) Check() error {
	fi, err := os.Stat(l.dir)
	if err != nil {
		return fmt.Errorf("check storage: %w", err)
	}
	if !fi.IsDir() {
		return fmt.Errorf("check storage: %s is not a folder", l.dir)
	}
	name := probeName + randomHex(8)
	f, err := l.root.OpenFile(name, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return fmt.Errorf("check storage: %w", err)
	}
	_, werr := f.Write([]byte("ok"))
	cerr := f.Close()
	rerr := l.root.Remove(name)
	if err := errors.Join(werr, cerr, rerr); err != nil {
		return fmt.Errorf("check storage: %w", err)
	}
	return nil
}

// RemoveStale deletes temporary and probe files older than maxAge, which a
// crash during Save or Check can leave behind, and returns how many it
// removed. Run it at start-up; a maxAge well above the longest upload keeps
// it from touching a Save in progress.
func (l *Local) RemoveStale(maxAge time.Duration) (int, error) {
	cutoff := time.Now().Add(-maxAge)
	removed := 0
	err := fs.WalkDir(l.root.FS(), ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			if errors.Is(err, fs.ErrNotExist) {
				return nil
			}
			return err
		}
		name := d.Name()
		if !d.Type().IsRegular() ||
			!strings.HasPrefix(name, tempPrefix) && !strings.HasPrefix(name, probeName) {
			return nil
		}
		fi, err := d.Info()
		if err != nil || fi.ModTime().After(cutoff) {
			return nil
		}
		if err := l.root.Remove(filepath.FromSlash(p)); err == nil {
			removed++
		}
		return nil
	})
	if err != nil {
		return removed, fmt.Errorf("remove stale files: %w", err)
	}
	return removed, nil
}

// record is a file's checksum record.
type record struct {
	sha  string
	size int64
	mod  time.Time
	id   uint64
}

func (r record) matches(fi fs.FileInfo) bool {
	return r.size == fi.Size() && r.mod.Equal(fi.ModTime()) && r.id == fileID(fi)
}

func recordPath(key string) string {
	return filepath.FromSlash(path.Join(metaDir, key+metaSuffix))
}

func (l *Local) readRecord(key string) (record, error) {
	b, err := l.root.ReadFile(recordPath(key))
	if err != nil {
		return record{}, err
	}
	fields := strings.Fields(string(b))
	if len(fields) != 4 || len(fields[0]) != 2*sha256.Size {
		return record{}, errors.New("malformed checksum record")
	}
	if _, err := hex.DecodeString(fields[0]); err != nil {
		return record{}, errors.New("malformed checksum record")
	}
	size, err1 := strconv.ParseInt(fields[1], 10, 64)
	mod, err2 := strconv.ParseInt(fields[2], 10, 64)
	id, err3 := strconv.ParseUint(fields[3], 10, 64)
	if err := errors.Join(err1, err2, err3); err != nil {
		return record{}, errors.New("malformed checksum record")
	}
	return record{sha: strings.ToLower(fields[0]), size: size, mod: time.Unix(0, mod), id: id}, nil
}

// writeRecord writes key's checksum record atomically. Callers hold key's
// lock.
func (l *Local) writeRecord(key string, r record) error {
	p := recordPath(key)
	dir := filepath.Dir(p)
	if err := l.mkdirAll(dir); err != nil {
		return err
	}
	f, tmp, err := l.createTemp(dir)
	if err != nil {
		return err
	}
	w := bufio.NewWriter(f)
	fmt.Fprintf(w, "%s %d %d %d\n", r.sha, r.size, r.mod.UnixNano(), r.id)
	werr := w.Flush()
	cerr := f.Close()
	if err := errors.Join(werr, cerr); err != nil {
		l.root.Remove(tmp)
		return err
	}
	if err := l.root.Rename(tmp, p); err != nil {
		l.root.Remove(tmp)
		return err
	}
	return nil
}
