package pptx

import (
	"errors"
	"fmt"
	"io"
	"math"
	"strings"

	"lessonexport/document"
	"lessonexport/formats/ooxml"
)

// Writer writes a presentation. The masters, layouts and themes are written
// when it is made; a slide is kept until the next one starts or it is full
// and then written with its notes; presentation.xml, which lists the
// slides, and the content types are written when the Writer is closed.
//
// A title slide shows the document's title, subject and author. Every
// level-1 and level-2 heading starts a slide titled by it (a level-2 slide
// shows its section above the title); level-3 headings become bold
// paragraphs. Content that does not fit continues on a slide with the same
// title marked as continued. Note paragraphs go to the speaker notes.
type Writer struct {
	pkg   *ooxml.Package
	meta  document.Meta
	lang  string
	cont  string
	cur   *slide
	n     int // slides written
	notes int // notes slides written
	sect  string
	// key is the key of the section being written.
	key string
	// procHeader holds the column labels of the procedure table, which
	// the parts of the table that continue it leave out.
	procHeader []string
	// lastHeader is the header of the last table, for one that continues
	// it without a header of its own.
	lastHeader []document.Cell
	err        error
	closed     bool
}

// slideKind is what a slide is for.
type slideKind int

const (
	coverSlide slideKind = iota
	contentSlide
)

// slide is the slide being filled.
type slide struct {
	kind   slideKind
	title  string
	label  string
	cont   bool
	pieces []piece
	used   float64
	notes  []document.Paragraph
}

// piece is one shape of a slide's body.
type piece interface{ height() float64 }

// textPiece is a text box of paragraphs.
type textPiece struct {
	paras []tpara
	h     float64
}

func (t *textPiece) height() float64 { return t.h }

// prePiece is a box of preformatted lines.
type prePiece struct {
	lines []string
	size  float64
	board bool
	h     float64
}

func (p *prePiece) height() float64 { return p.h }

// tablePiece is a table.
type tablePiece struct {
	widths []float64 // points
	header []tcell
	rows   [][]tcell
	info   bool
	heads  []float64 // row heights, header first when there is one
	h      float64
}

func (t *tablePiece) height() float64 { return t.h }

// tcell is a table cell's paragraphs.
type tcell struct{ paras []tpara }

// NewWriter starts a presentation for meta on w.
func NewWriter(w io.Writer, meta document.Meta) (*Writer, error) {
	pw := &Writer{
		pkg:  ooxml.NewPackage(w, meta.Created),
		meta: meta,
		lang: ooxml.Lang(meta.Language),
		cont: " (cont.)",
	}
	if ooxml.Chinese(meta.Language) {
		pw.cont = "（续）"
	}
	layoutRels := &ooxml.Rels{}
	layoutRels.Add(relMaster, "../slideMasters/slideMaster1.xml", false)
	masterRels := &ooxml.Rels{}
	masterRels.Add(relLayout, "../slideLayouts/slideLayout1.xml", false)
	masterRels.Add(relLayout, "../slideLayouts/slideLayout2.xml", false)
	masterRels.Add(ooxml.RelTheme, "../theme/theme1.xml", false)
	notesRels := &ooxml.Rels{}
	notesRels.Add(ooxml.RelTheme, "../theme/theme2.xml", false)
	p := pw.pkg
	parts := []struct{ name, ct, body string }{
		{"_rels/.rels", "", ooxml.RootRels("ppt/presentation.xml").XML()},
		{"docProps/core.xml", ooxml.TypeCore, ooxml.CoreXML(meta)},
		{"ppt/theme/theme1.xml", ctTheme, themeXML("Lesson")},
		{"ppt/theme/theme2.xml", ctTheme, themeXML("Lesson Notes")},
		{"ppt/slideMasters/slideMaster1.xml", ctMaster, masterXML()},
		{"ppt/slideMasters/_rels/slideMaster1.xml.rels", "", masterRels.XML()},
		{"ppt/slideLayouts/slideLayout1.xml", ctLayout, layoutXML(1)},
		{"ppt/slideLayouts/_rels/slideLayout1.xml.rels", "", layoutRels.XML()},
		{"ppt/slideLayouts/slideLayout2.xml", ctLayout, layoutXML(2)},
		{"ppt/slideLayouts/_rels/slideLayout2.xml.rels", "", layoutRels.XML()},
		{"ppt/notesMasters/notesMaster1.xml", ctNotesMaster, notesMasterXML()},
		{"ppt/notesMasters/_rels/notesMaster1.xml.rels", "", notesRels.XML()},
		{"ppt/presProps.xml", ctPresProps, presPropsXML},
		{"ppt/viewProps.xml", ctViewProps, viewPropsXML},
		{"ppt/tableStyles.xml", ctTableStyles, tableStylesXML},
	}
	for _, x := range parts {
		if err := p.WritePart(x.name, x.ct, x.body); err != nil {
			return nil, fmt.Errorf("start pptx: %w", err)
		}
	}
	pw.cur = &slide{kind: coverSlide, title: ooxml.OneLine(meta.Title)}
	return pw, nil
}

