package document

import (
	"iter"
	"time"
)

// Meta describes the document as a whole: what writers put in document
// properties, title slides and PDF information.
type Meta struct {
	Title    string
	Subject  string
	Author   string
	Keywords []string
	// Language is a BCP 47 tag such as "zh-CN" or "en".
	Language string
	// Created is the document's creation time. Writers use it for every
	// timestamp they emit, so the same plan gives byte-identical files.
	Created time.Time
}

// Block is one unit of document content. The concrete types are Heading,
// Paragraph, List, Table and Preformatted.
type Block interface{ block() }

// Blocks is a stream of blocks, produced as a writer asks for them.
type Blocks = iter.Seq[Block]

// Heading starts a section. Level 1 is a top-level section of the plan (the
// document title is in Meta, not a heading); levels 2 and 3 nest below it.
type Heading struct {
	Level int
	Text  string
}

// ParagraphStyle says what a paragraph is for, so that writers can set it.
type ParagraphStyle int

const (
	// Body is ordinary text.
	Body ParagraphStyle = iota
	// Quote is a block quotation.
	Quote
	// Note is an aside for the teacher, such as the purpose of a stage;
	// a slide writer puts it in the speaker notes.
	Note
)

// Paragraph is a run of styled text.
type Paragraph struct {
	Style ParagraphStyle
	Runs  []Run
}

// Run is a stretch of text with one set of inline styles. A Run whose Break
// is set is a hard line break and has no text.
type Run struct {
	Text   string
	Bold   bool
	Italic bool
	Code   bool
	Strike bool
	// Link is the target of a hyperlink, empty when the run is no link.
	Link  string
	Break bool
}

// List is a bulleted or numbered list. Each item holds blocks of its own,
// nested lists among them.
type List struct {
	Ordered bool
	// Start is the number of the first item of an ordered list.
	Start int
	Items []ListItem
}

// ListItem is one item of a List.
type ListItem struct {
	Blocks []Block
}

// TableRole says what a table holds, so that writers can size its columns.
type TableRole int

const (
	// DataTable is an ordinary table with a header row.
	DataTable TableRole = iota
	// InfoTable is a two-column table of labels and values with no header.
	InfoTable
)

// Table is a grid of cells. Header is empty for an InfoTable.
type Table struct {
	Role   TableRole
	Header []Cell
	Rows   [][]Cell
	// Widths are the relative widths of the columns, one per column; nil
	// means equal widths.
	Widths []float64
}

// Cell is one table cell, holding blocks (usually one Paragraph).
type Cell struct {
	Blocks []Block
}

// PreformattedRole says what preformatted text is.
type PreformattedRole int

const (
	// Code is a code block from Markdown.
	Code PreformattedRole = iota
	// Board is the board design (板书设计): kept verbatim and set in a
	// monospaced face in which a CJK character is two columns wide.
	Board
)

// Preformatted is text kept verbatim, line breaks and spaces included.
type Preformatted struct {
	Role PreformattedRole
	Text string
}

func (Heading) block()      {}
func (Paragraph) block()    {}
func (List) block()         {}
func (Table) block()        {}
func (Preformatted) block() {}

// Text returns the plain text of runs, with breaks as newlines.
func Text(runs []Run) string {
	n := 0
	for _, r := range runs {
		n += len(r.Text) + 1
	}
	b := make([]byte, 0, n)
	for _, r := range runs {
		if r.Break {
			b = append(b, '\n')
			continue
		}
		b = append(b, r.Text...)
	}
	return string(b)
}

// Plain returns a paragraph of one unstyled run.
func Plain(text string) Paragraph {
	return Paragraph{Runs: []Run{{Text: text}}}
}
