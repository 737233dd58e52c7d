package pdf

import (
	"errors"
	"fmt"
	"io"
	"math"
	"sort"
	"strconv"
	"strings"
	"time"

	"lessonexport/document"
	"lessonexport/fonts"
	"lessonexport/formats/pdf/pdfgen"
)

// creator is the application named in the document information.
const creator = "lessonexport"

// k is the number of points in a millimetre.
const k = 72 / 25.4

// italicSkew is the slant of simulated italics, the tangent of 12 degrees.
var italicSkew = math.Tan(12 * math.Pi / 180)

// faceList are the faces the writer uses, by fonts.Face.
var faceList = [...]fonts.Face{fonts.SansFace, fonts.MonoFace, fonts.FallbackFace}

// Writer writes a document as PDF. Make one with NewWriter.
//
// Each page is written out as soon as it is complete; what the Writer keeps
// until Close is the block at hand, the lines held back to keep a heading
// with what follows it, and what the end of the file needs (an offset per
// object, a number per page, the bookmarks, and the glyphs used).
type Writer struct {
	doc     *pdfgen.Doc
	page    *pdfgen.Page
	faces   [len(faceList)]*fonts.Font
	fonts   [len(faceList)]*pdfgen.Font
	queue   []vline     // lines laid out but not yet placed
	y       float64     // top of the next line on the page
	fresh   bool        // nothing placed on the page yet
	open    *tableInfo  // a table whose row is open at the page end
	table   *tableState // the last block, if it was a top-level table
	after   float64     // the space to leave after that table
	rowText []placed    // text of the table row being drawn
	err     error
	closed  bool
}

var _ document.Writer = (*Writer)(nil)

// NewWriter starts a PDF document on A4 paper whose properties (title,
// author, subject, keywords, creation date) come from meta; the title is
// also printed at the top of the first page. Pages are written to w as
// they are complete, the fonts and the cross-reference table at Close.
// The same meta and blocks always give the same bytes: the file
// identifier is a hash of the content, and a zero meta.Created stands for
// the Unix epoch rather than the current time.
func NewWriter(w io.Writer, meta document.Meta) (wr *Writer, err error) {
	wr = &Writer{}
	for i, f := range faceList {
		if wr.faces[i], err = f.Font(); err != nil {
			return nil, fmt.Errorf("load font: %w", err)
		}
	}
	defer wr.recover(&err)
	created := meta.Created
	if created.IsZero() {
		created = time.Unix(0, 0)
	}
	info := pdfgen.Info{Title: plain(meta.Title), Subject: plain(meta.Subject),
		Author: plain(meta.Author), Creator: creator, Producer: creator,
		Lang: cleanLang(meta.Language), Created: created}
	var kw []string
	for _, k := range meta.Keywords {
		if k = plain(k); k != "" {
			kw = append(kw, k)
		}
	}
	info.Keywords = strings.Join(kw, ", ")
	wr.doc = pdfgen.New(w, info)
	for i, f := range wr.faces {
		wr.fonts[i] = wr.doc.AddFont(f, f.PostScriptName)
	}
	wr.newPage()
	if strings.TrimSpace(meta.Title) != "" {
		wr.title(meta.Title)
	}
	if err := wr.docErr("write title"); err != nil {
		return nil, err
	}
	return wr, nil
}

// cleanLang returns tag if it looks like a BCP 47 language tag, else "".
func cleanLang(tag string) string {
	tag = strings.TrimSpace(tag)
	if len(tag) == 0 || len(tag) > 35 {
		return ""
	}
	for _, c := range tag {
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-') {
			return ""
		}
	}
	return tag
}

// title prints the document title centred at the top of the first page.
func (w *Writer) title(t string) {
	st := style{face: fonts.SansFace, size: 20, bold: true, color: headingColor}
	lines := w.layoutText([]document.Run{{Text: t}}, st, contentW, 1.4)
	for i := range lines {
		// Centre each line.
		wd := 0.0
		for _, o := range lines[i].ops {
			wd = max(wd, o.x+o.w)
		}
		shift(lines[i:i+1], (contentW-wd)/2)
		lines[i].keep = true
	}
	lines = append(lines, gap(4))
	w.queue = append(w.queue, lines...)
}

