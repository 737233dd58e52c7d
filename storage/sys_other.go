//go:build !unix

package storage

import (
	"errors"
	"io/fs"
)

// availableBytes is not implemented on this platform.
func availableBytes(string) (int64, error) {
	return 0, errors.New("free space is not known on this platform")
}

// fileID is not known on this platform, so checksum records match files by
// size and modification time alone.
func fileID(fs.FileInfo) uint64 { return 0 }

func isNotDir(error) bool { return false }
