package render

import (
	"bytes"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/extension"
	east "github.com/yuin/goldmark/extension/ast"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/text"
	"github.com/yuin/goldmark/util"

	"lessonexport/document"
)

// markdown parses CommonMark with GFM tables and strikethrough, reading a
// run of three or more underscores as text. Parsers made by goldmark.New are
// safe for concurrent use.
var markdown = goldmark.New(
	goldmark.WithExtensions(extension.Table, extension.Strikethrough),
	goldmark.WithParserOptions(parser.WithInlineParsers(util.Prioritized(blankParser{}, 450))),
)

// blankParser reads a run of three or more underscores as literal text:
// teachers draw answer blanks with them, and CommonMark would otherwise take
// some of them for emphasis. A known cost is that ___text___ is not read as
// bold italic; the asterisk form still is.
type blankParser struct{}

// Trigger implements parser.InlineParser.
func (blankParser) Trigger() []byte { return []byte{'_'} }

// Parse implements parser.InlineParser.
func (blankParser) Parse(_ ast.Node, block text.Reader, _ parser.Context) ast.Node {
	line, seg := block.PeekLine()
	n := 0
	for n < len(line) && line[n] == '_' {
		n++
	}
	if n < 3 {
		return nil
	}
	block.Advance(n)
	return ast.NewTextSegment(seg.WithStop(seg.Start + n))
}

// RichText parses src, a rich-text field of a plan written in CommonMark with
// GFM tables and strikethrough, into document blocks. Text is kept as
// written, apart from the white space CommonMark drops at the ends of lines:
// answer blanks such as ____ or （  ） stay literal, references are decoded,
// raw HTML is kept as text, and characters are not sanitized. A string with
// no Markdown in it yields one paragraph of exactly that string. RichText
// returns nil for an empty or blank string.
func RichText(src string) []document.Block {
	if src == "" {
		return nil
	}
	if isPlain(src) {
		return []document.Block{document.Plain(src)}
	}
	source := []byte(src)
	doc := markdown.Parser().Parse(text.NewReader(source))
	c := converter{src: source}
	return c.blocks(doc, nil)
}

// isPlain reports whether s reads as one paragraph of exactly s in
// CommonMark, so that it needs no parsing: one line with no character that
// Markdown gives a meaning and nothing at either end that it would trim or
// read as a block marker.
func isPlain(s string) bool {
	if strings.ContainsAny(s, "\\`*_[]<>!&#|~\n\r\x00") {
		return false
	}
	first, last := s[0], s[len(s)-1]
	if first == ' ' || first == '\t' || last == ' ' || last == '\t' {
		return false
	}
	switch first {
	case '-', '+', '=':
		return false
	}
	return first < '0' || first > '9'
}

// converter walks a goldmark tree and builds document blocks.
type converter struct {
	src []byte
}

// blocks converts the block children of n and appends them to out.
func (c *converter) blocks(n ast.Node, out []document.Block) []document.Block {
	for ch := n.FirstChild(); ch != nil; ch = ch.NextSibling() {
		out = c.block(ch, out)
	}
	return out
}

// block converts one block node and appends the result to out.
func (c *converter) block(n ast.Node, out []document.Block) []document.Block {
	switch n := n.(type) {
	case *ast.Paragraph, *ast.TextBlock:
		if runs := c.inlines(n); len(runs) > 0 {
			out = append(out, document.Paragraph{Runs: runs})
		}
	case *ast.Heading:
		runs := c.inlines(n)
		for i := range runs {
			runs[i].Bold = true
		}
		if len(runs) > 0 {
			out = append(out, document.Paragraph{Runs: runs})
		}
	case *ast.ThematicBreak:
		out = c.thematicBreak(n, out)
	case *ast.CodeBlock, *ast.FencedCodeBlock:
		out = append(out, document.Preformatted{Role: document.Code, Text: c.lines(n)})
	case *ast.HTMLBlock:
		t := c.lines(n)
		if n.HasClosure() {
			t += "\n" + string(n.ClosureLine.Value(c.src))
		}
		t = strings.TrimRight(t, "\r\n")
		if t != "" {
			out = append(out, document.Paragraph{Runs: breakLines(t, nil)})
		}
	case *ast.Blockquote:
		out = c.quote(n, out)
	case *ast.List:
		out = append(out, c.list(n))
	case *east.Table:
		out = append(out, c.table(n))
	case *ast.LinkReferenceDefinition:
		// A definition is not shown; the links that use it carry its target.
	default:
		out = c.blocks(n, out)
	}
	return out
}

