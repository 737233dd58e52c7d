//go:build unix

package storage

import (
	"errors"
	"io/fs"
	"syscall"

	"golang.org/x/sys/unix"
)

// availableBytes returns the free bytes of the file system holding dir that
// unprivileged users may use.
func availableBytes(dir string) (int64, error) {
	var st unix.Statfs_t
	if err := unix.Statfs(dir, &st); err != nil {
		return 0, &fs.PathError{Op: "statfs", Path: dir, Err: err}
	}
	return int64(st.Bavail) * int64(st.Bsize), nil
}

// fileID returns the inode number of a file, which survives renames.
func fileID(fi fs.FileInfo) uint64 {
	if st, ok := fi.Sys().(*syscall.Stat_t); ok {
		return uint64(st.Ino)
	}
	return 0
}

func isNotDir(err error) bool { return errors.Is(err, syscall.ENOTDIR) }
