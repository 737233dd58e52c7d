package markdown

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"

	"lessonexport/document"
)

// Writer writes blocks as Markdown as they come, through a buffer; it keeps
// no more of the document than the block at hand. It implements
// document.Writer.
type Writer struct {
	bw      *bufio.Writer
	chinese bool
	err     error
	closed  bool
	// lastList is the marker of the list written last when it was the
	// previous block, so that a list right after it uses the other marker
	// and stays a list of its own.
	lastList byte
	// skip is the number of blocks still to be left out because a source
	// written before stands for them.
	skip int
	// front reports that the fields went into front matter, which stands
	// for the information table.
	front bool
}

var errClosed = errors.New("write markdown: writer is closed")

// NewWriter returns a Writer that writes to w, starting with the document's
// fields as YAML front matter, when Meta has any, and its title as a
// level-1 heading. Sections of the document follow one level lower. Close
// flushes the output but does not close w.
//
// A block that records its source (see document.Source) is written as that
// source, so that a lesson plan read back from the file has the teacher's
// Markdown as written.
func NewWriter(w io.Writer, meta document.Meta) (*Writer, error) {
	mw := &Writer{bw: bufio.NewWriter(w), chinese: isChinese(meta.Language)}
	title := strings.TrimRight("# "+heading(meta.Title), " ")
	if len(meta.Fields) > 0 {
		mw.front = true
		title = frontMatter(meta.Fields) + "\n" + title
	}
	if _, err := mw.bw.WriteString(title + "\n"); err != nil {
		return nil, fmt.Errorf("write markdown title: %w", err)
	}
	return mw, nil
}

// isChinese reports whether lang asks for Chinese labels, by the same rule
// as lesson.Plan.Chinese.
func isChinese(lang string) bool {
	return lang == "zh" || strings.HasPrefix(lang, "zh-") || strings.HasPrefix(lang, "zh_")
}

// WriteBlock writes one block, preceded by a blank line.
func (w *Writer) WriteBlock(b document.Block) error {
	if w.closed {
		return errClosed
	}
	if w.err != nil {
		return w.err
	}
	if w.skip > 0 {
		w.skip--
		return nil
	}
	if t, ok := b.(document.Table); ok && t.Role == document.InfoTable && w.front {
		return nil
	}
	text, marker, err := w.format(b, w.lastList)
	if s, ok := sourceOf(b); ok {
		text, marker, err = source(s), 0, nil
		w.skip = s.Blocks - 1
	}
	if err != nil {
		return err
	}
	if text == "" {
		return nil
	}
	w.lastList = marker
	if _, err := w.bw.WriteString("\n" + text + "\n"); err != nil {
		w.err = fmt.Errorf("write markdown: %w", err)
		return w.err
	}
	return nil
}

// Close flushes what is buffered. Writing after Close is an error; a second
// Close does nothing.
func (w *Writer) Close() error {
	if w.closed {
		return nil
	}
	w.closed = true
	if w.err != nil {
		return w.err
	}
	if err := w.bw.Flush(); err != nil {
		return fmt.Errorf("flush markdown: %w", err)
	}
	return nil
}

// format returns the Markdown of b without a final newline, and the list
// marker it used, or 0 when b is not a list. prevList is the marker of the
// list just before b.
func (w *Writer) format(b document.Block, prevList byte) (string, byte, error) {
	switch b := b.(type) {
	case document.Heading:
		level := min(max(b.Level, 1), 5)
		return strings.TrimRight(strings.Repeat("#", level+1)+" "+heading(b.Text), " "), 0, nil
	case document.Paragraph:
		return paragraph(b), 0, nil
	case document.List:
		return w.list(b, prevList)
	case document.Table:
		switch b.Role {
		case document.ProcedureTable:
			s, err := w.procedure(b)
			return s, 0, err
		case document.GrammarTable:
			s, err := w.grammar(b)
			return s, 0, err
		}
		return w.table(b), 0, nil
	case document.Preformatted:
		return preformatted(b.Text), 0, nil
	case nil:
		return "", 0, errors.New("write markdown: nil block")
	default:
		return "", 0, fmt.Errorf("write markdown: unknown block type %T", b)
	}
}

// paragraph formats a paragraph; a quote becomes a block quote, and a note
// an ordinary paragraph, since its label says what it is.
func paragraph(p document.Paragraph) string {
	t := inline(p.Runs, inParagraph)
	if t == "" || p.Style != document.Quote {
		return t
	}
	lines := strings.Split(t, "\n")
	for i, l := range lines {
		lines[i] = "> " + l
	}
	return strings.Join(lines, "\n")
}

// heading formats the text of a heading on one line.
func heading(text string) string {
	return inline([]document.Run{{Text: text}}, inHeading)
}

// preformatted formats verbatim text as a fenced code block whose fence is
// longer than any run of backticks in it.
func preformatted(text string) string {
	text = strings.TrimSuffix(normalizeNewlines(sanitize(text)), "\n")
	if strings.TrimSpace(text) == "" {
		return ""
	}
	fence := strings.Repeat("`", max(3, longestRun(text, '`')+1))
	return fence + "\n" + text + "\n" + fence
}

