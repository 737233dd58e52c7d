package lesson

import (
	"bytes"
	"regexp"
	"slices"
	"sort"
	"strings"

	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/extension"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/text"
	"github.com/yuin/goldmark/util"
)

// blockParser finds the block structure of CommonMark with GFM tables. It
// has no inline parsers: the importer slices sections from the source and
// needs inline markup only to strip it from headings (see plainText), and
// emphasis parsing costs time quadratic in the length of a paragraph.
var blockParser = parser.NewParser(
	parser.WithBlockParsers(parser.DefaultBlockParsers()...),
	parser.WithParagraphTransformers(append(parser.DefaultParagraphTransformers(),
		util.Prioritized(extension.NewTableParagraphTransformer(), 200))...),
	parser.WithASTTransformers(util.Prioritized(extension.NewTableASTTransformer(), 0)),
)

// mdDoc is a parsed Markdown text: the source, where each line starts, and
// its top-level blocks with the lines each covers.
type mdDoc struct {
	src    []byte
	starts []int // byte offset of each line; a last entry is len(src)
	blocks []mdBlock
}

// mdBlock is one top-level block. Lines [start, end) hold it, trailing blank
// lines left out; a heading's lines are its own, a block's reach up to the
// next block.
type mdBlock struct {
	node  ast.Node
	start int
	end   int
	level int    // heading level, 0 for any other block
	text  string // plain text of a heading
}

func (b mdBlock) isBreak() bool { return b.node.Kind() == ast.KindThematicBreak }

// newDoc parses src, which must use "\n" line endings.
//
// Lists nested hundreds of levels deep cost the block parser time that grows
// with the square of the depth; callers bound the size of what they accept.
func newDoc(src []byte) *mdDoc {
	if len(src) > 0 && src[len(src)-1] != '\n' {
		src = append(slices.Clip(src), '\n')
	}
	d := &mdDoc{src: src}
	for i := 0; i < len(src); {
		d.starts = append(d.starts, i)
		j := bytes.IndexByte(src[i:], '\n')
		if j < 0 {
			break
		}
		i += j + 1
	}
	d.starts = append(d.starts, len(src))

	root := blockParser.Parse(text.NewReader(src))
	prev := 0
	for n := root.FirstChild(); n != nil; n = n.NextSibling() {
		b := mdBlock{node: n, start: prev}
		if pos := firstPos(n); pos >= 0 {
			b.start = max(d.lineOf(pos), prev)
		}
		if h, ok := n.(*ast.Heading); ok {
			b.level = h.Level
			b.text = plainText(h, src)
			b.end = d.headingEnd(h, b.start)
		}
		d.blocks = append(d.blocks, b)
		prev = b.start
	}
	for i := range d.blocks {
		b := &d.blocks[i]
		if b.level > 0 {
			continue
		}
		next := d.lines()
		if i+1 < len(d.blocks) {
			next = d.blocks[i+1].start
		}
		b.end = d.trimEnd(b.start, next)
	}
	return d
}

// lines is the number of lines in the source.
func (d *mdDoc) lines() int { return len(d.starts) - 1 }

// lineOf returns the line holding byte offset off.
func (d *mdDoc) lineOf(off int) int {
	i := sort.Search(len(d.starts), func(i int) bool { return d.starts[i] > off })
	return max(min(i-1, d.lines()-1), 0)
}

// line returns line i without its line ending.
func (d *mdDoc) line(i int) string {
	return strings.TrimSuffix(string(d.src[d.starts[i]:d.starts[i+1]]), "\n")
}

// trimEnd moves end back over blank lines, not before start+1.
func (d *mdDoc) trimEnd(start, end int) int {
	for end > start+1 && strings.TrimSpace(d.line(end-1)) == "" {
		end--
	}
	return max(end, min(start+1, d.lines()))
}

// text returns lines [start, end) with the final line ending removed.
func (d *mdDoc) text(start, end int) string {
	if start >= end {
		return ""
	}
	return strings.TrimRight(string(d.src[d.starts[start]:d.starts[end]]), "\n")
}

