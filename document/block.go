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
	// Fields are the information fields of the source, in order, with their
	// values as the source has them. A writer of a source format (Markdown
	// front matter) writes them and may then leave out the InfoTable that
	// shows the same fields; other writers need not read them.
	Fields []Field
}

// Field is one information field of a document's source, such as its
// subject, its duration or a field the teacher added.
type Field struct {
	// Key is the field's machine name, such as "subject" or
	// "duration_minutes", or the name the teacher gave a field of their own.
	Key string
	// Values holds the value, one entry for a single value and one per item
	// for a list such as tags.
	Values []string
	// List reports whether the field is a list, even of one item.
	List bool
}

// Source is the CommonMark text that a run of blocks was rendered from. It
// is set on the first block of the run, with Blocks the number of blocks in
// the run (that first one included), so that a writer of Markdown can write
// the text as the teacher wrote it and skip the rest of the run. Every other
// writer ignores it.
type Source struct {
	Markdown string
	Blocks   int
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
	// Key is the JSON key of the plan section the heading starts, such as
	// "objectives" or "key_points", or empty for a section of the teacher's
	// own or a heading inside one.
	Key string
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
	Style  ParagraphStyle
	Runs   []Run
	Source Source
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
	Start  int
	Items  []ListItem
	Source Source
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
	// ProcedureTable is the teaching procedure: a header row, then one row
	// per stage with each stage's steps in the rows right after it. Keys
	// names the columns (see ProcedureColumns) and Depths the nesting of
	// each row. A slide writer may give each row a slide of its own.
	ProcedureTable
	// GrammarTable lists grammar points: the columns are the point, its
	// explanation and its examples (Keys "point", "explanation" and
	// "examples"), one row per point.
	GrammarTable
)

// ProcedureColumns are the keys a ProcedureTable's columns may have, in the
// order they come: the stage's number and name, its minutes, interaction,
// teacher activity, student activity, content and purpose. A table has
// only the columns some row fills; "stage" is always there.
var ProcedureColumns = []string{
	"stage", "minutes", "interaction", "teacher", "students", "content", "purpose",
}

// Table is a grid of cells. Header is empty for an InfoTable.
type Table struct {
	Role   TableRole
	Header []Cell
	Rows   [][]Cell
	// Widths are the relative widths of the columns, one per column; nil
	// means equal widths.
	Widths []float64
	// Keys are the machine names of the columns, one per column, for roles
	// whose columns writers treat apart; nil for other tables.
	Keys []string
	// Depths holds the nesting depth of each row, 0 for a top-level row;
	// nil means every row is at depth 0.
	Depths []int
	// Continues reports that the table goes on from the table just before
	// it, with the same role and columns: a writer may set its rows in the
	// same table and leave out its Header, which repeats the first one's.
	// A long procedure comes as one such table per stage, so that it can be
	// written as it is read.
	Continues bool
	Source    Source
}

// Column returns the index of the column whose key is key, or -1.
func (t Table) Column(key string) int {
	for i, k := range t.Keys {
		if k == key {
			return i
		}
	}
	return -1
}

// Depth returns the nesting depth of row i.
func (t Table) Depth(i int) int {
	if i < len(t.Depths) {
		return t.Depths[i]
	}
	return 0
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
	Role   PreformattedRole
	Text   string
	Source Source
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
