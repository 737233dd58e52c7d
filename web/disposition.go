package web

import (
	"fmt"
	"strings"
	"unicode/utf8"
)

// ContentDisposition returns an RFC 6266 attachment header for name: an
// ASCII-only filename for old clients and the exact name as
// filename*=UTF-8”.
func ContentDisposition(name string) string {
	if !utf8.ValidString(name) {
		name = strings.ToValidUTF8(name, "_")
	}
	var ascii, ext strings.Builder
	for _, r := range name {
		switch {
		case r < 0x20 || r == 0x7f || r >= 0x80:
			ascii.WriteByte('_')
		case r == '"' || r == '\\' || r == '/' || r == ';' || r == ',':
			ascii.WriteByte('_')
		default:
			ascii.WriteRune(r)
		}
	}
	for _, b := range []byte(name) {
		if isAttrChar(b) {
			ext.WriteByte(b)
		} else {
			fmt.Fprintf(&ext, "%%%02X", b)
		}
	}
	fallback := ascii.String()
	for strings.Contains(fallback, "__") {
		fallback = strings.ReplaceAll(fallback, "__", "_")
	}
	fallback = strings.ReplaceAll(fallback, " _", " ")
	fallback = strings.ReplaceAll(fallback, "_.", ".")
	fallback = strings.Trim(fallback, " ._")
	if fallback == "" {
		fallback = "document"
	}
	return `attachment; filename="` + fallback + `"; filename*=UTF-8''` + ext.String()
}

// isAttrChar reports whether b may stand unescaped in an RFC 8187 value.
func isAttrChar(b byte) bool {
	switch {
	case 'a' <= b && b <= 'z', 'A' <= b && b <= 'Z', '0' <= b && b <= '9':
		return true
	}
	return strings.IndexByte("!#$&+-.^_`|~", b) >= 0
}