// WriteBlock lays out b and adds it to the document.
func (w *Writer) WriteBlock(b document.Block) (err error) {
	if w.err != nil {
		return w.err
	}
	if w.closed {
		return errors.New("write block: writer is closed")
	}
	defer w.recover(&err)
	var lines []vline
	var after float64
	t, isTable := tableOf(b)
	switch {
	case isTable && w.table.continues(t):
		// The rows go on in the table before.
		lines, after = w.tableRows(w.table, t, 0, nil), w.after
	case isTable:
		w.endTable()
		lines, w.table = w.startTable(t, contentW, 0)
		after = 3
		if w.table != nil {
			w.after = after
		}
	default:
		w.endTable()
		lines, after = w.layoutBlock(b, contentW, 0, true)
	}
	if len(lines) > 0 {
		w.queue = append(w.queue, lines...)
		if w.table == nil {
			g := gap(after)
			g.keep = lines[len(lines)-1].keep
			w.queue = append(w.queue, g)
		}
	}
	w.place(false)
	return w.docErr("write block")
}

// tableOf returns b as a table, if it is one.
func tableOf(b document.Block) (document.Table, bool) {
	switch b := b.(type) {
	case document.Table:
		return b, true
	case *document.Table:
		if b != nil {
			return *b, true
		}
	}
	return document.Table{}, false
}

// endTable ends the open top-level table, leaving the space after it.
func (w *Writer) endTable() {
	if w.table != nil {
		w.queue = append(w.queue, gap(w.after))
		w.table = nil
	}
}

// Close finishes the document: it places what is left, writes the last
// page, the fonts, the outline and the cross-reference table.
func (w *Writer) Close() (err error) {
	if w.err != nil {
		return w.err
	}
	if w.closed {
		return nil
	}
	w.closed = true
	defer w.recover(&err)
	w.endTable()
	w.place(true)
	w.flushRow()
	if err := w.doc.Close(); err != nil {
		w.err = err
		return err
	}
	return nil
}

// recover turns a panic into an error, which also stops the writer.
func (w *Writer) recover(err *error) {
	if r := recover(); r != nil {
		w.err = fmt.Errorf("write pdf: internal error: %v", r)
		*err = w.err
	}
}

func (w *Writer) docErr(action string) error {
	if err := w.doc.Err(); err != nil {
		w.err = fmt.Errorf("%s: %w", action, err)
		return w.err
	}
	return nil
}

// advance returns the advance of r in face in thousandths of an em, as the
// PDF's width table has it.
func (w *Writer) advance(face fonts.Face, r rune) int {
	f := w.faces[face]
	return f.Advance1000(f.Glyph(r))
}

// placed is a text op placed on the page.
type placed struct {
	x, y float64
	o    op
}

// flushRow draws the text of the table row drawn so far, column by column,
// so that text extraction reads a cell's lines together.
func (w *Writer) flushRow() {
	sort.SliceStable(w.rowText, func(i, j int) bool {
		return w.rowText[i].o.col < w.rowText[j].o.col
	})
	for i := range w.rowText {
		p := &w.rowText[i]
		w.text(p.x, p.y, &p.o)
	}
	w.rowText = w.rowText[:0]
}

// newPage starts a page and puts its number at the bottom.
func (w *Writer) newPage() {
	w.flushRow()
	if w.open != nil {
		// Close a table row that continues on the next page.
		w.rule(margin, w.y, w.open.w, 0, borderColor)
	}
	w.page = w.doc.BeginPage(pageW*k, pageH*k)
	w.y = contentTop
	w.fresh = true
	w.open = nil
	w.footer()
}

// footer writes "n / N" at the bottom of the page. N is known only at the
// end, so it is drawn from a form the document writes when it is closed;
// its width is not known either, so the slash, not the whole, is centred.
func (w *Writer) footer() {
	st := &style{face: fonts.SansFace, size: 8.5}
	n := strconv.Itoa(w.doc.PageCount())
	x := pageW/2 - w.textWidth(st, n+" ") - w.textWidth(st, "/")/2
	w.page.SetFill(pdfgen.RGB{R: 128, G: 128, B: 128})
	f := w.fonts[fonts.SansFace]
	w.page.Text(f, st.size, x*k, (pageH-footerBase)*k, n+" / ", pdfgen.TextStyle{})
	w.page.Total(f, st.size, (x+w.textWidth(st, n+" / "))*k, (pageH-footerBase)*k)
}

