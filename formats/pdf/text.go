package pdf

import (
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"

	"lessonexport/fonts"
)

// tabWidth is the number of spaces a tab stands for in running text, and
// the distance between tab stops in preformatted text.
const tabWidth = 4

// missing returns what is drawn in place of r, a character no face can
// show: its code point in brackets, such as "[U+1F600]", so that a reader
// sees that something was there and what it was. Invisible formatting
// characters (joiners, variation selectors, direction marks, skin tone
// modifiers) that the face lacks are dropped instead, so an emoji sequence yields one bracket per
// visible emoji rather than one per code point.
func missing(r rune) string {
	if invisible(r) {
		return ""
	}
	return fmt.Sprintf("[U+%04X]", r)
}

// missingGrid is the substitute for a missing character in preformatted
// text, where columns must stay aligned: a question mark as wide as the
// character it replaces.
func missingGrid(r rune) string {
	switch {
	case invisible(r):
		return ""
	case wide(r):
		return "？"
	default:
		return "?"
	}
}

// invisible reports whether r is a formatting character that draws nothing.
func invisible(r rune) bool {
	return unicode.Is(unicode.Cf, r) || unicode.Is(unicode.Variation_Selector, r) ||
		r >= 0x1F3FB && r <= 0x1F3FF // emoji skin tone modifiers
}

// wide reports whether r is an East Asian wide or full-width character, two
// columns in a grid. It is used only for characters the font lacks; for the
// others the Mono face's own advance decides.
func wide(r rune) bool {
	return cjk(r) || r >= 0x1F000 && r <= 0x1FAFF || r >= 0x20000 && r <= 0x3FFFD
}

// clean prepares s for face: it drops control characters other than
// newline and tab, turns carriage returns and Unicode line separators into
// newlines, replaces each invalid byte by U+FFFD, and replaces characters
// beyond the Basic Multilingual Plane and characters neither face nor the
// fallback face has a glyph for with what subst returns. Tabs are kept for
// the caller to expand. Everything left is a character of the Basic
// Multilingual Plane that the face or the fallback face can draw.
func clean(s string, face fonts.Face, subst func(rune) string) string {
	ok := true
	for _, r := range s {
		if !keep(r, face) && r != '\n' && r != '\t' {
			ok = false
			break
		}
	}
	if ok && utf8.ValidString(s) {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	for i := 0; i < len(s); {
		r, n := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && n <= 1 {
			// An invalid byte is shown as the replacement character.
			if keep(r, face) {
				b.WriteRune(r)
			} else {
				b.WriteString(subst(r))
			}
			i++
			continue
		}
		i += n
		switch {
		case r == '\r':
			if !strings.HasPrefix(s[i:], "\n") {
				b.WriteByte('\n')
			}
		case r == '\n' || r == '\t':
			b.WriteRune(r)
		case r == 0x2028 || r == 0x2029 || r == 0x85:
			b.WriteByte('\n')
		case r < 0x20 || r >= 0x7F && r < 0xA0:
			// other control characters are dropped
		case keep(r, face):
			b.WriteRune(r)
		default:
			b.WriteString(subst(r))
		}
	}
	return b.String()
}

// keep reports whether r can be drawn unchanged in face or, when face lacks
// it, in the fallback face.
func keep(r rune, face fonts.Face) bool {
	if r < 0x20 || r >= 0x7F && r < 0xA0 || r > 0xFFFF || invisible(r) {
		return false
	}
	if r >= 0xFDD0 && r <= 0xFDEF || r == 0xFFFE || r == 0xFFFF {
		return false
	}
	return face.Has(r) || fonts.FallbackFace.Has(r)
}

// plain prepares s for a PDF text string outside the page content, such as
// a document property or a bookmark. Characters beyond the Basic
// Multilingual Plane become bracketed code points, as they do on the page,
// where no face has them; control characters become spaces, and runs of
// white space collapse to one space.
func plain(s string) string {
	var b strings.Builder
	space := false
	for _, r := range strings.ToValidUTF8(s, "\uFFFD") {
		switch {
		case unicode.IsSpace(r) || unicode.IsControl(r):
			space = true
			continue
		case invisible(r) || r >= 0xFDD0 && r <= 0xFDEF || r == 0xFFFE || r == 0xFFFF:
			continue
		}
		if space && b.Len() > 0 {
			b.WriteByte(' ')
		}
		space = false
		if r > 0xFFFF {
			fmt.Fprintf(&b, "[U+%04X]", r)
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}

// cjk reports whether r is a Chinese, Japanese or Korean character or
// punctuation mark, between any two of which a line may break.
func cjk(r rune) bool {
	switch {
	case r < 0x1100:
		return false
	case r >= 0x1100 && r <= 0x11FF, // Hangul Jamo
		r >= 0x2E80 && r <= 0x2FDF, // radicals
		r >= 0x2FF0 && r <= 0x303F, // ideographic description, CJK punctuation
		r >= 0x3040 && r <= 0x30FF, // kana
		r >= 0x3100 && r <= 0x31FF, // Bopomofo, kanbun, strokes, kana ext.
		r >= 0x3200 && r <= 0x4DBF, // enclosed, compatibility, extension A
		r >= 0x4E00 && r <= 0x9FFF, // unified ideographs
		r >= 0xA960 && r <= 0xA97F, // Hangul Jamo extended A
		r >= 0xAC00 && r <= 0xD7FF, // Hangul syllables
		r >= 0xF900 && r <= 0xFAFF, // compatibility ideographs
		r >= 0xFE10 && r <= 0xFE1F, // vertical forms
		r >= 0xFE30 && r <= 0xFE4F, // compatibility forms
		r >= 0xFF00 && r <= 0xFF60, // full-width forms
		r >= 0xFFE0 && r <= 0xFFE6,
		r >= 0x20000 && r <= 0x3FFFD:
		return true
	}
	return false
}

// closing reports whether r may not begin a line: closing brackets and
// quotes and the punctuation that ends a clause or sentence.
func closing(r rune) bool {
	return strings.ContainsRune("）)，,。.、；;：:？?！!」』》〉】〕］]｝}”’〗〙〛｠｣"+
		"％%…‥·・ー〜～々ゝゞヽヾぁぃぅぇぉっゃゅょゎァィゥェォッャュョヮヵヶ", r)
}

// opening reports whether r may not end a line: opening brackets and quotes.
func opening(r rune) bool {
	return strings.ContainsRune("（(「『《〈【〔［[｛{“‘〖〘〚｟｢", r)
}
