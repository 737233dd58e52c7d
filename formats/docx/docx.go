package docx

import (
	"errors"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"

	"lessonexport/document"
	"lessonexport/formats/ooxml"
)

// Writer writes a Word document. Static parts are written when it is made,
// word/document.xml while blocks arrive, and the parts that depend on the
// content (numbering, relationships, content types) when it is closed.
type Writer struct {
	pkg  *ooxml.Package
	doc  *ooxml.Part
	lang string
	// rels holds the document's relationships; hyperlinks are added as
	// they are met.
	rels ooxml.Rels
	// links maps a hyperlink target to its relationship id.
	links map[string]string
	// nums are the numbering instances of ordered lists, numIds 2, 3, ...
	nums []numInst
	// lastTable is set when the last element written was a table, which
	// must not end a table cell or the body.
	lastTable bool
	// keepRows is set while writing a procedure table, whose rows are kept
	// whole on one page (a row taller than a page still splits).
	keepRows bool
	// open is the top-level table whose end tag is still to come, so that
	// a table that continues it adds its rows; nil when there is none.
	open   *openTable
	err    error
	closed bool
}

// openTable is a top-level table that later blocks may continue.
type openTable struct {
	role   document.TableRole
	widths []int
	// content is set when the stages' content goes in rows of its own.
	content bool
}

// numInst is a numbering instance: the level an ordered list sits at and
// the number it starts from.
type numInst struct {
	level, start int
}

// NewWriter starts a Word document for meta on w and writes its title.
func NewWriter(w io.Writer, meta document.Meta) (*Writer, error) {
	dw := &Writer{
		pkg:   ooxml.NewPackage(w, meta.Created),
		lang:  ooxml.Lang(meta.Language),
		links: map[string]string{},
	}
	dw.rels.Add(relStyles, "styles.xml", false)
	dw.rels.Add(relSettings, "settings.xml", false)
	dw.rels.Add(relNumbering, "numbering.xml", false)
	dw.rels.Add(relFontTable, "fontTable.xml", false)
	dw.rels.Add(relFooter, "footer1.xml", false)
	p := dw.pkg
	parts := []struct{ name, ct, body string }{
		{"_rels/.rels", "", ooxml.RootRels("word/document.xml").XML()},
		{"docProps/core.xml", ooxml.TypeCore, ooxml.CoreXML(meta)},
		{"docProps/app.xml", ooxml.TypeApp, ooxml.AppXML("")},
		{"word/styles.xml", ctStyles, stylesXML(dw.lang)},
		{"word/settings.xml", ctSettings, settingsXML(dw.lang)},
		{"word/fontTable.xml", ctFontTable, fontTableXML()},
		{"word/footer1.xml", ctFooter, footerXML()},
	}
	for _, x := range parts {
		if err := p.WritePart(x.name, x.ct, x.body); err != nil {
			return nil, fmt.Errorf("start docx: %w", err)
		}
	}
	doc, err := p.Create("word/document.xml", ctMain)
	if err != nil {
		return nil, fmt.Errorf("start docx: %w", err)
	}
	dw.doc = doc
	doc.WriteString(ooxml.Header)
	doc.WriteString(`<w:document xmlns:w="` + nsW + `" xmlns:r="` + nsR + `"><w:body>`)
	if t := ooxml.OneLine(meta.Title); t != "" {
		dw.para("Title", nil, []document.Run{{Text: t}}, false)
	}
	return dw, nil
}

// WriteBlock writes one block to word/document.xml.
func (w *Writer) WriteBlock(b document.Block) error {
	if w.err != nil {
		return w.err
	}
	if w.closed {
		return errors.New("write docx block: writer is closed")
	}
	if t, ok := b.(document.Table); ok {
		if o := w.open; o != nil && t.Continues && t.Role == o.role {
			var content [][]document.Cell
			if o.content {
				t, content = splitContent(t)
			}
			if fits(t, len(o.widths)) {
				w.keepRows = true
				w.rows(t.Rows, content, o.widths)
				w.keepRows = false
			} else {
				w.closeTable()
				w.table(t, textWidth, true)
			}
		} else {
			w.closeTable()
			w.table(t, textWidth, true)
		}
	} else {
		w.closeTable()
		w.block(b, textWidth, 0, false)
	}
	if err := w.doc.Flush(); err != nil && w.err == nil {
		w.err = fmt.Errorf("write docx block: %w", err)
	}
	return w.err
}

