package storage

import (
	"errors"
	"fmt"
	"path"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Sentinel errors; test for them with errors.Is.
var (
	// ErrNotFound reports that no file is stored under a key.
	ErrNotFound = errors.New("file not found")
	// ErrTooLarge reports that a file exceeds the store's MaxFileSize.
	ErrTooLarge = errors.New("file too large")
	// ErrInvalidKey reports a key that is not a clean relative path.
	ErrInvalidKey = errors.New("invalid key")
)

const (
	// MaxSegmentLength is the most bytes one slash-separated segment of a key
	// may have, the common limit of file name length.
	MaxSegmentLength = 255
	// MaxKeyLength is the most bytes a whole key may have.
	MaxKeyLength = 1024
)

// ValidateKey reports whether key can name a stored file. A key is a
// slash-separated relative path of non-empty segments that are valid UTF-8,
// hold no backslash, NUL or other control character, do not start with a
// dot and are at most MaxSegmentLength bytes long. Names starting with a dot
// are reserved for the store's temporary and checksum files. The returned
// error wraps ErrInvalidKey.
func ValidateKey(key string) error {
	reason := keyProblem(key)
	if reason == "" {
		return nil
	}
	return fmt.Errorf("%w %q: %s", ErrInvalidKey, key, reason)
}

func keyProblem(key string) string {
	switch {
	case key == "":
		return "empty"
	case len(key) > MaxKeyLength:
		return fmt.Sprintf("longer than %d bytes", MaxKeyLength)
	case !utf8.ValidString(key):
		return "not valid UTF-8"
	case strings.HasPrefix(key, "/"):
		return "absolute path"
	case strings.ContainsRune(key, '\\'):
		return "contains a backslash"
	}
	for _, r := range key {
		if unicode.IsControl(r) || r == utf8.RuneError {
			return "contains a control character"
		}
	}
	for seg := range strings.SplitSeq(key, "/") {
		switch {
		case seg == "":
			return "empty path segment"
		case seg[0] == '.':
			return "segment starts with a dot"
		case len(seg) > MaxSegmentLength:
			return fmt.Sprintf("segment longer than %d bytes", MaxSegmentLength)
		}
	}
	if path.Clean(key) != key {
		return "not a clean path"
	}
	return ""
}
