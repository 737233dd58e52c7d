package render

import (
	"fmt"
	"strings"

	"lessonexport/document"
)

// dump writes blocks in a compact, readable form for comparisons:
// H2 "text", P[...] with runs as "text", b/i/c/s flags and links, L1.[...]
// for lists, T[...] for tables, PRE(board) "text".
func dump(bs []document.Block) string {
	var b strings.Builder
	for _, bl := range bs {
		dumpBlock(&b, bl, "")
	}
	return b.String()
}

func dumpBlock(b *strings.Builder, bl document.Block, indent string) {
	switch bl := bl.(type) {
	case document.Heading:
		fmt.Fprintf(b, "%sH%d %q\n", indent, bl.Level, bl.Text)
	case document.Paragraph:
		style := map[document.ParagraphStyle]string{document.Body: "P",
			document.Quote: "QUOTE", document.Note: "NOTE"}[bl.Style]
		fmt.Fprintf(b, "%s%s%s\n", indent, style, dumpRuns(bl.Runs))
	case document.List:
		kind := "UL"
		if bl.Ordered {
			kind = fmt.Sprintf("OL%d", bl.Start)
		}
		fmt.Fprintf(b, "%s%s\n", indent, kind)
		for _, it := range bl.Items {
			fmt.Fprintf(b, "%s  *\n", indent)
			for _, c := range it.Blocks {
				dumpBlock(b, c, indent+"    ")
			}
		}
	case document.Table:
		role := "TABLE"
		if bl.Role == document.InfoTable {
			role = "INFO"
		}
		fmt.Fprintf(b, "%s%s %v\n", indent, role, bl.Widths)
		if len(bl.Header) > 0 {
			fmt.Fprintf(b, "%s  head%s\n", indent, dumpCells(bl.Header))
		}
		for _, r := range bl.Rows {
			fmt.Fprintf(b, "%s  row%s\n", indent, dumpCells(r))
		}
	case document.Preformatted:
		role := "CODE"
		if bl.Role == document.Board {
			role = "BOARD"
		}
		fmt.Fprintf(b, "%s%s %q\n", indent, role, bl.Text)
	default:
		fmt.Fprintf(b, "%s?%T\n", indent, bl)
	}
}

func dumpCells(cells []document.Cell) string {
	var parts []string
	for _, c := range cells {
		var in strings.Builder
		for _, bl := range c.Blocks {
			dumpBlock(&in, bl, "")
		}
		parts = append(parts, strings.TrimSuffix(in.String(), "\n"))
	}
	return "{" + strings.Join(parts, " | ") + "}"
}

func dumpRuns(runs []document.Run) string {
	var parts []string
	for _, r := range runs {
		if r.Break {
			parts = append(parts, "BR")
			continue
		}
		f := ""
		for _, x := range []struct {
			on bool
			c  string
		}{{r.Bold, "b"}, {r.Italic, "i"}, {r.Code, "c"}, {r.Strike, "s"}} {
			if x.on {
				f += x.c
			}
		}
		if f != "" {
			f += ":"
		}
		s := f + fmt.Sprintf("%q", r.Text)
		if r.Link != "" {
			s += "->" + r.Link
		}
		parts = append(parts, s)
	}
	return "[" + strings.Join(parts, " ") + "]"
}

// blockText returns all the text of bs, in order, each piece on a line.
func blockText(bs []document.Block) string {
	var b strings.Builder
	for _, bl := range bs {
		textOf(&b, bl)
	}
	return b.String()
}

func textOf(b *strings.Builder, bl document.Block) {
	switch bl := bl.(type) {
	case document.Heading:
		b.WriteString(bl.Text + "\n")
	case document.Paragraph:
		b.WriteString(document.Text(bl.Runs) + "\n")
		for _, r := range bl.Runs {
			if r.Link != "" {
				b.WriteString(r.Link + "\n")
			}
		}
	case document.List:
		for _, it := range bl.Items {
			for _, c := range it.Blocks {
				textOf(b, c)
			}
		}
	case document.Table:
		for _, row := range append([][]document.Cell{bl.Header}, bl.Rows...) {
			for _, c := range row {
				for _, x := range c.Blocks {
					textOf(b, x)
				}
			}
		}
	case document.Preformatted:
		b.WriteString(bl.Text + "\n")
	}
}
