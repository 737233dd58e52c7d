package markdown

import (
	"strings"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/extension"
	"github.com/yuin/goldmark/text"

	"lessonexport/render"
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
				b.WriteString(render.Unescape(v))
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