// WriteBlock adds one block to the slides.
func (w *Writer) WriteBlock(b document.Block) error {
	if w.err != nil {
		return w.err
	}
	if w.closed {
		return errors.New("write pptx block: writer is closed")
	}
	switch b := b.(type) {
	case document.Heading:
		w.heading(b)
	case *document.Heading:
		if b != nil {
			w.heading(*b)
		}
	case document.Paragraph:
		w.paragraph(b)
	case *document.Paragraph:
		if b != nil {
			w.paragraph(*b)
		}
	case document.List:
		w.list(b)
	case *document.List:
		if b != nil {
			w.list(*b)
		}
	case document.Table:
		w.topTable(b)
	case *document.Table:
		if b != nil {
			w.topTable(*b)
		}
	case document.Preformatted:
		w.pre(b)
	case *document.Preformatted:
		if b != nil {
			w.pre(*b)
		}
	}
	return w.err
}

// Close writes the last slide, presentation.xml and its relationships, the
// document properties and the content types.
func (w *Writer) Close() error {
	if w.closed {
		return errors.New("close pptx: already closed")
	}
	w.closed = true
	if w.err != nil {
		return w.err
	}
	w.flush()
	if w.err != nil {
		return w.err
	}
	rels := &ooxml.Rels{}
	rels.Add(relMaster, "slideMasters/slideMaster1.xml", false)
	rels.Add(relNotesMaster, "notesMasters/notesMaster1.xml", false)
	rels.Add(ooxml.RelTheme, "theme/theme1.xml", false)
	rels.Add(relPresProps, "presProps.xml", false)
	rels.Add(relViewProps, "viewProps.xml", false)
	rels.Add(relTableStyles, "tableStyles.xml", false)
	first := rels.Len() + 1
	for i := 1; i <= w.n; i++ {
		rels.Add(relSlide, "slides/slide"+itoa(i)+".xml", false)
	}
	p := w.pkg
	app := `<PresentationFormat>Widescreen</PresentationFormat><Slides>` + itoa(w.n) +
		`</Slides><Notes>` + itoa(w.notes) + `</Notes>`
	steps := []func() error{
		func() error {
			return p.WritePart("ppt/presentation.xml", ctPresentation,
				presentationXML(w.n, first))
		},
		func() error { return p.WriteRels("ppt/presentation.xml", rels) },
		func() error { return p.WritePart("docProps/app.xml", ooxml.TypeApp, ooxml.AppXML(app)) },
		p.Close,
	}
	for _, f := range steps {
		if err := f(); err != nil {
			return fmt.Errorf("close pptx: %w", err)
		}
	}
	return nil
}

