package ooxml

import (
	"io"
	"math"
	"net/url"
	"strings"
	"unicode/utf8"
)

// Allowed reports whether r may appear in an XML 1.0 document. Besides the
// characters XML 1.0 forbids it also refuses the control characters and
// noncharacters the XML specification discourages, which no office suite
// shows and some refuse.
func Allowed(r rune) bool {
	switch {
	case r == '\t' || r == '\n' || r == '\r':
		return true
	case r < 0x20:
		return false
	case r >= 0x7F && r <= 0x9F:
		return false
	case r >= 0xD800 && r <= 0xDFFF:
		return false
	case r >= 0xFDD0 && r <= 0xFDEF:
		return false
	case r&0xFFFE == 0xFFFE:
		return false
	case r > utf8.MaxRune:
		return false
	}
	return true
}

// Clean returns s without invalid UTF-8 and without the characters Allowed
// refuses. Everything else, emoji included, is kept.
func Clean(s string) string {
	ok := true
	for i := 0; i < len(s); {
		r, n := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && n == 1 || !Allowed(r) {
			ok = false
			break
		}
		i += n
	}
	if ok {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	for i := 0; i < len(s); {
		r, n := utf8.DecodeRuneInString(s[i:])
		i += n
		if r == utf8.RuneError && n == 1 || !Allowed(r) {
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}

// Escape returns s cleaned and escaped for use as XML character data or as
// a double-quoted attribute value. Tabs, line feeds and carriage returns
// become character references so that attribute values keep them.
func Escape(s string) string {
	s = Clean(s)
	if !strings.ContainsAny(s, "&<>\"'\t\n\r") {
		return s
	}
	var b strings.Builder
	b.Grow(len(s) + 16)
	for _, r := range s {
		switch r {
		case '&':
			b.WriteString("&amp;")
		case '<':
			b.WriteString("&lt;")
		case '>':
			b.WriteString("&gt;")
		case '"':
			b.WriteString("&quot;")
		case '\'':
			b.WriteString("&apos;")
		case '\t':
			b.WriteString("&#9;")
		case '\n':
			b.WriteString("&#10;")
		case '\r':
			b.WriteString("&#13;")
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// WriteEscaped writes Escape(s) to w.
func WriteEscaped(w io.StringWriter, s string) {
	_, _ = w.WriteString(Escape(s))
}

// maxLink is the longest hyperlink target kept; Word refuses much longer
// ones.
const maxLink = 2000

// SafeLink returns a hyperlink target that Word, PowerPoint and LibreOffice
// accept for an external relationship, and false when link is no absolute
// http, https, mailto, ftp or tel address and the text is to be shown
// without a link.
func SafeLink(link string) (string, bool) {
	link = strings.TrimSpace(Clean(link))
	if link == "" || len(link) > maxLink {
		return "", false
	}
	u, err := url.Parse(link)
	if err != nil {
		return "", false
	}
	switch strings.ToLower(u.Scheme) {
	case "http", "https", "ftp":
		if u.Host == "" {
			return "", false
		}
	case "mailto", "tel":
		if u.Opaque == "" && u.Path == "" {
			return "", false
		}
	default:
		return "", false
	}
	s := u.String()
	// Percent-encode whatever url.URL.String leaves that is not plain
	// printable ASCII, so that the target is a valid URI.
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c <= 0x20 || c >= 0x7F || c == '"' || c == '<' || c == '>' || c == '\\' ||
			c == '^' || c == '`' || c == '{' || c == '|' || c == '}' {
			b.WriteByte('%')
			b.WriteByte("0123456789ABCDEF"[c>>4])
			b.WriteByte("0123456789ABCDEF"[c&15])
			continue
		}
		b.WriteByte(c)
	}
	if b.Len() > maxLink {
		return "", false
	}
	return b.String(), true
}

// Lang returns the BCP 47 tag tag when it looks like one, "zh-CN" for a
// bare "zh" and "en-US" when tag is empty or malformed.
func Lang(tag string) string {
	tag = strings.ReplaceAll(strings.TrimSpace(tag), "_", "-")
	if tag == "" || len(tag) > 35 {
		return "en-US"
	}
	for i := 0; i < len(tag); i++ {
		c := tag[i]
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-') {
			return "en-US"
		}
	}
	switch strings.ToLower(tag) {
	case "zh", "zh-hans":
		return "zh-CN"
	case "en":
		return "en-US"
	}
	return tag
}

// Chinese reports whether tag names a Chinese language.
func Chinese(tag string) bool {
	t := strings.ToLower(strings.TrimSpace(tag))
	return t == "zh" || strings.HasPrefix(t, "zh-") || strings.HasPrefix(t, "zh_")
}

// Columns returns how many columns r takes in a monospaced face in which a
// wide character, such as a Chinese one or an emoji, takes two.
func Columns(r rune) int {
	if Wide(r) {
		return 2
	}
	return 1
}

// Wide reports whether r is an East Asian wide or full-width character or
// an emoji, which take the width of two Latin letters.
func Wide(r rune) bool {
	switch {
	case r < 0x1100:
		return false
	case r <= 0x115F, // Hangul Jamo
		r >= 0x2E80 && r <= 0x303E, // CJK radicals, punctuation
		r >= 0x3041 && r <= 0x33FF, // kana, CJK compatibility
		r >= 0x3400 && r <= 0x4DBF, // CJK extension A
		r >= 0x4E00 && r <= 0x9FFF, // CJK unified ideographs
		r >= 0xA000 && r <= 0xA4CF, // Yi
		r >= 0xAC00 && r <= 0xD7A3, // Hangul syllables
		r >= 0xF900 && r <= 0xFAFF, // CJK compatibility ideographs
		r >= 0xFE30 && r <= 0xFE4F, // CJK compatibility forms
		r >= 0xFF00 && r <= 0xFF60, // full-width forms
		r >= 0xFFE0 && r <= 0xFFE6,
		r >= 0x1F300 && r <= 0x1F64F, // pictographs, emoticons
		r >= 0x1F900 && r <= 0x1F9FF,
		r >= 0x20000 && r <= 0x3FFFD: // CJK extensions B and later
		return true
	}
	return false
}

// MonoWideExtra is the spacing, in em, that a wide character needs in the
// face "WenQuanYi Micro Hei Mono" to be exactly two Latin letters wide: its
// Latin letters advance 1229 and its Chinese characters 2048 units of 2048.
const MonoWideExtra = (2*1229.0 - 2048.0) / 2048.0

// Segment is a stretch of text whose characters are all wide or all not.
type Segment struct {
	Text string
	Wide bool
}

// SplitWide splits s into segments of wide and of other characters.
func SplitWide(s string) []Segment {
	var out []Segment
	start := 0
	cur := false
	for i, r := range s {
		wd := Wide(r)
		if i > start && wd != cur {
			out = append(out, Segment{s[start:i], cur})
			start = i
		}
		cur = wd
	}
	if start < len(s) {
		out = append(out, Segment{s[start:], cur})
	}
	return out
}

// OneLine returns s cleaned, with line breaks and tabs turned into spaces
// and the spaces at its ends trimmed.
func OneLine(s string) string {
	s = Clean(s)
	s = strings.NewReplacer("\r\n", " ", "\n", " ", "\r", " ", "\t", " ").Replace(s)
	return strings.TrimSpace(s)
}

// ExpandTabs replaces tabs in line by spaces up to the next multiple of
// four columns, counting a wide character as two columns.
func ExpandTabs(line string) string {
	if !strings.Contains(line, "\t") {
		return line
	}
	var b strings.Builder
	col := 0
	for _, r := range line {
		if r == '\t' {
			n := 4 - col%4
			b.WriteString(strings.Repeat(" ", n))
			col += n
			continue
		}
		b.WriteRune(r)
		col += Columns(r)
	}
	return b.String()
}

// Weights returns the relative widths of cols table columns and their sum:
// rel when it holds cols positive finite numbers with a finite sum, and
// cols equal weights of 1 otherwise.
func Weights(rel []float64, cols int) ([]float64, float64) {
	ok := len(rel) == cols
	s := 0.0
	for _, r := range rel {
		if !(r > 0) || math.IsInf(r, 0) {
			ok = false
		}
		s += r
	}
	if !ok || !(s > 0) || math.IsInf(s, 0) {
		rel = make([]float64, cols)
		for i := range rel {
			rel[i] = 1
		}
		s = float64(cols)
	}
	return rel, s
}
