package pdf

import (
	"math"
	"strings"

	"lessonexport/document"
	"lessonexport/fonts"
)

const (
	cellPadX = 1.6
	cellPadY = 1.1
	// stepIndent is how far the stage cell of a step is indented per level
	// of nesting.
	stepIndent = 3.5
)

// tableState is what the writer keeps of a top-level table so that a table
// continuing it (document.Table.Continues) can add its rows to it.
type tableState struct {
	role   document.TableRole
	widths []float64
	info   *tableInfo
	// split is set when the content column of a procedure table goes in a
	// row of its own under each stage.
	split bool
}

// layoutTable lays out t as slices: for each row a padding slice, one
// slice per line of its tallest cell and another padding slice. Each slice
// draws its part of the cell backgrounds and borders, so a row may break
// across pages between slices; the writer repeats the header row there.
func (w *Writer) layoutTable(t document.Table, width float64, depth int) []vline {
	lines, _ := w.startTable(t, width, depth)
	return lines
}

// startTable lays out t as layoutTable does and returns the state a table
// continuing it needs, or nil for a table with no columns.
func (w *Writer) startTable(t document.Table, width float64, depth int) ([]vline,
	*tableState) {
	split := t.Role == document.ProcedureTable && t.Column("content") >= 0 &&
		(t.Column("teacher") >= 0 || t.Column("students") >= 0)
	if split {
		t, _ = splitContent(t, false)
	}
	ncols := len(t.Header)
	for _, row := range t.Rows {
		ncols = max(ncols, len(row))
	}
	if ncols == 0 {
		return nil, nil
	}
	ts := &tableState{role: t.Role, widths: w.columnWidths(t, ncols, width),
		info: &tableInfo{w: width}, split: split}
	var lines []vline
	if len(t.Header) > 0 {
		header := w.layoutRow(t.Header, ts.widths, depth, func(int) bool { return true },
			true, 0)
		for i := range header {
			header[i].tbl, header[i].header, header[i].keep = ts.info, true, true
		}
		ts.info.header = header
		lines = append(lines, header...)
	}
	return w.tableRows(ts, t, depth, lines), ts
}

// continues reports whether t can go on in the table of ts: it continues
// the table before it, has its role and no more columns.
func (ts *tableState) continues(t document.Table) bool {
	if ts == nil || !t.Continues || t.Role != ts.role {
		return false
	}
	if ts.split {
		t, _ = splitContent(t, false)
	}
	for _, row := range t.Rows {
		if len(row) > len(ts.widths) {
			return false
		}
	}
	return true
}

// tableRows appends the rows of t, laid out in the columns of ts, to lines.
// For a procedure table whose content goes in rows of its own, t still has
// its content column.
func (w *Writer) tableRows(ts *tableState, t document.Table, depth int,
	lines []vline) []vline {
	var content []document.Cell
	if ts.split {
		t, content = splitContent(t, true)
	}
	ncols := len(ts.widths)
	label := func(c int) bool { return t.Role == document.InfoTable && c == 0 && ncols > 1 }
	// The most a row can take on a page below the repeated header.
	room := contentBot - contentTop
	for _, l := range ts.info.header {
		room -= l.h
	}
	for i, row := range t.Rows {
		indent := 0.0
		if t.Role == document.ProcedureTable {
			indent = stepIndent * float64(min(t.Depth(i), 6))
		}
		rl := w.layoutRow(row, ts.widths, depth, label, false, indent)
		keepRow(rl, room)
		if i < len(content) && len(content[i].Blocks) > 0 {
			cl := w.layoutRow([]document.Cell{content[i]}, []float64{ts.info.w}, depth,
				func(int) bool { return false }, false, indent)
			keepRow(cl, room)
			// The content stays with its stage when both fit on a page.
			if height(rl)+height(cl) <= room {
				rl[len(rl)-1].keep = true
			}
			rl = append(rl, cl...)
		}
		for k := range rl {
			rl[k].tbl = ts.info
		}
		lines = append(lines, rl...)
	}
	return lines
}

// height returns the total height of lines.
func height(lines []vline) float64 {
	h := 0.0
	for _, l := range lines {
		h += l.h
	}
	return h
}

// keepRow keeps the slices of a row on one page when the row fits in room;
// of a taller row it keeps the first and the last few slices together.
func keepRow(rl []vline, room float64) {
	whole := height(rl) <= room
	for i := range rl[:len(rl)-1] {
		if whole || i < 3 || i >= len(rl)-4 {
			rl[i].keep = true
		}
	}
}