// start writes the current slide and begins a content slide.
func (w *Writer) start(title, label string, cont bool) {
	w.flush()
	w.cur = &slide{kind: contentSlide, title: title, label: label, cont: cont}
}

// body returns the slide body content goes to, starting a content slide
// when the current one is the title slide.
func (w *Writer) body() *slide {
	if w.cur.kind == coverSlide {
		w.start(w.cur.title, "", false)
	}
	return w.cur
}

// next starts the continuation of the current slide.
func (w *Writer) next() *slide {
	c := w.cur
	w.start(c.title, c.label, true)
	return w.cur
}

func (w *Writer) heading(h document.Heading) {
	text := ooxml.OneLine(h.Text)
	switch {
	case h.Level <= 1 && h.Key == "difficulties" && w.key == "key_points":
		// The difficulties share the key points' slide.
		w.key = h.Key
		w.subheading(text)
	case h.Level <= 1 && h.Key == "key_points":
		w.key = h.Key
		w.sect = w.keyPointsTitle()
		w.start(w.sect, "", false)
		w.subheading(text)
	case h.Level <= 1:
		w.key = h.Key
		w.sect = text
		w.start(text, "", false)
	case h.Level == 2:
		w.start(text, w.sect, false)
	default:
		p := tpara{runs: []document.Run{{Text: text}}, size: sizeBody, bold: true,
			color: colAccent, space: 14}
		s := w.body()
		// Keep the heading with at least two lines of what follows.
		if len(s.pieces) > 0 && s.used+p.height(bodyWPt)+2*sizeBody*lineFactor+pieceGap > bodyHPt {
			w.next()
		}
		w.addParas([]tpara{p})
	}
}

func (w *Writer) paragraph(p document.Paragraph) {
	if p.Style == document.Note {
		w.cur.notes = append(w.cur.notes, p)
		return
	}
	w.body()
	w.addParas(paras(document.Paragraph(p), 0, sizeBody))
}

// paras returns the slide paragraphs of a paragraph block.
func paras(p document.Paragraph, level int, size float64) []tpara {
	t := tpara{runs: cleanRuns(p.Runs), size: size, level: level}
	switch p.Style {
	case document.Quote:
		t.quote = true
		t.color = colQuote
		t.size = math.Max(size-2, 12)
	case document.Note:
		t.color = colMuted
		t.size = math.Max(size-4, 12)
	}
	if level > 0 {
		t.hang = true
		t.level = level - 1
	}
	return []tpara{t}
}

func (w *Writer) list(l document.List) {
	w.body()
	w.addParas(listParas(l, 0, sizeBody))
}

// listParas returns the paragraphs of a list at nesting level. Numbers are
// written as text rather than automatic numbering, so that they stay right
// when a list is split across slides or interrupted by nested items.
func listParas(l document.List, level int, size float64) []tpara {
	var out []tpara
	n := min(max(l.Start, 1), 1<<30)
	if level > 0 {
		size = math.Max(size-2, 12)
	}
	for i, it := range l.Items {
		marker, bullet := "•", true
		if level%3 == 1 {
			marker = "◦"
		} else if level%3 == 2 {
			marker = "▪"
		}
		if l.Ordered {
			marker, bullet = itoa(n+i)+".", false
		}
		first := tpara{marker: marker, bullet: bullet, level: level, size: size}
		rest := it.Blocks
		if len(rest) > 0 {
			if p, ok := asParagraph(rest[0]); ok {
				first.runs = cleanRuns(p.Runs)
				rest = rest[1:]
			}
		}
		out = append(out, first)
		for _, b := range rest {
			out = append(out, blockParas(b, level+1, size)...)
		}
	}
	return out
}