// list formats a list, nested blocks indented under their item. A list
// right after another one gets the other marker, so the two stay apart.
func (w *Writer) list(l document.List, prevList byte) (string, byte, error) {
	if len(l.Items) == 0 {
		return "", prevList, nil
	}
	marker := byte('-')
	if l.Ordered {
		marker = '.'
	}
	if prevList == marker {
		marker = map[byte]byte{'-': '*', '.': ')'}[marker]
	}
	loose := false
	for _, it := range l.Items {
		if len(it.Blocks) > 1 {
			loose = true
		} else if len(it.Blocks) == 1 {
			if _, ok := it.Blocks[0].(document.Paragraph); !ok {
				loose = true
			}
		}
	}
	n := max(l.Start, 0)
	var b strings.Builder
	for i, it := range l.Items {
		if i > 0 {
			b.WriteString("\n")
			if loose {
				b.WriteString("\n")
			}
		}
		m := string(marker)
		if l.Ordered {
			m = strconv.Itoa(min(n+i, 999999999)) + m
		}
		body, err := w.blocks(it.Blocks)
		if err != nil {
			return "", 0, err
		}
		if body == "" {
			b.WriteString(m)
			continue
		}
		pad := strings.Repeat(" ", len(m)+1)
		for j, line := range strings.Split(body, "\n") {
			switch {
			case j == 0:
				b.WriteString(m + " " + line)
			case line == "":
				b.WriteString("\n")
			default:
				b.WriteString("\n" + pad + line)
			}
		}
	}
	return b.String(), marker, nil
}

// blocks formats the blocks of a list item, separated by blank lines.
func (w *Writer) blocks(bs []document.Block) (string, error) {
	var parts []string
	var prev byte
	for i := 0; i < len(bs); i++ {
		b := bs[i]
		if s, ok := sourceOf(b); ok {
			prev = 0
			parts = append(parts, source(s))
			i += s.Blocks - 1
			continue
		}
		t, m, err := w.format(b, prev)
		if err != nil {
			return "", err
		}
		if t != "" {
			prev = m
			parts = append(parts, t)
		}
	}
	return strings.Join(parts, "\n\n"), nil
}

// table formats a GFM table. An information table has no header of its own,
// so it gets a generic one in the document's language. GFM has no way to
// give column widths, so Widths is not written.
func (w *Writer) table(t document.Table) string {
	header := make([]string, len(t.Header))
	for i, c := range t.Header {
		header[i] = cell(c)
	}
	if t.Role == document.InfoTable && len(header) == 0 {
		header = []string{"Item", "Details"}
		if w.chinese {
			header = []string{"项目", "内容"}
		}
	}
	cols := len(header)
	for _, r := range t.Rows {
		cols = max(cols, len(r))
	}
	if cols == 0 {
		return ""
	}
	var b strings.Builder
	row := func(cells []string) {
		b.WriteString("|")
		for i := range cols {
			c := ""
			if i < len(cells) {
				c = cells[i]
			}
			b.WriteString(" " + c + " |")
		}
	}
	row(header)
	b.WriteString("\n|")
	for range cols {
		b.WriteString(" --- |")
	}
	for _, r := range t.Rows {
		cells := make([]string, len(r))
		for i, c := range r {
			cells[i] = cell(c)
		}
		b.WriteString("\n")
		row(cells)
	}
	return b.String()
}

// cell formats the blocks of a table cell on one line, with <br> between
// lines.
func cell(c document.Cell) string {
	if len(c.Blocks) > 0 {
		if s, ok := sourceOf(c.Blocks[0]); ok && s.Blocks == len(c.Blocks) {
			return sourceCell(s)
		}
	}
	return inline(cellRuns(c.Blocks, nil), inCell)
}

// cellRuns flattens blocks into runs for a table cell: lists become lines
// with a bullet or number, preformatted text lines of code.
func cellRuns(bs []document.Block, runs []document.Run) []document.Run {
	br := func() {
		if len(runs) > 0 {
			runs = append(runs, document.Run{Break: true})
		}
	}
	for _, b := range bs {
		switch b := b.(type) {
		case document.Paragraph:
			br()
			runs = append(runs, b.Runs...)
		case document.Heading:
			br()
			runs = append(runs, document.Run{Text: b.Text, Bold: true})
		case document.Preformatted:
			br()
			for i, line := range strings.Split(normalizeNewlines(b.Text), "\n") {
				if i > 0 {
					runs = append(runs, document.Run{Break: true})
				}
				runs = append(runs, document.Run{Text: line, Code: true})
			}
		case document.List:
			for i, it := range b.Items {
				br()
				m := "• "
				if b.Ordered {
					m = strconv.Itoa(b.Start+i) + ". "
				}
				runs = append(runs, document.Run{Text: m})
				runs = append(runs, cellRuns(it.Blocks, nil)...)
			}
		case document.Table:
			rows := b.Rows
			if len(b.Header) > 0 {
				rows = append([][]document.Cell{b.Header}, rows...)
			}
			for _, r := range rows {
				br()
				for i, c := range r {
					if i > 0 {
						runs = append(runs, document.Run{Text: " / "})
					}
					runs = append(runs, cellRuns(c.Blocks, nil)...)
				}
			}
		}
	}
	return runs
}

// longestRun returns the length of the longest run of c in s.
func longestRun(s string, c byte) int {
	best, n := 0, 0
	for i := 0; i < len(s); i++ {
		if s[i] == c {
			n++
			best = max(best, n)
		} else {
			n = 0
		}
	}
	return best
}