// Close ends word/document.xml and writes the numbering, the document's
// relationships and the content types.
func (w *Writer) Close() error {
	if w.closed {
		return errors.New("close docx: already closed")
	}
	w.closed = true
	if w.err != nil {
		return w.err
	}
	w.closeTable()
	if w.lastTable {
		w.doc.WriteString(`<w:p/>`)
	}
	w.doc.WriteString(`<w:sectPr><w:footerReference w:type="default" r:id="rId5"/>` +
		`<w:pgSz w:w="` + itoa(pageW) + `" w:h="` + itoa(pageH) + `"/>` +
		`<w:pgMar w:top="1440" w:right="` + itoa(margin) + `" w:bottom="1440" w:left="` +
		itoa(margin) + `" w:header="720" w:footer="720" w:gutter="0"/>` +
		`<w:cols w:space="425"/><w:docGrid w:linePitch="312"/></w:sectPr></w:body></w:document>`)
	p := w.pkg
	if err := p.WritePart("word/numbering.xml", ctNumbering, numberingXML(w.nums)); err != nil {
		return fmt.Errorf("close docx: %w", err)
	}
	if err := p.WriteRels("word/document.xml", &w.rels); err != nil {
		return fmt.Errorf("close docx: %w", err)
	}
	if err := p.Close(); err != nil {
		return fmt.Errorf("close docx: %w", err)
	}
	return nil
}

// block writes b into a space width twips wide. depth is the list nesting
// of the block; inCell is set inside table cells.
func (w *Writer) block(b document.Block, width, depth int, inCell bool) {
	switch b := b.(type) {
	case document.Heading:
		w.heading(b, inCell)
	case *document.Heading:
		if b != nil {
			w.heading(*b, inCell)
		}
	case document.Paragraph:
		w.paragraph(b, depth, inCell)
	case *document.Paragraph:
		if b != nil {
			w.paragraph(*b, depth, inCell)
		}
	case document.List:
		w.list(b, width, depth, inCell)
	case *document.List:
		if b != nil {
			w.list(*b, width, depth, inCell)
		}
	case document.Table:
		w.table(b, width, false)
	case *document.Table:
		if b != nil {
			w.table(*b, width, false)
		}
	case document.Preformatted:
		w.pre(b, depth)
	case *document.Preformatted:
		if b != nil {
			w.pre(*b, depth)
		}
	}
}

func (w *Writer) heading(h document.Heading, inCell bool) {
	runs := []document.Run{{Text: ooxml.OneLine(h.Text)}}
	if inCell {
		runs[0].Bold = true
		w.para("TableText", nil, runs, false)
		return
	}
	level := min(max(h.Level, 1), 3)
	w.para("Heading"+itoa(level), nil, runs, false)
}

func (w *Writer) paragraph(p document.Paragraph, depth int, inCell bool) {
	style := ""
	switch p.Style {
	case document.Quote:
		style = "Quote"
	case document.Note:
		style = "Note"
	default:
		if inCell {
			style = "TableText"
		} else if depth > 0 {
			style = "ListParagraph"
		}
	}
	var ind *listInd
	if depth > 0 {
		ind = &listInd{left: indent(depth - 1)}
	}
	w.para(style, ind, p.Runs, false)
}

// listInd is the list placement of a paragraph: numbered when numID is not
// zero, else indented to left twips.
type listInd struct {
	numID, ilvl int
	left        int
}

// indent returns the text indent of list level ilvl, as numbering.xml sets
// it.
func indent(ilvl int) int { return 420 * (min(ilvl, maxLevel) + 1) }

// para writes one paragraph of style (empty for Normal), numbered or
// indented by ind when it is not nil and kept with the next paragraph when
// keepNext is set.
func (w *Writer) para(style string, ind *listInd, runs []document.Run, keepNext bool) {
	d := w.doc
	d.WriteString(`<w:p>`)
	if style != "" || ind != nil || keepNext {
		d.WriteString(`<w:pPr>`)
		if style != "" {
			d.WriteString(`<w:pStyle w:val="` + style + `"/>`)
		}
		if keepNext {
			d.WriteString(`<w:keepNext/>`)
		}
		if ind != nil && ind.numID != 0 {
			d.WriteString(`<w:numPr><w:ilvl w:val="` + itoa(ind.ilvl) + `"/><w:numId w:val="` +
				itoa(ind.numID) + `"/></w:numPr>`)
		} else if ind != nil {
			d.WriteString(`<w:ind w:left="` + itoa(ind.left) + `"/>`)
		}
		d.WriteString(`</w:pPr>`)
	}
	mono := style == "Code" || style == "Board"
	for i := 0; i < len(runs); {
		link, ok := "", false
		if runs[i].Link != "" && !runs[i].Break {
			link, ok = ooxml.SafeLink(runs[i].Link)
		}
		if !ok {
			w.run(runs[i], mono, false)
			i++
			continue
		}
		id := w.links[link]
		if id == "" {
			id = w.rels.Add(ooxml.RelHyperlink, link, true)
			w.links[link] = id
		}
		d.WriteString(`<w:hyperlink r:id="` + id + `" w:history="1">`)
		for ; i < len(runs) && runs[i].Link != "" && !runs[i].Break; i++ {
			if l, _ := ooxml.SafeLink(runs[i].Link); l != link {
				break
			}
			w.run(runs[i], mono, true)
		}
		d.WriteString(`</w:hyperlink>`)
	}
	d.WriteString(`</w:p>`)
	w.lastTable = false
}