// thematicBreak drops a thematic break, except one written with underscores:
// teachers draw answer blanks that way, so it is kept as text.
func (c *converter) thematicBreak(n *ast.ThematicBreak, out []document.Block) []document.Block {
	pos := n.Pos()
	if pos < 0 || pos >= len(c.src) {
		return out
	}
	line := c.src[pos:]
	if i := bytes.IndexAny(line, "\r\n"); i >= 0 {
		line = line[:i]
	}
	t := strings.TrimSpace(string(line))
	if strings.HasPrefix(t, "_") {
		out = append(out, document.Plain(t))
	}
	return out
}

// lines returns the text of a code or HTML block, line endings included but
// the final one dropped.
func (c *converter) lines(n ast.Node) string {
	var b bytes.Buffer
	segs := n.Lines()
	for i := range segs.Len() {
		seg := segs.At(i)
		b.Write(seg.Value(c.src))
	}
	return strings.TrimSuffix(strings.TrimSuffix(b.String(), "\n"), "\r")
}

// quote flattens a block quote into paragraphs of style Quote.
func (c *converter) quote(n ast.Node, out []document.Block) []document.Block {
	for _, b := range c.blocks(n, nil) {
		out = flattenQuote(b, "", out)
	}
	return out
}

// flattenQuote appends b as quote paragraphs, prefixing the first of them
// with prefix (a list marker).
func flattenQuote(b document.Block, prefix string, out []document.Block) []document.Block {
	withPrefix := func(runs []document.Run) []document.Run {
		if prefix == "" {
			return runs
		}
		return append([]document.Run{{Text: prefix}}, runs...)
	}
	switch b := b.(type) {
	case document.Paragraph:
		out = append(out, document.Paragraph{Style: document.Quote, Runs: withPrefix(b.Runs)})
	case document.Preformatted:
		runs := breakLines(b.Text, &document.Run{Code: true})
		out = append(out, document.Paragraph{Style: document.Quote, Runs: withPrefix(runs)})
	case document.List:
		for i, it := range b.Items {
			marker := "• "
			if b.Ordered {
				marker = strconv.Itoa(b.Start+i) + ". "
			}
			for j, ib := range it.Blocks {
				p := ""
				if j == 0 {
					p = prefix + marker
				}
				out = flattenQuote(ib, p, out)
			}
			if len(it.Blocks) == 0 {
				out = append(out, document.Paragraph{Style: document.Quote,
					Runs: []document.Run{{Text: prefix + strings.TrimSpace(marker)}}})
			}
		}
	case document.Table:
		rows := b.Rows
		if len(b.Header) > 0 {
			rows = append([][]document.Cell{b.Header}, rows...)
		}
		for _, row := range rows {
			var runs []document.Run
			for i, cell := range row {
				if i > 0 {
					runs = append(runs, document.Run{Text: " | "})
				}
				runs = append(runs, cellRuns(cell)...)
			}
			out = append(out, document.Paragraph{Style: document.Quote, Runs: withPrefix(runs)})
			prefix = ""
		}
	case document.Heading:
		out = append(out, document.Paragraph{Style: document.Quote,
			Runs: withPrefix([]document.Run{{Text: b.Text, Bold: true}})})
	}
	return out
}

// cellRuns returns the runs of the paragraphs of a cell, with breaks between.
func cellRuns(cell document.Cell) []document.Run {
	var runs []document.Run
	for i, b := range cell.Blocks {
		if p, ok := b.(document.Paragraph); ok {
			if i > 0 {
				runs = append(runs, document.Run{Break: true})
			}
			runs = append(runs, p.Runs...)
		}
	}
	return runs
}

