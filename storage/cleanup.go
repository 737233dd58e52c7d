package storage

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"path"
	"path/filepath"
	"slices"
	"strings"
	"time"
)

// DefaultRetention is how long Cleanup keeps a stored file when its options
// leave OlderThan zero: 30 days.
const DefaultRetention = 30 * 24 * time.Hour

// StaleTempAge is the age past which Cleanup treats a temporary or probe
// file as left behind by a crash. Save writes its temporary file chunk by
// chunk, so one that has not changed for a day belongs to no running Save.
const StaleTempAge = 24 * time.Hour

// List returns the stored files whose keys start with prefix, sorted by
// key, at most limit of them (all of them when limit is zero or negative).
// A prefix is usually a format folder such as "pdf/"; the empty prefix lists
// the whole store. Names starting with a dot (temporary files, checksum
// records and the ".meta" folder) are never listed. A prefix whose folder
// does not exist gives an empty list. An invalid prefix gives an error
// wrapping ErrInvalidKey.
//
// List reads the whole folder below the prefix before it sorts and cuts the
// result, so its cost grows with the number of files there, not with limit.
func (l *Local) List(prefix string, limit int) ([]Info, error) {
	start, err := listStart(prefix)
	if err != nil {
		return nil, fmt.Errorf("list: %w", err)
	}
	var out []Info
	err = l.walkFiles(start, func(key string, fi fs.FileInfo) error {
		if strings.HasPrefix(key, prefix) {
			out = append(out, l.info(key, fi))
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("list %q: %w", prefix, err)
	}
	slices.SortFunc(out, func(a, b Info) int { return strings.Compare(a.Key, b.Key) })
	if limit > 0 && len(out) > limit {
		out = out[:limit:limit]
	}
	return out, nil
}

// listStart returns the folder, in slash form, below which the keys starting
// with prefix live: "." for the whole store.
func listStart(prefix string) (string, error) {
	if prefix == "" {
		return ".", nil
	}
	trimmed := strings.TrimSuffix(prefix, "/")
	if err := ValidateKey(trimmed); err != nil {
		return "", err
	}
	if strings.HasSuffix(prefix, "/") {
		return trimmed, nil
	}
	return path.Dir(trimmed), nil
}

// walkFiles calls fn with the key and file information of every regular
// file below the folder start (slash form), skipping names that start with a
// dot. A missing start folder, or a file removed while walking, is not an
// error.
func (l *Local) walkFiles(start string, fn func(key string, fi fs.FileInfo) error) error {
	err := fs.WalkDir(l.root.FS(), start, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			if errors.Is(err, fs.ErrNotExist) || isNotDir(err) {
				if p == start {
					return fs.SkipAll
				}
				return nil
			}
			return err
		}
		if p != "." && strings.HasPrefix(d.Name(), ".") {
			if d.IsDir() {
				return fs.SkipDir
			}
			return nil
		}
		if p == start && !d.IsDir() {
			return fs.SkipAll // the prefix names a file, not a folder
		}
		if !d.Type().IsRegular() {
			return nil
		}
		fi, err := d.Info()
		if errors.Is(err, fs.ErrNotExist) {
			return nil
		}
		if err != nil {
			return err
		}
		return fn(p, fi)
	})
	if errors.Is(err, fs.SkipAll) {
		return nil
	}
	return err
}

// CleanupOptions says which files Cleanup removes.
type CleanupOptions struct {
	// OlderThan is the retention: files last modified longer ago than this
	// are removed. Zero means DefaultRetention; a negative value is invalid.
	OlderThan time.Duration
	// DryRun reports what would be removed and removes nothing.
	DryRun bool
	// Keep, when set, is asked about every file old enough to be removed;
	// a file it returns true for is kept. The service passes a function
	// that keeps the staging files of exports still running.
	Keep func(key string) bool
	// Now is the time the retention counts back from; zero means now.
	Now time.Time
}

// CleanupReport says what Cleanup removed, or would remove in a dry run.
type CleanupReport struct {
	// Removed lists the stored files removed (in a dry run: that would be
	// removed), sorted by key.
	Removed []Info
	// RemovedBytes is the total size of Removed.
	RemovedBytes int64
	// Kept lists the files old enough to be removed that Keep kept.
	Kept []Info
	// StaleTemp counts the temporary and probe files removed (or that would
	// be removed) because they were older than StaleTempAge.
	StaleTemp int
	// Records counts the checksum records removed (or that would be
	// removed) whose file was gone.
	Records int
	// DryRun reports that nothing was removed.
	DryRun bool
}