// run writes one run. Line feeds in the text become line breaks and tabs
// become tab characters.
func (w *Writer) run(r document.Run, mono, link bool) {
	w.spacedRun(r, mono, link, 0)
}

// spacedRun writes one run with extra spacing after each character, in
// twentieths of a point.
func (w *Writer) spacedRun(r document.Run, mono, link bool, spacing int) {
	d := w.doc
	code := r.Code && !mono
	d.WriteString(`<w:r><w:rPr>`)
	switch {
	case link:
		d.WriteString(`<w:rStyle w:val="Hyperlink"/>`)
	case code:
		d.WriteString(`<w:rStyle w:val="CodeChar"/>`)
	}
	d.WriteString(rFonts(mono || code))
	if r.Bold {
		d.WriteString(`<w:b/><w:bCs/>`)
	}
	if r.Italic {
		d.WriteString(`<w:i/><w:iCs/>`)
	}
	if r.Strike {
		d.WriteString(`<w:strike/>`)
	}
	if spacing != 0 {
		d.WriteString(`<w:spacing w:val="` + itoa(spacing) + `"/>`)
	}
	d.WriteString(`</w:rPr>`)
	if r.Break {
		d.WriteString(`<w:br/></w:r>`)
		return
	}
	text := ooxml.Clean(r.Text)
	text = strings.ReplaceAll(text, "\r\n", "\n")
	text = strings.ReplaceAll(text, "\r", "\n")
	for i, line := range strings.Split(text, "\n") {
		if i > 0 {
			d.WriteString(`<w:br/>`)
		}
		for j, piece := range strings.Split(line, "\t") {
			if j > 0 {
				d.WriteString(`<w:tab/>`)
			}
			if piece != "" {
				d.WriteString(`<w:t xml:space="preserve">`)
				d.Text(piece)
				d.WriteString(`</w:t>`)
			}
		}
	}
	d.WriteString(`</w:r>`)
}

// list writes the items of l at nesting depth. An ordered list gets a
// numbering instance of its own so that its numbers restart.
func (w *Writer) list(l document.List, width, depth int, inCell bool) {
	if len(l.Items) == 0 {
		return
	}
	ilvl := min(depth, maxLevel)
	numID := 1
	if l.Ordered {
		// A start below 1 is taken as unset; lists numbered from 0 start
		// at 1.
		start := min(max(l.Start, 1), 32767)
		w.nums = append(w.nums, numInst{level: ilvl, start: start})
		numID = len(w.nums) + 1
	}
	style := "ListParagraph"
	if inCell {
		style = "TableText"
	}
	inner := max(width-indent(ilvl), width/4)
	for _, it := range l.Items {
		rest := it.Blocks
		var first []document.Run
		if len(rest) > 0 {
			switch p := rest[0].(type) {
			case document.Paragraph:
				first, rest = p.Runs, rest[1:]
			case *document.Paragraph:
				if p != nil {
					first = p.Runs
				}
				rest = rest[1:]
			}
		}
		w.para(style, &listInd{numID: numID, ilvl: ilvl}, first, false)
		for _, b := range rest {
			w.block(b, inner, depth+1, inCell)
		}
	}
}

// pre writes preformatted text, one paragraph a line in the monospaced
// style. Tabs are expanded to spaces so that columns stay where they were.
func (w *Writer) pre(p document.Preformatted, depth int) {
	style := "Code"
	if p.Role == document.Board {
		style = "Board"
	}
	text := ooxml.Clean(p.Text)
	text = strings.ReplaceAll(text, "\r\n", "\n")
	text = strings.ReplaceAll(text, "\r", "\n")
	text = strings.TrimSuffix(text, "\n")
	lines := strings.Split(text, "\n")
	var ind *listInd
	if depth > 0 {
		ind = &listInd{left: indent(depth - 1)}
	}
	size := codeSize
	if p.Role == document.Board {
		size = boardSize
	}
	for i, line := range lines {
		// A board design is kept on one page.
		w.preLine(style, ind, ooxml.ExpandTabs(line), size, p.Role == document.Board && i < len(lines)-1)
	}
}