// breakLines splits t into runs at line endings, separated by breaks. Each
// text run copies the style of proto when proto is not nil.
func breakLines(t string, proto *document.Run) []document.Run {
	var runs []document.Run
	t = strings.ReplaceAll(t, "\r\n", "\n")
	for i, line := range strings.Split(t, "\n") {
		if i > 0 {
			runs = append(runs, document.Run{Break: true})
		}
		if line == "" {
			continue
		}
		r := document.Run{Text: line}
		if proto != nil {
			r = *proto
			r.Text = line
		}
		runs = append(runs, r)
	}
	return runs
}

// list converts a list, nested lists included.
func (c *converter) list(n *ast.List) document.List {
	l := document.List{Ordered: n.IsOrdered()}
	if l.Ordered {
		l.Start = n.Start
	}
	for it := n.FirstChild(); it != nil; it = it.NextSibling() {
		l.Items = append(l.Items, document.ListItem{Blocks: c.blocks(it, nil)})
	}
	return l
}

// table converts a GFM table into a DataTable.
func (c *converter) table(n *east.Table) document.Table {
	t := document.Table{Role: document.DataTable}
	for row := n.FirstChild(); row != nil; row = row.NextSibling() {
		var cells []document.Cell
		for cell := row.FirstChild(); cell != nil; cell = cell.NextSibling() {
			var cl document.Cell
			if runs := c.inlines(cell); len(runs) > 0 {
				cl.Blocks = []document.Block{document.Paragraph{Runs: runs}}
			}
			cells = append(cells, cl)
		}
		if _, ok := row.(*east.TableHeader); ok {
			t.Header = cells
		} else {
			t.Rows = append(t.Rows, cells)
		}
	}
	return t
}

// style is the inline style in effect while walking inline nodes.
type style struct {
	bold, italic, strike bool
	link                 string
}

// inlineState collects the runs of one paragraph.
type inlineState struct {
	runs []document.Run
	// soft is set after a soft line break whose rendering depends on the
	// next character.
	soft bool
}

// inlines converts the inline children of n into runs.
func (c *converter) inlines(n ast.Node) []document.Run {
	var st inlineState
	c.walkInline(n, style{}, &st)
	return mergeRuns(st.runs)
}

// add appends text in style s, resolving a pending soft line break: it is a
// space, except between two CJK characters, which join without one.
func (st *inlineState) add(t string, s style, code bool) {
	if t == "" {
		return
	}
	if st.soft {
		st.soft = false
		first, _ := utf8.DecodeRuneInString(t)
		if !(isCJK(st.lastRune()) && isCJK(first)) {
			// The space takes the style the text on both sides shares.
			sp := document.Run{Text: " "}
			if n := len(st.runs); n > 0 {
				last := st.runs[n-1]
				sp.Bold, sp.Italic, sp.Strike = s.bold && last.Bold, s.italic && last.Italic,
					s.strike && last.Strike
				if s.link == last.Link {
					sp.Link = s.link
				}
			}
			st.runs = append(st.runs, sp)
		}
	}
	st.runs = append(st.runs, document.Run{Text: t, Bold: s.bold, Italic: s.italic,
		Strike: s.strike, Code: code, Link: s.link})
}

// hardBreak appends a line break.
func (st *inlineState) hardBreak() {
	st.soft = false
	st.runs = append(st.runs, document.Run{Break: true})
}

func (st *inlineState) lastRune() rune {
	if len(st.runs) == 0 {
		return 0
	}
	r, _ := utf8.DecodeLastRuneInString(st.runs[len(st.runs)-1].Text)
	return r
}

// walkInline converts the inline children of n in style s.
func (c *converter) walkInline(n ast.Node, s style, st *inlineState) {
	for ch := n.FirstChild(); ch != nil; ch = ch.NextSibling() {
		c.inline(ch, s, st)
	}
}