// blockParas returns any block as paragraphs at nesting level, for list
// items and table cells.
func blockParas(b document.Block, level int, size float64) []tpara {
	switch b := b.(type) {
	case document.Heading, *document.Heading:
		h, _ := asHeading(b)
		return []tpara{{runs: []document.Run{{Text: ooxml.OneLine(h.Text)}}, bold: true,
			size: size, level: max(level-1, 0), hang: level > 0}}
	case document.Paragraph, *document.Paragraph:
		p, _ := asParagraph(b)
		return paras(p, level, size)
	case document.List:
		return listParas(b, level, size)
	case *document.List:
		if b != nil {
			return listParas(*b, level, size)
		}
	case document.Table, *document.Table:
		t, _ := asTable(b)
		var out []tpara
		for _, row := range tableLines(t) {
			out = append(out, tpara{runs: row, size: size, level: max(level-1, 0),
				hang: level > 0})
		}
		return out
	case document.Preformatted, *document.Preformatted:
		pr, _ := asPre(b)
		var out []tpara
		for _, line := range preLines(pr.Text) {
			out = append(out, tpara{runs: []document.Run{{Text: line}}, mono: true,
				size: size - 2, level: max(level-1, 0), hang: level > 0, first: true})
		}
		return out
	}
	return nil
}

// tableLines returns a table as lines of text, one a row, cells joined
// with " | " and each value after its header when there is one.
func tableLines(t document.Table) [][]document.Run {
	var out [][]document.Run
	for _, row := range t.Rows {
		var runs []document.Run
		for i, c := range row {
			text := cellText(c)
			if text == "" {
				continue
			}
			if len(runs) > 0 {
				runs = append(runs, document.Run{Text: " | "})
			}
			if i < len(t.Header) {
				if h := cellText(t.Header[i]); h != "" {
					runs = append(runs, document.Run{Text: h + ": ", Bold: true})
				}
			} else if t.Role == document.InfoTable && i == 0 {
				runs = append(runs, document.Run{Text: text, Bold: true})
				continue
			}
			runs = append(runs, document.Run{Text: text})
		}
		if len(runs) > 0 {
			out = append(out, runs)
		}
	}
	return out
}

// cellText returns the plain text of a cell on one line.
func cellText(c document.Cell) string {
	var parts []string
	for _, p := range cellParas(c, sizeTable) {
		if t := strings.TrimSpace(document.Text(p.runs)); t != "" {
			parts = append(parts, ooxml.OneLine(p.marker+" "+t))
		}
	}
	return strings.Join(parts, " ")
}

// cellParas returns the paragraphs of a table cell.
func cellParas(c document.Cell, size float64) []tpara {
	var out []tpara
	for _, b := range c.Blocks {
		out = append(out, blockParas(b, 0, size)...)
	}
	for i := range out {
		out[i].first = i == 0
	}
	return out
}

// addParas adds paragraphs to the body, continuing on further slides.
func (w *Writer) addParas(ps []tpara) {
	for _, p := range ps {
		for guard := 0; guard < 1<<20; guard++ {
			s := w.cur
			tp, _ := lastText(s)
			gap := 0.0
			if tp == nil && len(s.pieces) > 0 {
				gap = pieceGap
			}
			q := p
			if tp == nil {
				q.first = true
			}
			h := q.height(bodyWPt)
			if s.used+gap+h <= bodyHPt {
				w.appendPara(q, h, gap)
				break
			}
			room := bodyHPt - s.used - gap
			if !q.first {
				room -= q.before()
			}
			n := int(room / (q.size * lineFactor))
			head, tail, cut := q.split(bodyWPt, n)
			if cut && len(head.runs) > 0 && n >= 1 {
				w.appendPara(head, head.height(bodyWPt), gap)
				p = tail
			} else if len(s.pieces) == 0 {
				// Nothing fits on an empty slide; should the estimate be
				// that far off, the paragraph goes on the slide anyway.
				w.appendPara(q, h, gap)
				break
			}
			w.next()
		}
	}
}

// lastText returns the current slide's last piece when it is a text box.
func lastText(s *slide) (*textPiece, bool) {
	if len(s.pieces) == 0 {
		return nil, false
	}
	t, ok := s.pieces[len(s.pieces)-1].(*textPiece)
	return t, ok
}