// Sizes in half-points of the two monospaced styles.
const (
	codeSize  = 19
	boardSize = 21
)

// preLine writes one line of preformatted text. In the monospaced face a
// Latin letter is 0.6 em wide and a Chinese character 1 em, so wide
// characters get 0.2 em of extra spacing to take exactly two columns.
func (w *Writer) preLine(style string, ind *listInd, line string, size int, keepNext bool) {
	d := w.doc
	d.WriteString(`<w:p><w:pPr><w:pStyle w:val="` + style + `"/>`)
	if keepNext {
		d.WriteString(`<w:keepNext/>`)
	}
	if ind != nil {
		d.WriteString(`<w:ind w:left="` + itoa(ind.left) + `"/>`)
	}
	d.WriteString(`</w:pPr>`)
	spacing := int(math.Round(ooxml.MonoWideExtra * float64(size) * 10))
	for _, seg := range ooxml.SplitWide(line) {
		sp := 0
		if seg.Wide {
			sp = spacing
		}
		w.spacedRun(document.Run{Text: seg.Text}, true, false, sp)
	}
	d.WriteString(`</w:p>`)
	w.lastTable = false
}

// fits reports whether the rows of t fit a table of cols columns.
func fits(t document.Table, cols int) bool {
	for _, r := range t.Rows {
		if len(r) > cols {
			return false
		}
	}
	return true
}

// splitContent takes the content column out of a procedure table, which
// has activity columns beside it: each stage's content goes in a row of its
// own below the stage, across the whole table, where it has room.
func splitContent(t document.Table) (document.Table, [][]document.Cell) {
	c := t.Column("content")
	if c < 0 {
		return t, nil
	}
	drop := func(cells []document.Cell) ([]document.Cell, document.Cell) {
		if c >= len(cells) {
			return cells, document.Cell{}
		}
		out := append(append([]document.Cell(nil), cells[:c]...), cells[c+1:]...)
		return out, cells[c]
	}
	out := t
	out.Header, _ = drop(t.Header)
	if c < len(t.Widths) {
		out.Widths = append(append([]float64(nil), t.Widths[:c]...), t.Widths[c+1:]...)
	}
	out.Keys = append(append([]string(nil), t.Keys[:c]...), t.Keys[c+1:]...)
	out.Rows = make([][]document.Cell, len(t.Rows))
	content := make([][]document.Cell, len(t.Rows))
	for i, r := range t.Rows {
		var cc document.Cell
		out.Rows[i], cc = drop(r)
		content[i] = []document.Cell{cc}
	}
	return out, content
}

// rows writes the rows of a procedure table whose content was split off,
// each followed by its content across the table when it has any.
func (w *Writer) rows(rows, content [][]document.Cell, widths []int) {
	for i, r := range rows {
		w.row(r, widths, false, false)
		if i < len(content) && len(content[i]) > 0 && len(content[i][0].Blocks) > 0 {
			w.spanRow(content[i][0], widths)
		}
	}
}

// spanRow writes a row of one cell across all columns.
func (w *Writer) spanRow(c document.Cell, widths []int) {
	d := w.doc
	total := sum(widths)
	d.WriteString(`<w:tr><w:tc><w:tcPr><w:tcW w:w="` + itoa(total) + `" w:type="dxa"/>` +
		`<w:gridSpan w:val="` + itoa(len(widths)) + `"/></w:tcPr>`)
	wrote := false
	for _, b := range c.Blocks {
		w.block(b, total-216, 0, true)
		wrote = true
	}
	if !wrote || w.lastTable {
		d.WriteString(`<w:p><w:pPr><w:pStyle w:val="TableText"/></w:pPr></w:p>`)
		w.lastTable = false
	}
	d.WriteString(`</w:tc></w:tr>`)
}

// closeTable ends the open top-level table, if there is one.
func (w *Writer) closeTable() {
	if w.open != nil {
		w.doc.WriteString(`</w:tbl>`)
		w.open = nil
		w.lastTable = true
	}
}