// firstPos returns the byte offset where a block starts, looking into its
// children when the block itself has none.
func firstPos(n ast.Node) int {
	if p := n.Pos(); p >= 0 {
		return p
	}
	if n.Type() == ast.TypeBlock && n.Lines().Len() > 0 {
		return n.Lines().At(0).Start
	}
	for c := n.FirstChild(); c != nil; c = c.NextSibling() {
		if p := firstPos(c); p >= 0 {
			return p
		}
	}
	return -1
}

// headingEnd returns the line after a heading: the next line for an ATX
// heading, the line after the underline for a setext one.
func (d *mdDoc) headingEnd(h *ast.Heading, start int) int {
	if atxRe.MatchString(d.line(start)) || h.Lines().Len() == 0 {
		return min(start+1, d.lines())
	}
	last := d.lineOf(h.Lines().At(h.Lines().Len() - 1).Start)
	return min(max(last+2, start+1), d.lines())
}

// raw returns the source of blocks, from the first to the last, leaving out
// thematic breaks at either end (they separate sections, they are not
// content).
func (d *mdDoc) raw(blocks []mdBlock) string {
	blocks = trimBreaks(blocks)
	if len(blocks) == 0 {
		return ""
	}
	return d.text(blocks[0].start, blocks[len(blocks)-1].end)
}

func trimBreaks(blocks []mdBlock) []mdBlock {
	for len(blocks) > 0 && blocks[0].isBreak() {
		blocks = blocks[1:]
	}
	for len(blocks) > 0 && blocks[len(blocks)-1].isBreak() {
		blocks = blocks[:len(blocks)-1]
	}
	return blocks
}

// listItem is one item of a top-level list: its lines and its text with the
// marker and the item's indentation removed.
type listItem struct {
	start, end int
	text       string
}

// items splits a top-level list block into its items.
func (d *mdDoc) items(b mdBlock) []listItem {
	var starts []int
	for c := b.node.FirstChild(); c != nil; c = c.NextSibling() {
		s := b.start
		if p := firstPos(c); p >= 0 {
			s = d.lineOf(p)
		}
		if len(starts) > 0 {
			s = max(s, starts[len(starts)-1])
		}
		starts = append(starts, s)
	}
	var out []listItem
	for i, s := range starts {
		e := b.end
		if i+1 < len(starts) {
			e = max(starts[i+1], s)
		}
		e = d.trimEnd(s, e)
		if e <= s {
			continue
		}
		out = append(out, listItem{start: s, end: e, text: d.itemText(s, e)})
	}
	return out
}

// itemText removes the list marker from the first line and the item's
// content indentation from the others.
func (d *mdDoc) itemText(start, end int) string {
	first := d.line(start)
	col, rest := cutMarker(first)
	lines := []string{rest}
	for i := start + 1; i < end; i++ {
		lines = append(lines, removeColumns(d.line(i), col))
	}
	return strings.TrimSpace(strings.Join(lines, "\n"))
}

// cutMarker removes the leading list marker ("-", "*", "+", "1.", "1)") and
// the spaces after it. It returns the column the content starts at.
func cutMarker(line string) (int, string) {
	i := 0
	for i < len(line) && i < 3 && line[i] == ' ' {
		i++
	}
	j := i
	switch {
	case j < len(line) && strings.IndexByte("-*+", line[j]) >= 0:
		j++
	default:
		for j < len(line) && j-i < 9 && line[j] >= '0' && line[j] <= '9' {
			j++
		}
		if j == i || j >= len(line) || (line[j] != '.' && line[j] != ')') {
			return 0, strings.TrimSpace(line)
		}
		j++
	}
	k := j
	for k < len(line) && k-j < 4 && (line[k] == ' ' || line[k] == '\t') {
		k++
	}
	if k == j {
		k = j + 1 // the content column of "-" alone
	} else if k-j == 4 && k < len(line) && (line[k] == ' ' || line[k] == '\t') {
		k = j + 1 // indented code inside the item: one space belongs to the marker
	}
	if k > len(line) {
		return k, ""
	}
	return k, strings.TrimLeft(line[k:], " \t")
}