// splitContent takes the content column out of a procedure table and, if
// cells is set, returns each row's content cell.
func splitContent(t document.Table, cells bool) (document.Table, []document.Cell) {
	c := t.Column("content")
	if c < 0 {
		return t, nil
	}
	drop := func(row []document.Cell) ([]document.Cell, document.Cell) {
		if c >= len(row) {
			return row, document.Cell{}
		}
		return append(append([]document.Cell(nil), row[:c]...), row[c+1:]...), row[c]
	}
	out := t
	out.Header, _ = drop(t.Header)
	if c < len(t.Widths) && len(t.Widths) == len(t.Keys) {
		out.Widths = append(append([]float64(nil), t.Widths[:c]...), t.Widths[c+1:]...)
	}
	out.Keys = append(append([]string(nil), t.Keys[:c]...), t.Keys[c+1:]...)
	out.Rows = make([][]document.Cell, len(t.Rows))
	var content []document.Cell
	if cells {
		content = make([]document.Cell, len(t.Rows))
	}
	for i, r := range t.Rows {
		var cc document.Cell
		out.Rows[i], cc = drop(r)
		if cells {
			content[i] = cc
		}
	}
	return out, content
}

// layoutRow lays out one row of cells in columns of the given widths.
// shaded says which columns have a background and bold text; the content
// of the first column is indented by indent.
func (w *Writer) layoutRow(cells []document.Cell, widths []float64, depth int,
	shaded func(int) bool, header bool, indent float64) []vline {
	content := make([][]vline, len(widths))
	n := 0
	for c := range widths {
		if c >= len(cells) {
			continue
		}
		in := 0.0
		if c == 0 {
			in = min(indent, widths[c]/3)
		}
		content[c] = w.layoutCell(cells[c].Blocks, widths[c]-2*cellPadX-in, depth,
			shaded(c))
		shift(content[c], in)
		n = max(n, len(content[c]))
	}
	empty := tableSize * lineSpacing * ptMM
	slices := make([]vline, 0, n+2)
	slices = append(slices, vline{h: cellPadY, rowStart: true})
	for k := range n {
		h := 0.0
		for c := range widths {
			if k < len(content[c]) {
				h = max(h, content[c][k].h)
			}
		}
		if h == 0 {
			h = empty
		}
		slices = append(slices, vline{h: h})
	}
	if n == 0 {
		slices = append(slices, vline{h: empty})
	}
	slices = append(slices, vline{h: cellPadY, rowEnd: true})
	fill := headerFill
	if !header {
		fill = labelFill
	}
	for k := range slices {
		s := &slices[k]
		x := 0.0
		var text []op
		for c, cw := range widths {
			if shaded(c) {
				s.ops = append(s.ops, op{kind: opFill, x: x, w: cw, h: s.h, color: fill})
			}
			if k >= 1 && k-1 < len(content[c]) {
				for _, o := range content[c][k-1].ops {
					o.x += x + cellPadX
					o.col = c + 1
					text = append(text, o)
				}
			}
			x += cw
		}
		s.ops = append(s.ops, text...)
		// Borders: the vertical lines, and the horizontal ones at the ends.
		x = 0
		for c := 0; c <= len(widths); c++ {
			s.ops = append(s.ops, op{kind: opRule, x: x, y: 0, w: 0, h: s.h,
				color: borderColor})
			if c < len(widths) {
				x += widths[c]
			}
		}
		if s.rowStart {
			s.ops = append(s.ops, op{kind: opRule, x: 0, y: 0, w: x, color: borderColor})
		}
		if s.rowEnd {
			s.ops = append(s.ops, op{kind: opRule, x: 0, y: s.h, w: x, color: borderColor})
		}
	}
	return slices
}

// layoutCell lays out the blocks of a cell. Text in a cell is set a little
// smaller than body text; bold makes it bold throughout. A table inside a
// cell becomes one paragraph per row, its cells separated by bars.
func (w *Writer) layoutCell(blocks []document.Block, width float64, depth int,
	bold bool) []vline {
	var lines []vline
	for i, b := range blocks {
		var bl []vline
		switch b := b.(type) {
		case document.Paragraph:
			bl = w.layoutCellText(b.Runs, b.Style, width, bold)
		case *document.Paragraph:
			if b != nil {
				bl = w.layoutCellText(b.Runs, b.Style, width, bold)
			}
		case document.Table, *document.Table:
			for _, row := range flattenTable(b) {
				bl = append(bl, w.layoutCellText(row, document.Body, width, bold)...)
			}
		default:
			bl, _ = w.layoutBlock(b, width, depth+1, false)
		}
		if len(bl) == 0 {
			continue
		}
		if i > 0 && len(lines) > 0 {
			lines = append(lines, vline{h: 1.2})
		}
		lines = append(lines, bl...)
	}
	for i := range lines {
		lines[i].keep = false
		lines[i].gap = false
	}
	return lines
}

func (w *Writer) layoutCellText(runs []document.Run, ps document.ParagraphStyle,
	width float64, bold bool) []vline {
	st := style{face: fonts.SansFace, size: tableSize, bold: bold, color: textColor}
	if ps == document.Note {
		st.color = noteColor
	}
	return w.layoutText(runs, st, width, 1.45)
}

