package storage

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

const (
	// maxNameBytes bounds the length of a name FileName makes.
	maxNameBytes  = 120
	maxLevelBytes = 40
	maxIDBytes    = 32
	maxExtBytes   = 16
	fallbackTitle = "lesson"
	separators    = " ._-"
)

// FileName makes a human-friendly file name for an exported lesson from its
// title and level, a short unique id and an extension, such as
// "Unit 3 My Family 我的家人_A1 七年级上册_3f9c2a1b.docx".
//
// Letters, digits and combining marks of any script are kept, as are spaces,
// "-", "_" and "."; every other character (path separators, characters that
// Windows forbids, control characters, punctuation, emoji) becomes "_", and
// a "_" beside a space is dropped. Repeated separators collapse to one, and
// dots, spaces, "_" and "-" are trimmed from the ends of each part. The
// title is shortened on a character boundary so that the name stays within
// 120 bytes; an empty title becomes "lesson". The extension keeps only ASCII
// letters and digits, with or without its leading dot in ext. The result is
// never empty, never starts with a dot and is always a valid key segment.
//
// Names are not Unicode-normalized, so visually equal titles typed with
// different compositions give different names.
func FileName(title, level, id, ext string) string {
	var suffix strings.Builder
	if lv := truncate(cleanPart(level), maxLevelBytes); lv != "" {
		suffix.WriteString("_" + lv)
	}
	if i := truncate(cleanPart(id), maxIDBytes); i != "" {
		suffix.WriteString("_" + i)
	}
	if e := cleanExt(ext); e != "" {
		suffix.WriteString("." + e)
	}
	t := truncate(cleanPart(title), maxNameBytes-suffix.Len())
	if t == "" {
		t = fallbackTitle
	}
	return t + suffix.String()
}

// cleanPart maps the characters of s as FileName describes and normalizes
// runs of separators.
func cleanPart(s string) string {
	mapped := make([]rune, 0, len(s))
	for _, r := range s {
		switch {
		case r == ' ' || r == '-' || r == '_' || r == '.':
		case r == utf8.RuneError:
			r = '_'
		case unicode.IsLetter(r) || unicode.IsNumber(r) || unicode.IsMark(r):
		case unicode.IsSpace(r) && !unicode.IsControl(r):
			r = ' '
		default:
			r = '_'
		}
		mapped = append(mapped, r)
	}
	var b strings.Builder
	for i := 0; i < len(mapped); {
		if !isSeparator(mapped[i]) {
			b.WriteRune(mapped[i])
			i++
			continue
		}
		j := i
		for j < len(mapped) && isSeparator(mapped[j]) {
			j++
		}
		writeRun(&b, mapped[i:j])
		i = j
	}
	return strings.Trim(b.String(), separators)
}

func isSeparator(r rune) bool { return strings.ContainsRune(separators, r) }

// writeRun writes a run of separators: without "_" if it holds a space, and
// without repeats.
func writeRun(b *strings.Builder, run []rune) {
	space := false
	for _, r := range run {
		if r == ' ' {
			space = true
		}
	}
	var last rune
	for _, r := range run {
		if space && r == '_' || r == last {
			continue
		}
		b.WriteRune(r)
		last = r
	}
}

// cleanExt keeps the ASCII letters and digits of an extension.
func cleanExt(ext string) string {
	var b strings.Builder
	for _, r := range ext {
		if r < utf8.RuneSelf && (unicode.IsLetter(r) || unicode.IsDigit(r)) {
			b.WriteRune(r)
		}
	}
	return truncate(b.String(), maxExtBytes)
}

// truncate shortens s to at most n bytes on a character boundary and trims
// separators left at its end.
func truncate(s string, n int) string {
	if n <= 0 {
		return ""
	}
	if len(s) <= n {
		return s
	}
	cut := n
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return strings.TrimRight(s[:cut], separators)
}