// Cleanup removes the stored files last modified before the retention
// period, with their checksum records, except those opts.Keep keeps. It also
// removes temporary and probe files older than StaleTempAge, as RemoveStale
// does, and checksum records whose file is gone. In a dry run it removes
// nothing and reports what it would remove.
//
// Each file is checked again under its key's lock just before removal, so a
// file that Save or Move replaced in the meantime is not removed. Cleanup
// stops early when ctx is done, returning what it removed so far with the
// context's error. Folders are left in place even when they become empty.
func (l *Local) Cleanup(ctx context.Context, opts CleanupOptions) (CleanupReport, error) {
	rep := CleanupReport{DryRun: opts.DryRun}
	if opts.OlderThan < 0 {
		return rep, fmt.Errorf("cleanup: negative retention %s", opts.OlderThan)
	}
	retention := opts.OlderThan
	if retention == 0 {
		retention = DefaultRetention
	}
	now := opts.Now
	if now.IsZero() {
		now = time.Now()
	}
	cutoff := now.Add(-retention)

	var old []Info
	err := l.walkFiles(".", func(key string, fi fs.FileInfo) error {
		if err := ctx.Err(); err != nil {
			return err
		}
		if !fi.ModTime().Before(cutoff) {
			return nil
		}
		in := Info{Key: key, Size: fi.Size(), ModTime: fi.ModTime()}
		if opts.Keep != nil && opts.Keep(key) {
			rep.Kept = append(rep.Kept, in)
			return nil
		}
		old = append(old, in)
		return nil
	})
	if err != nil {
		return rep, fmt.Errorf("cleanup: %w", err)
	}
	slices.SortFunc(old, func(a, b Info) int { return strings.Compare(a.Key, b.Key) })
	slices.SortFunc(rep.Kept, func(a, b Info) int { return strings.Compare(a.Key, b.Key) })

	for _, in := range old {
		if err := ctx.Err(); err != nil {
			return rep, fmt.Errorf("cleanup: %w", err)
		}
		if !opts.DryRun {
			removed, err := l.removeIfOld(in, cutoff)
			if err != nil {
				return rep, fmt.Errorf("cleanup: %w", err)
			}
			if !removed {
				continue
			}
		}
		rep.Removed = append(rep.Removed, in)
		rep.RemovedBytes += in.Size
	}

	if rep.StaleTemp, err = l.removeStaleTemp(ctx, now.Add(-StaleTempAge), opts.DryRun); err != nil {
		return rep, fmt.Errorf("cleanup: %w", err)
	}
	if rep.Records, err = l.removeOrphanRecords(ctx, opts.DryRun); err != nil {
		return rep, fmt.Errorf("cleanup: %w", err)
	}
	return rep, nil
}

// removeIfOld removes the file of in and its checksum record if the key
// still names a file last modified before cutoff. It reports whether it
// removed it.
func (l *Local) removeIfOld(in Info, cutoff time.Time) (bool, error) {
	rel, err := resolve(in.Key)
	if err != nil {
		return false, err
	}
	mu := l.lock(in.Key)
	mu.Lock()
	defer mu.Unlock()
	fi, err := l.root.Lstat(rel)
	if errors.Is(notFound(err), ErrNotFound) {
		return false, nil // removed by someone else meanwhile
	}
	if err != nil {
		return false, fmt.Errorf("remove %s: %w", in.Key, err)
	}
	if !fi.Mode().IsRegular() || !fi.ModTime().Before(cutoff) {
		return false, nil // replaced meanwhile
	}
	if err := l.root.Remove(rel); err != nil {
		if errors.Is(notFound(err), ErrNotFound) {
			return false, nil
		}
		return false, fmt.Errorf("remove %s: %w", in.Key, err)
	}
	l.root.Remove(recordPath(in.Key))
	if err := l.syncDir(filepath.Dir(rel)); err != nil {
		return true, fmt.Errorf("remove %s: sync folder: %w", in.Key, err)
	}
	return true, nil
}

// removeStaleTemp removes, or counts in a dry run, the temporary and probe
// files last modified before cutoff anywhere below the root.
func (l *Local) removeStaleTemp(ctx context.Context, cutoff time.Time, dryRun bool) (int, error) {
	n := 0
	err := fs.WalkDir(l.root.FS(), ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			if errors.Is(err, fs.ErrNotExist) {
				return nil
			}
			return err
		}
		if err := ctx.Err(); err != nil {
			return err
		}
		name := d.Name()
		if !d.Type().IsRegular() ||
			!strings.HasPrefix(name, tempPrefix) && !strings.HasPrefix(name, probeName) {
			return nil
		}
		fi, err := d.Info()
		if err != nil || !fi.ModTime().Before(cutoff) {
			return nil
		}
		if dryRun {
			n++
			return nil
		}
		if err := l.root.Remove(filepath.FromSlash(p)); err == nil {
			n++
		}
		return nil
	})
	if err != nil {
		return n, fmt.Errorf("remove stale files: %w", err)
	}
	return n, nil
}

// removeOrphanRecords removes, or counts in a dry run, the checksum records
// whose file no longer exists.
func (l *Local) removeOrphanRecords(ctx context.Context, dryRun bool) (int, error) {
	n := 0
	err := fs.WalkDir(l.root.FS(), metaDir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			if errors.Is(err, fs.ErrNotExist) {
				if p == metaDir {
					return fs.SkipAll
				}
				return nil
			}
			return err
		}
		if err := ctx.Err(); err != nil {
			return err
		}
		if !d.Type().IsRegular() || !strings.HasSuffix(p, metaSuffix) ||
			strings.HasPrefix(d.Name(), ".") {
			return nil
		}
		key := strings.TrimSuffix(strings.TrimPrefix(p, metaDir+"/"), metaSuffix)
		rel, err := resolve(key)
		if err != nil {
			return nil // not a record this store wrote
		}
		mu := l.lock(key)
		mu.Lock()
		defer mu.Unlock()
		if _, err := l.root.Lstat(rel); !errors.Is(notFound(err), ErrNotFound) {
			return nil
		}
		if dryRun {
			n++
			return nil
		}
		if err := l.root.Remove(filepath.FromSlash(p)); err == nil {
			n++
		}
		return nil
	})
	if err != nil && !errors.Is(err, fs.SkipAll) {
		return n, fmt.Errorf("remove orphan records: %w", err)
	}
	return n, nil
}