// inline converts one inline node.
func (c *converter) inline(n ast.Node, s style, st *inlineState) {
	switch n := n.(type) {
	case *ast.Text:
		v := n.Segment.Value(c.src)
		if n.IsRaw() {
			st.add(string(v), s, false)
		} else {
			st.add(Unescape(v), s, false)
		}
		switch {
		case n.HardLineBreak():
			st.hardBreak()
		case n.SoftLineBreak():
			st.soft = true
		}
	case *ast.String:
		st.add(string(n.Value), s, n.IsCode())
	case *ast.CodeSpan:
		var b strings.Builder
		for ch := n.FirstChild(); ch != nil; ch = ch.NextSibling() {
			if t, ok := ch.(*ast.Text); ok {
				v := t.Segment.Value(c.src)
				if bytes.HasSuffix(v, []byte("\n")) {
					v = append(v[:len(v)-1:len(v)-1], ' ')
				}
				b.Write(v)
			} else if t, ok := ch.(*ast.String); ok {
				b.Write(t.Value)
			}
		}
		st.add(b.String(), s, true)
	case *ast.Emphasis:
		if n.Level >= 2 {
			s.bold = true
		} else {
			s.italic = true
		}
		c.walkInline(n, s, st)
	case *east.Strikethrough:
		s.strike = true
		c.walkInline(n, s, st)
	case *ast.Link:
		s.link = Unescape(n.Destination)
		c.walkInline(n, s, st)
	case *ast.AutoLink:
		s.link = string(n.URL(c.src))
		st.add(string(n.Label(c.src)), s, false)
	case *ast.Image:
		before := len(st.runs)
		c.walkInline(n, s, st)
		dest := Unescape(n.Destination)
		if dest != "" {
			if len(st.runs) > before {
				dest = " (" + dest + ")"
			}
			st.add(dest, s, false)
		}
	case *ast.RawHTML:
		t := string(n.Segments.Value(c.src))
		for i, line := range strings.Split(strings.ReplaceAll(t, "\r\n", "\n"), "\n") {
			if i > 0 {
				st.hardBreak()
			}
			st.add(line, s, false)
		}
	default:
		c.walkInline(n, s, st)
	}
}

// mergeRuns joins neighbouring runs of the same style.
func mergeRuns(runs []document.Run) []document.Run {
	out := runs[:0]
	for _, r := range runs {
		if n := len(out); n > 0 && !r.Break && !out[n-1].Break && sameStyle(out[n-1], r) {
			out[n-1].Text += r.Text
			continue
		}
		out = append(out, r)
	}
	// Trailing breaks show nothing.
	for len(out) > 0 && out[len(out)-1].Break {
		out = out[:len(out)-1]
	}
	if len(out) == 0 {
		return nil
	}
	return out
}

func sameStyle(a, b document.Run) bool {
	return a.Bold == b.Bold && a.Italic == b.Italic && a.Code == b.Code &&
		a.Strike == b.Strike && a.Link == b.Link
}

// Unescape resolves the backslash escapes and the entity and numeric
// character references of CommonMark in v, a text segment as written, in
// one pass so that an escaped ampersand stays literal. A numeric reference
// to NUL or to no character reads as U+FFFD; anything else that is not a
// valid escape or reference is kept as it is.
func Unescape(v []byte) string {
	if bytes.IndexByte(v, '\\') < 0 && bytes.IndexByte(v, '&') < 0 {
		return string(v)
	}
	var b strings.Builder
	for i := 0; i < len(v); i++ {
		c := v[i]
		switch {
		case c == '\\' && i+1 < len(v) && util.IsPunct(v[i+1]):
			b.WriteByte(v[i+1])
			i++
		case c == '&':
			if r, n := reference(v[i:]); n > 0 {
				b.WriteString(r)
				i += n - 1
			} else {
				b.WriteByte(c)
			}
		default:
			b.WriteByte(c)
		}
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

// isCJK reports whether r is a Chinese or Japanese character or CJK
// punctuation, which are written without spaces between them. Hangul is
// not among them, since Korean separates words with spaces.
func isCJK(r rune) bool {
	switch {
	case r >= 0x3000 && r <= 0x303F, // CJK symbols and punctuation
		r >= 0xFF00 && r <= 0xFFEF: // full-width forms
		return true
	}
	return unicode.In(r, unicode.Han, unicode.Hiragana, unicode.Katakana, unicode.Bopomofo)
}
