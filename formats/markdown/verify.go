package markdown

import (
	"bytes"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/extension"
	"github.com/yuin/goldmark/text"
	"github.com/yuin/goldmark/util"
)

// parser reads Markdown back the way the output is meant to be read:
// CommonMark with GFM tables and strikethrough.
var parser = goldmark.New(
	goldmark.WithExtensions(extension.Table, extension.Strikethrough),
).Parser()

// parsedText returns the normalized text that Markdown s, formatted for
// ctx, reads as.
func parsedText(s string, ctx context) string {
	switch ctx {
	case inCell:
		s = "| |\n| --- |\n| " + s + " |"
	case inHeading:
		s = "## " + s
	}
	return normalize(readText([]byte(s)))
}

// readText returns the text that the Markdown in src reads as: what a reader
// sees, without markup, link targets or the text of HTML tags other than
// line breaks. Lines and blocks are separated by white space.
func readText(src []byte) string {
	doc := parser.Parse(text.NewReader(src))
	var b strings.Builder
	_ = ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			if n.Type() == ast.TypeBlock {
				b.WriteByte('\n')
			}
			return ast.WalkContinue, nil
		}
		switch n := n.(type) {
		case *ast.Text:
			v := n.Segment.Value(src)
			if n.IsRaw() {
				b.Write(v)
			} else {
				b.WriteString(decode(v))
			}
			if n.SoftLineBreak() || n.HardLineBreak() {
				b.WriteByte(' ')
			}
		case *ast.String:
			b.Write(n.Value)
		case *ast.CodeSpan:
			for c := n.FirstChild(); c != nil; c = c.NextSibling() {
				if t, ok := c.(*ast.Text); ok {
					b.Write(t.Segment.Value(src))
				}
			}
			return ast.WalkSkipChildren, nil
		case *ast.AutoLink:
			b.Write(n.Label(src))
		case *ast.RawHTML:
			v := n.Segments.Value(src)
			if isBreakTag(v) {
				b.WriteByte(' ')
			} else {
				b.Write(v)
			}
		case *ast.CodeBlock, *ast.FencedCodeBlock, *ast.HTMLBlock:
			segs := n.Lines()
			for i := range segs.Len() {
				seg := segs.At(i)
				b.Write(seg.Value(src))
			}
		}
		return ast.WalkContinue, nil
	})
	return b.String()
}

// isBreakTag reports whether v is an HTML line break tag.
func isBreakTag(v []byte) bool {
	t := strings.ToLower(strings.ReplaceAll(string(v), " ", ""))
	return t == "<br>" || t == "<br/>"
}

// decode resolves backslash escapes and character references in text.
func decode(v []byte) string {
	if bytes.IndexByte(v, '\\') < 0 && bytes.IndexByte(v, '&') < 0 {
		return string(v)
	}
	var b strings.Builder
	for i := 0; i < len(v); i++ {
		c := v[i]
		if c == '\\' && i+1 < len(v) && util.IsPunct(v[i+1]) {
			b.WriteByte(v[i+1])
			i++
			continue
		}
		if c == '&' {
			if r, n := reference(v[i:]); n > 0 {
				b.WriteString(r)
				i += n - 1
				continue
			}
		}
		b.WriteByte(c)
	}
	return b.String()
}

// reference reads an entity or numeric character reference at the start of
// v and returns its characters and length, or a length of zero.
func reference(v []byte) (string, int) {
	end := bytes.IndexByte(v, ';')
	if end < 2 || end > 40 {
		return "", 0
	}
	body := string(v[1:end])
	if body[0] == '#' {
		digits, base := body[1:], 10
		if digits != "" && (digits[0] == 'x' || digits[0] == 'X') {
			digits, base = digits[1:], 16
		}
		if digits == "" || base == 10 && len(digits) > 7 || base == 16 && len(digits) > 6 {
			return "", 0
		}
		n, err := strconv.ParseUint(digits, base, 32)
		if err != nil {
			return "", 0
		}
		r := rune(n)
		if r == 0 || !utf8.ValidRune(r) {
			r = utf8.RuneError
		}
		return string(r), end + 1
	}
	for _, ch := range body {
		if ch > unicode.MaxASCII || !unicode.IsLetter(ch) && !unicode.IsDigit(ch) {
			return "", 0
		}
	}
	if e, ok := util.LookUpHTML5EntityByName(body); ok {
		return string(e.Characters), end + 1
	}
	return "", 0
}