// flattenTable returns the rows of a nested table as runs of text.
func flattenTable(b document.Block) [][]document.Run {
	var t document.Table
	switch b := b.(type) {
	case document.Table:
		t = b
	case *document.Table:
		if b == nil {
			return nil
		}
		t = *b
	}
	var out [][]document.Run
	for _, row := range append([][]document.Cell{t.Header}, t.Rows...) {
		if len(row) == 0 {
			continue
		}
		var runs []document.Run
		for i, c := range row {
			if i > 0 {
				runs = append(runs, document.Run{Text: " | "})
			}
			runs = append(runs, document.Run{Text: cellText(c.Blocks)})
		}
		out = append(out, runs)
	}
	return out
}

// cellText returns the plain text of blocks, lines separated by newlines.
func cellText(blocks []document.Block) string {
	var b strings.Builder
	var walk func([]document.Block)
	walk = func(bs []document.Block) {
		for _, bl := range bs {
			if b.Len() > 0 {
				b.WriteByte('\n')
			}
			switch v := bl.(type) {
			case document.Paragraph:
				b.WriteString(document.Text(v.Runs))
			case *document.Paragraph:
				if v != nil {
					b.WriteString(document.Text(v.Runs))
				}
			case document.Heading:
				b.WriteString(v.Text)
			case document.Preformatted:
				b.WriteString(v.Text)
			case document.List:
				for _, it := range v.Items {
					walk(it.Blocks)
				}
			case document.Table:
				for _, row := range append([][]document.Cell{v.Header}, v.Rows...) {
					for _, c := range row {
						walk(c.Blocks)
					}
				}
			}
		}
	}
	walk(blocks)
	return b.String()
}

// columnWidths returns the widths of ncols columns filling width: the
// table's relative widths when it has a usable set, otherwise widths from
// the content, each column getting at least what its longest word needs
// and the rest shared out by how long its longest line is.
func (w *Writer) columnWidths(t document.Table, ncols int, width float64) []float64 {
	out := make([]float64, ncols)
	if len(t.Widths) == ncols {
		sum := 0.0
		for _, v := range t.Widths {
			if !(v > 0) || math.IsInf(v, 0) {
				sum = 0
				break
			}
			sum += v
		}
		if sum > 0 && !math.IsInf(sum, 0) {
			for i, v := range t.Widths {
				out[i] = width * v / sum
			}
			return out
		}
	}
	st := &style{face: fonts.SansFace, size: tableSize}
	long := make([]float64, ncols)  // natural width of the longest line
	short := make([]float64, ncols) // width of the longest word
	measure := func(c int, cell document.Cell) {
		text := clean(cellText(cell.Blocks), fonts.SansFace, missing)
		for _, line := range strings.Split(text, "\n") {
			lw, ww := 0.0, 0.0
			prev := ' '
			for _, r := range line {
				rw := w.width(st, r)
				lw += rw
				if r == ' ' || cjk(r) || cjk(prev) {
					ww = 0
				}
				if r != ' ' {
					ww += rw
				}
				short[c] = max(short[c], min(ww, 30))
				prev = r
			}
			long[c] = max(long[c], lw)
		}
	}
	for c, cell := range t.Header {
		measure(c, cell)
	}
	for _, row := range t.Rows {
		for c, cell := range row {
			measure(c, cell)
		}
	}
	pad := 2*cellPadX + 0.5
	for c := range ncols {
		long[c] = max(long[c]+pad, 8)
		short[c] = min(max(short[c]+pad, 8), long[c])
	}
	// A narrow column, one that needs at most half an equal share, gets
	// all it needs.
	share := width / float64(ncols)
	for c := range ncols {
		if long[c] <= share/2 {
			short[c] = long[c]
		}
	}
	sumLong, sumShort := 0.0, 0.0
	for c := range ncols {
		sumLong += long[c]
		sumShort += short[c]
	}
	switch {
	case sumLong <= width && t.Role == document.InfoTable && ncols > 1:
		// The labels keep their width; the values get the rest.
		rest := sumLong - long[0]
		for c := range out {
			out[c] = long[c]
			if c > 0 {
				out[c] += (width - sumLong) * long[c] / rest
			}
		}
	case sumLong <= width:
		for c := range out {
			out[c] = long[c] + (width-sumLong)*long[c]/sumLong
		}
	case sumShort <= width:
		// Each column gets what its longest word needs and a share of
		// the rest by how much more its longest line, as far as it
		// could fit, would need.
		sumWant := 0.0
		for c := range ncols {
			sumWant += min(long[c], width) - short[c]
		}
		for c := range out {
			out[c] = short[c]
			if sumWant > 0 {
				out[c] += (width - sumShort) * (min(long[c], width) - short[c]) / sumWant
			}
		}
	default:
		for c := range out {
			out[c] = width * short[c] / sumShort
		}
	}
	return out
}