// table writes t in a space width twips wide. A top-level table is left
// open, for a table that continues it; closeTable ends it.
func (w *Writer) table(t document.Table, width int, top bool) {
	keep := w.keepRows
	w.keepRows = t.Role == document.ProcedureTable
	defer func() { w.keepRows = keep }()
	var content [][]document.Cell
	split := t.Role == document.ProcedureTable && t.Column("content") >= 0 &&
		(t.Column("teacher") >= 0 || t.Column("students") >= 0)
	if split {
		t, content = splitContent(t)
	}
	cols := len(t.Header)
	for _, r := range t.Rows {
		cols = max(cols, len(r))
	}
	if cols == 0 {
		return
	}
	widths := columnWidths(t.Widths, cols, width)
	d := w.doc
	d.WriteString(`<w:tbl><w:tblPr><w:tblStyle w:val="LessonTable"/><w:tblW w:w="` +
		itoa(sum(widths)) + `" w:type="dxa"/><w:tblLayout w:type="fixed"/>`)
	lookFirstRow := "1"
	if len(t.Header) == 0 {
		lookFirstRow = "0"
	}
	d.WriteString(`<w:tblLook w:val="0000" w:firstRow="` + lookFirstRow + `" w:lastRow="0" ` +
		`w:firstColumn="0" w:lastColumn="0" w:noHBand="1" w:noVBand="1"/></w:tblPr><w:tblGrid>`)
	for _, cw := range widths {
		d.WriteString(`<w:gridCol w:w="` + itoa(cw) + `"/>`)
	}
	d.WriteString(`</w:tblGrid>`)
	if len(t.Header) > 0 {
		w.row(t.Header, widths, true, false)
	}
	if content != nil {
		w.rows(t.Rows, content, widths)
	} else {
		for _, r := range t.Rows {
			w.row(r, widths, false, t.Role == document.InfoTable)
		}
	}
	if top {
		w.open = &openTable{role: t.Role, widths: widths, content: split}
		return
	}
	d.WriteString(`</w:tbl>`)
	w.lastTable = true
}

// row writes one table row, padded to the grid with empty cells.
func (w *Writer) row(cells []document.Cell, widths []int, header, info bool) {
	d := w.doc
	d.WriteString(`<w:tr>`)
	switch {
	case header:
		d.WriteString(`<w:trPr><w:cantSplit/><w:tblHeader/></w:trPr>`)
	case w.keepRows:
		d.WriteString(`<w:trPr><w:cantSplit/></w:trPr>`)
	}
	for i, cw := range widths {
		d.WriteString(`<w:tc><w:tcPr><w:tcW w:w="` + itoa(cw) + `" w:type="dxa"/>`)
		label := info && i == 0
		switch {
		case header:
			d.WriteString(`<w:shd w:val="clear" w:color="auto" w:fill="D9E2F3"/>`)
		case label:
			d.WriteString(`<w:shd w:val="clear" w:color="auto" w:fill="EDEDED"/>`)
		}
		d.WriteString(`</w:tcPr>`)
		var blocks []document.Block
		if i < len(cells) {
			blocks = cells[i].Blocks
		}
		wrote := false
		for _, b := range blocks {
			if header || label {
				b = bolden(b)
			}
			w.block(b, cw-216, 0, true)
			wrote = true
		}
		if !wrote || w.lastTable {
			d.WriteString(`<w:p><w:pPr><w:pStyle w:val="TableText"/></w:pPr></w:p>`)
			w.lastTable = false
		}
		d.WriteString(`</w:tc>`)
	}
	d.WriteString(`</w:tr>`)
}

// bolden returns b with its runs bold when it is a paragraph.
func bolden(b document.Block) document.Block {
	var p document.Paragraph
	switch x := b.(type) {
	case document.Paragraph:
		p = x
	case *document.Paragraph:
		if x == nil {
			return b
		}
		p = *x
	default:
		return b
	}
	runs := make([]document.Run, len(p.Runs))
	for i, r := range p.Runs {
		r.Bold = true
		runs[i] = r
	}
	p.Runs = runs
	return p
}

// columnWidths returns the widths in twips of cols columns sharing total by
// the relative widths rel, or equally when rel does not fit.
func columnWidths(rel []float64, cols, total int) []int {
	total = max(total, cols*360)
	rel, s := ooxml.Weights(rel, cols)
	out := make([]int, cols)
	used := 0
	for i := range out {
		out[i] = int(float64(total) * rel[i] / s)
		out[i] = max(out[i], 360)
		used += out[i]
	}
	if d := total - used; d != 0 {
		out[cols-1] = max(out[cols-1]+d, 360)
	}
	return out
}

func sum(xs []int) int {
	s := 0
	for _, x := range xs {
		s += x
	}
	return s
}

func itoa(i int) string { return strconv.Itoa(i) }