func (w *Writer) appendPara(p tpara, h, gap float64) {
	s := w.cur
	tp, _ := lastText(s)
	if tp == nil {
		tp = &textPiece{}
		s.pieces = append(s.pieces, tp)
		s.used += gap
	}
	tp.paras = append(tp.paras, p)
	tp.h += h
	s.used += h
}

func (w *Writer) pre(p document.Preformatted) {
	w.body()
	lines := preLines(p.Text)
	cols := 0
	for _, l := range lines {
		cols = max(cols, units(l))
	}
	size := monoSize(cols)
	lh := size * lineFactor
	for len(lines) > 0 {
		s := w.cur
		gap := 0.0
		if len(s.pieces) > 0 {
			gap = pieceGap
		}
		room := bodyHPt - s.used - gap - 2*cellMarY
		take, h := 0, 0.0
		for take < len(lines) {
			lh := float64(monoLines(units(lines[take]), size)) * lh
			if h+lh > room && take > 0 {
				break
			}
			if h+lh > room && len(s.pieces) > 0 {
				break
			}
			h += lh
			take++
		}
		if take == 0 {
			w.next()
			continue
		}
		pp := &prePiece{lines: lines[:take], size: size, board: p.Role == document.Board,
			h: h + 2*cellMarY}
		s.pieces = append(s.pieces, pp)
		s.used += gap + pp.h
		lines = lines[take:]
		if len(lines) > 0 {
			w.next()
		}
	}
}

// preLines returns preformatted text as lines, cleaned, with tabs
// expanded.
func preLines(text string) []string {
	text = ooxml.Clean(text)
	text = strings.ReplaceAll(text, "\r\n", "\n")
	text = strings.ReplaceAll(text, "\r", "\n")
	text = strings.TrimRight(text, "\n")
	if text == "" {
		return nil
	}
	lines := strings.Split(text, "\n")
	for i, l := range lines {
		lines[i] = ooxml.ExpandTabs(l)
	}
	return lines
}

// topTable adds a table of the document's body: a procedure table as a
// slide per row, any other as a table.
func (w *Writer) topTable(t document.Table) {
	if t.Role == document.ProcedureTable {
		w.procedure(t)
		return
	}
	if t.Continues && len(t.Header) == 0 {
		t.Header = w.lastHeader
	}
	w.lastHeader = t.Header
	w.table(t)
}

func (w *Writer) table(t document.Table) {
	cols := len(t.Header)
	for _, r := range t.Rows {
		cols = max(cols, len(r))
	}
	if cols == 0 {
		return
	}
	w.body()
	widths := colWidths(t.Widths, cols)
	mk := func(cells []document.Cell, bold bool) []tcell {
		out := make([]tcell, cols)
		for i := range out {
			if i < len(cells) {
				out[i].paras = cellParas(cells[i], sizeTable)
			}
			if len(out[i].paras) == 0 {
				out[i].paras = []tpara{{size: sizeTable, first: true}}
			}
			if bold {
				for j := range out[i].paras {
					out[i].paras[j].bold = true
				}
			}
		}
		return out
	}
	var header []tcell
	headH := 0.0
	if len(t.Header) > 0 {
		header = mk(t.Header, true)
		headH = rowHeight(header, widths)
	}
	info := t.Role == document.InfoTable
	var tp *tablePiece
	newPiece := func() {
		s := w.cur
		gap := 0.0
		if len(s.pieces) > 0 {
			gap = pieceGap
		}
		tp = &tablePiece{widths: widths, header: header, info: info}
		s.pieces = append(s.pieces, tp)
		s.used += gap
		if header != nil {
			tp.heads = append(tp.heads, headH)
			tp.h += headH
			s.used += headH
		}
	}
	for _, r := range t.Rows {
		row := mk(r, false)
		if info {
			for j := range row[0].paras {
				row[0].paras[j].bold = true
			}
		}
		h := rowHeight(row, widths)
		if headH+h > bodyHPt {
			// A row taller than a slide is given as text, which can be
			// split across slides.
			tp = nil
			runs := tableLines(document.Table{Role: t.Role, Header: t.Header,
				Rows: [][]document.Cell{r}})
			for _, line := range runs {
				w.addParas([]tpara{{runs: cleanRuns(line), size: sizeTable + 2}})
			}
			continue
		}
		if tp == nil || lastPiece(w.cur) != piece(tp) {
			s := w.cur
			gap := 0.0
			if len(s.pieces) > 0 {
				gap = pieceGap
			}
			if s.used+gap+headH+h > bodyHPt && len(s.pieces) > 0 {
				w.next()
			}
			newPiece()
		} else if w.cur.used+h > bodyHPt {
			w.next()
			newPiece()
		}
		tp.rows = append(tp.rows, row)
		tp.heads = append(tp.heads, h)
		tp.h += h
		w.cur.used += h
	}
	if tp == nil && len(t.Rows) == 0 && header != nil {
		newPiece()
	}
}

