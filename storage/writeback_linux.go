//go:build linux

package storage

import (
	"io"
	"os"

	"golang.org/x/sys/unix"
)

// startWriteback asks the kernel to begin writing the given range of w to
// disk without waiting for it, so that the sync at the end of a save finds
// little left to write while the content was being hashed. It is a hint;
// errors are ignored, and the final sync still decides.
func startWriteback(w io.Writer, off, n int64) {
	if f, ok := w.(*os.File); ok {
		_ = unix.SyncFileRange(int(f.Fd()), off, n, unix.SYNC_FILE_RANGE_WRITE)
	}
}