// removeColumns removes up to n columns of leading spaces and tabs, tabs
// stopping at multiples of four.
func removeColumns(line string, n int) string {
	col := 0
	for i := 0; i < len(line); i++ {
		if col >= n {
			return line[i:]
		}
		switch line[i] {
		case ' ':
			col++
		case '\t':
			next := (col/4 + 1) * 4
			if next > n {
				return strings.Repeat(" ", next-n) + line[i+1:]
			}
			col = next
		default:
			return line[i:]
		}
	}
	return ""
}

// plainText is the text of a heading with its inline markup removed: link
// and image text without targets, no emphasis or code markers, HTML tags
// dropped and backslash escapes resolved.
func plainText(h ast.Node, src []byte) string {
	var b strings.Builder
	lines := h.Lines()
	for i := 0; i < lines.Len(); i++ {
		if i > 0 {
			b.WriteByte(' ')
		}
		seg := lines.At(i)
		b.Write(seg.Value(src))
	}
	return stripInline(b.String())
}

var (
	imageLinkRe = regexp.MustCompile(`!?\[([^\]]*)\](?:\([^)]*\)|\[[^\]]*\])`)
	autoLinkRe  = regexp.MustCompile(`<((?:https?|mailto):[^>\s]*)>`)
	htmlTagRe   = regexp.MustCompile(`</?[A-Za-z][A-Za-z0-9-]*(?:\s[^<>]*)?/?>`)
	markerRe    = regexp.MustCompile("\\*\\*|__|~~|`+")
	edgeMarkRe  = regexp.MustCompile(`(^|[\s\p{P}])[*_]+|[*_]+([\s\p{P}]|$)`)
)

// stripInline removes inline Markdown markup from one line of text.
// Escaped punctuation is set aside first so that "\\*" stays a star.
func stripInline(s string) string {
	standIn := func(r rune) bool { return r >= escapeBase && r < escapeBase+0x80 }
	if strings.ContainsFunc(s, standIn) {
		// The text uses the stand-ins itself: resolve escapes first instead.
		s = unescapeMarkdown(s)
	}
	s = protectEscapes(s)
	s = imageLinkRe.ReplaceAllString(s, "$1")
	s = autoLinkRe.ReplaceAllString(s, "$1")
	s = htmlTagRe.ReplaceAllString(s, "")
	s = markerRe.ReplaceAllString(s, "")
	s = edgeMarkRe.ReplaceAllString(s, "$1$2")
	s = strings.Map(func(r rune) rune {
		if r >= escapeBase && r < escapeBase+0x80 {
			return r - escapeBase
		}
		return r
	}, s)
	return strings.TrimSpace(spacesRe.ReplaceAllString(s, " "))
}

// escapeBase is where protectEscapes puts escaped ASCII punctuation, in the
// Private Use Area.
const escapeBase = 0xE000

// protectEscapes replaces each backslash-escaped ASCII punctuation character
// with a private-use stand-in; stripInline turns them back.
func protectEscapes(s string) string {
	if !strings.Contains(s, `\`) {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] == '\\' && i+1 < len(s) && isASCIIPunct(s[i+1]) {
			b.WriteRune(escapeBase + rune(s[i+1]))
			i++
			continue
		}
		b.WriteByte(s[i])
	}
	return b.String()
}

// unescapeMarkdown removes the backslash of escaped ASCII punctuation.
func unescapeMarkdown(s string) string {
	if !strings.Contains(s, `\`) {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] == '\\' && i+1 < len(s) && isASCIIPunct(s[i+1]) {
			i++
		}
		b.WriteByte(s[i])
	}
	return b.String()
}

func isASCIIPunct(c byte) bool {
	return c > ' ' && c < 0x7f && !(c >= '0' && c <= '9') && !(c >= 'a' && c <= 'z') &&
		!(c >= 'A' && c <= 'Z')
}