// place puts the queued lines on pages. Unless final, it stops before a
// line that must stay with lines not laid out yet.
func (w *Writer) place(final bool) {
	i := 0
	for ; i < len(w.queue); i++ {
		l := &w.queue[i]
		end := i
		chain := l.h
		for end < len(w.queue)-1 && w.queue[end].keep {
			end++
			chain += w.queue[end].h
		}
		if !final && w.queue[end].keep {
			break
		}
		if l.gap && w.fresh {
			continue
		}
		room := contentBot - w.y
		if chain > contentBot-contentTop {
			chain = l.h // too long to keep together anyway
		}
		if chain > room+1e-6 && !w.fresh {
			w.newPage()
			if l.gap {
				continue
			}
		}
		if w.fresh && l.tbl != nil && !l.header && !l.rowStart && l.tbl.header == nil {
			w.rule(margin, w.y, l.tbl.w, 0, borderColor)
		}
		if w.fresh && l.tbl != nil && !l.header && len(l.tbl.header) > 0 {
			for k := range l.tbl.header {
				w.draw(&l.tbl.header[k])
			}
		}
		w.draw(l)
	}
	w.queue = append(w.queue[:0], w.queue[i:]...)
}

// draw puts l at the current position and moves down.
func (w *Writer) draw(l *vline) {
	x0, y0 := margin, w.y
	if l.mark != nil {
		w.doc.Bookmark(l.mark.text, l.mark.level, (pageH-y0)*k)
	}
	for _, kind := range []opKind{opFill, opRule, opText} {
		for i := range l.ops {
			o := &l.ops[i]
			if o.kind != kind {
				continue
			}
			switch kind {
			case opFill:
				w.fillRect(x0+o.x, y0+o.y, o.w, o.h, o.color)
			case opRule:
				thick := 0.2
				if o.w != 0 && o.h != 0 {
					thick = o.h // a horizontal rule of that thickness
					w.rule(x0+o.x, y0+o.y, o.w, 0, o.color, thick)
					continue
				}
				w.rule(x0+o.x, y0+o.y, o.w, o.h, o.color, thick)
			case opText:
				if o.col > 0 {
					w.rowText = append(w.rowText, placed{x0 + o.x, y0 + o.y, *o})
					continue
				}
				w.text(x0+o.x, y0+o.y, o)
			}
		}
	}
	if l.tbl == nil || l.rowEnd {
		w.flushRow()
	}
	w.y += l.h
	w.fresh = false
	w.open = nil
	if l.tbl != nil && !l.rowEnd {
		w.open = l.tbl
	}
}

// rule draws a line from (x, y) across w and down h.
func (w *Writer) rule(x, y, wd, h float64, c rgb, thick ...float64) {
	t := 0.2
	if len(thick) > 0 {
		t = thick[0]
	}
	w.page.SetLineWidth(t * k)
	w.page.SetStroke(c.pdf())
	w.page.Line(x*k, (pageH-y)*k, (x+wd)*k, (pageH-y-h)*k)
}

// fillRect fills the rectangle at (x, y) of width wd and height h.
func (w *Writer) fillRect(x, y, wd, h float64, c rgb) {
	w.page.SetFill(c.pdf())
	w.page.FillRect(x*k, (pageH-y-h)*k, wd*k, h*k)
}

func (c rgb) pdf() pdfgen.RGB {
	return pdfgen.RGB{R: uint8(c.r), G: uint8(c.g), B: uint8(c.b)}
}

// text draws a text op with its baseline at y.
func (w *Writer) text(x, y float64, o *op) {
	st := o.st
	size := st.size * ptMM
	if st.shade {
		w.fillRect(x-0.4, y-0.84*size, o.w+0.8, 1.08*size,
			rgb{codeFill.r - 14, codeFill.g - 14, codeFill.b - 12})
	}
	w.page.SetFill(st.color.pdf())
	var ts pdfgen.TextStyle
	if st.bold {
		// The font has no bold face: stroke the outlines as well.
		w.page.SetStroke(st.color.pdf())
		w.page.SetLineWidth(size * 0.045 * k)
		ts.Stroke = true
	}
	if st.italic {
		ts.Skew = italicSkew
	}
	w.page.Text(w.fonts[st.face], st.size, x*k, (pageH-y)*k, o.text, ts)
	if st.underline {
		w.rule(x, y+0.12*size, o.w, 0, st.color, size*0.06)
	}
	if st.strike {
		w.rule(x, y-0.3*size, o.w, 0, st.color, size*0.06)
	}
	if st.link != "" {
		top := y - 0.9*size
		w.page.Link(x*k, (pageH-top-1.2*size)*k, o.w*k, 1.2*size*k, st.link)
	}
}
