package web

import (
	"fmt"
	"path"
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
	ext := path.Ext(name)
	if strings.ContainsFunc(ext, func(r rune) bool { return !isAttrChar(r) }) {
		ext = ""
	}
	fallback := asciiName(strings.TrimSuffix(name, ext))
	if fallback == "" {
		fallback = "document"
	}
	var encoded strings.Builder
	for _, b := range []byte(name) {
		if b < utf8.RuneSelf && isAttrChar(rune(b)) {
			encoded.WriteByte(b)
		} else {
			fmt.Fprintf(&encoded, "%%%02X", b)
		}
	}
	return `attachment; filename="` + fallback + ext + `"; filename*=UTF-8''` + encoded.String()
}

// asciiName keeps the printable ASCII of name that is safe inside a quoted
// header value; each run of anything else becomes one underscore.
func asciiName(name string) string {
	var b strings.Builder
	under := false
	for _, r := range name {
		safe := r >= 0x20 && r < 0x7f && !strings.ContainsRune(`"\/;,`, r)
		if safe && !(r == '_' && under) {
			b.WriteRune(r)
			under = r == '_'
			continue
		}
		if !under {
			b.WriteByte('_')
			under = true
		}
	}
	s := strings.NewReplacer(" _ ", " ", " _", " ", "_ ", " ").Replace(b.String())
	return strings.Trim(s, " ._")
}

// isAttrChar reports whether r may stand unescaped in an RFC 8187 value.
func isAttrChar(r rune) bool {
	switch {
	case 'a' <= r && r <= 'z', 'A' <= r && r <= 'Z', '0' <= r && r <= '9':
		return true
	}
	return strings.ContainsRune("!#$&+-.^_`|~", r)
}