func lastPiece(s *slide) piece {
	if len(s.pieces) == 0 {
		return nil
	}
	return s.pieces[len(s.pieces)-1]
}

// rowHeight estimates the height of a table row in points.
func rowHeight(row []tcell, widths []float64) float64 {
	h := 0.0
	for i, c := range row {
		ch := 0.0
		for _, p := range c.paras {
			ch += p.height(widths[i] - 2*cellMarX)
		}
		h = math.Max(h, ch)
	}
	return h + 2*cellMarY + 2
}

// colWidths returns the widths in points of cols columns over the body
// width, by the relative widths rel or equally when rel does not fit.
func colWidths(rel []float64, cols int) []float64 {
	rel, s := ooxml.Weights(rel, cols)
	out := make([]float64, cols)
	for i := range out {
		out[i] = bodyWPt * rel[i] / s
	}
	// Columns too narrow for a character are widened at the others'
	// expense.
	min := math.Min(36, bodyWPt/float64(cols))
	for i := range out {
		if out[i] < min {
			out[i] = min
		}
	}
	total := 0.0
	for _, x := range out {
		total += x
	}
	for i := range out {
		out[i] *= bodyWPt / total
	}
	return out
}

// cleanRuns returns runs with their text cleaned.
func cleanRuns(runs []document.Run) []document.Run {
	out := make([]document.Run, 0, len(runs))
	for _, r := range runs {
		r.Text = ooxml.Clean(r.Text)
		r.Text = strings.ReplaceAll(r.Text, "\r\n", "\n")
		r.Text = strings.ReplaceAll(r.Text, "\r", "\n")
		r.Text = strings.ReplaceAll(r.Text, "\t", " ")
		if r.Text == "" && !r.Break {
			continue
		}
		out = append(out, r)
	}
	return out
}

func asParagraph(b document.Block) (document.Paragraph, bool) {
	switch p := b.(type) {
	case document.Paragraph:
		return p, true
	case *document.Paragraph:
		if p != nil {
			return *p, true
		}
	}
	return document.Paragraph{}, false
}

func asHeading(b document.Block) (document.Heading, bool) {
	switch h := b.(type) {
	case document.Heading:
		return h, true
	case *document.Heading:
		if h != nil {
			return *h, true
		}
	}
	return document.Heading{}, false
}

func asTable(b document.Block) (document.Table, bool) {
	switch t := b.(type) {
	case document.Table:
		return t, true
	case *document.Table:
		if t != nil {
			return *t, true
		}
	}
	return document.Table{}, false
}

func asPre(b document.Block) (document.Preformatted, bool) {
	switch p := b.(type) {
	case document.Preformatted:
		return p, true
	case *document.Preformatted:
		if p != nil {
			return *p, true
		}
	}
	return document.Preformatted{}, false
}
