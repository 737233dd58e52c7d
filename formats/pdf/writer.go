package pdf

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"sort"
	"strings"
	"time"

	"codeberg.org/go-pdf/fpdf"

	"lessonexport/document"
	"lessonexport/fonts"
)

// fontNames are the PostScript names the embedded subsets get, each with a
// subset tag of six capital letters.
var fontNames = [...]string{
	fonts.SansFace:     "WQYSAN+WenQuanYiMicroHei",
	fonts.MonoFace:     "WQYMON+WenQuanYiMicroHeiMono",
	fonts.FallbackFace: "DJVSAN+DejaVuSans",
}

// families are the names under which the faces are registered with fpdf.
// fpdf names an embedded font "utf8" and the family name, and marks no
// subset; Close renames each to its entry in fontNames, which is as long,
// so that the cross-reference offsets of the file stay right.
var families = [...]string{
	fonts.SansFace:     familyFor("sans", fontNames[fonts.SansFace]),
	fonts.MonoFace:     familyFor("mono", fontNames[fonts.MonoFace]),
	fonts.FallbackFace: familyFor("fall", fontNames[fonts.FallbackFace]),
}

// familyFor returns prefix padded with zeros to make "utf8" and it as long
// as name.
func familyFor(prefix, name string) string {
	return prefix + strings.Repeat("0", len(name)-len("utf8")-len(prefix))
}

// creator is the application named in the document information.
const creator = "lessonexport"

// Writer writes a document as PDF. Make one with NewWriter.
//
// A Writer holds every page it has written until Close, because fpdf keeps
// the whole document in memory until it writes it out; this is a known
// shortcoming for very long documents. Of the layout it keeps only the
// block at hand and the lines held back to keep a heading with what
// follows it.
type Writer struct {
	out     io.Writer
	pdf     *fpdf.Fpdf
	widths  [len(families)][]int32 // advances by rune, -1 when not yet known
	added   [len(families)]bool    // faces registered with fpdf
	queue   []vline                // lines laid out but not yet placed
	y       float64                // top of the next line on the page
	fresh   bool                   // nothing placed on the page yet
	open    *tableInfo             // a table whose row is open at the page end
	lastLvl int                    // level of the last bookmark, -1 before any
	table   *tableState            // the last block, if it was a top-level table
	rowText []placed               // text of the table row being drawn
	after   float64                // the space to leave after that table
	err     error
	closed  bool
}

var _ document.Writer = (*Writer)(nil)

// NewWriter starts a PDF document on A4 paper whose properties (title,
// author, subject, keywords, creation date) come from meta; the title is
// also printed at the top of the first page. Nothing is written to w until
// Close. The same meta and blocks always give the same bytes: fpdf writes
// no file identifier, and a zero meta.Created stands for the Unix epoch
// rather than the current time. The dates are written in UTC but, as fpdf
// writes them, without a time zone.
func NewWriter(w io.Writer, meta document.Meta) (wr *Writer, err error) {
	for _, f := range []fonts.Face{fonts.SansFace, fonts.MonoFace, fonts.FallbackFace} {
		if err := f.Err(); err != nil {
			return nil, fmt.Errorf("load font: %w", err)
		}
	}
	wr = &Writer{out: w, lastLvl: -1}
	defer wr.recover(&err)
	pdf := fpdf.New("P", "mm", "A4", "")
	wr.pdf = pdf
	wr.useFace(fonts.SansFace)
	pdf.SetMargins(margin, margin, margin)
	pdf.SetAutoPageBreak(false, margin)
	pdf.SetCatalogSort(true)
	pdf.SetCompression(true)
	pdf.SetProducer(creator, false)
	pdf.SetCreator(creator, false)
	created := meta.Created
	if created.IsZero() {
		created = time.Unix(0, 0)
	}
	created = created.UTC()
	pdf.SetCreationDate(created)
	pdf.SetModificationDate(created)
	if t := plain(meta.Title); t != "" {
		pdf.SetTitle(t, true)
	}
	if s := plain(meta.Subject); s != "" {
		pdf.SetSubject(s, true)
	}
	if a := plain(meta.Author); a != "" {
		pdf.SetAuthor(a, true)
	}
	var kw []string
	for _, k := range meta.Keywords {
		if k = plain(k); k != "" {
			kw = append(kw, k)
		}
	}
	if len(kw) > 0 {
		pdf.SetKeywords(strings.Join(kw, ", "), true)
	}
	if lang := cleanLang(meta.Language); lang != "" {
		pdf.SetLang(lang)
	}
	pdf.SetFont(families[fonts.SansFace], "", bodySize)
	wr.newPage()
	if err := pdf.Error(); err != nil {
		return nil, fmt.Errorf("start pdf: %w", err)
	}
	if strings.TrimSpace(meta.Title) != "" {
		wr.title(meta.Title)
	}
	if err := wr.pdfErr("write title"); err != nil {
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
	return w.pdfErr("write block")
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

// Close finishes the document, numbers the pages and writes the PDF.
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
	w.footers()
	if err := w.pdfErr("finish pdf"); err != nil {
		return err
	}
	var buf bytes.Buffer
	if err := w.pdf.Output(&buf); err != nil {
		w.err = fmt.Errorf("write pdf: %w", err)
		return w.err
	}
	data := buf.Bytes()
	for f, family := range families {
		old := []byte("/utf8" + family)
		name := []byte("/" + fontNames[f])
		if len(old) != len(name) {
			panic("pdf: font name and family differ in length")
		}
		data = bytes.ReplaceAll(data, old, name)
	}
	if _, err := w.out.Write(data); err != nil {
		w.err = fmt.Errorf("write pdf: %w", err)
		return w.err
	}
	return nil
}

// recover turns a panic inside fpdf into an error, which also stops the
// writer.
func (w *Writer) recover(err *error) {
	if r := recover(); r != nil {
		w.err = fmt.Errorf("write pdf: internal error: %v", r)
		*err = w.err
	}
}

func (w *Writer) pdfErr(action string) error {
	if err := w.pdf.Error(); err != nil {
		w.err = fmt.Errorf("%s: %w", action, err)
		return w.err
	}
	return nil
}

// useFace registers face with fpdf if it is not yet. Parsing a face takes
// a good part of the time a small document needs, so the Mono and fallback
// faces are added only when some text needs them.
func (w *Writer) useFace(face fonts.Face) {
	if w.added[face] {
		return
	}
	w.added[face] = true
	// fpdf writes into the font data it is given while it makes the subset
	// (a glyph's side bearing lands on the last full metric), so it gets a
	// copy of its own: the shared data stays intact and the output depends
	// only on the input.
	w.pdf.AddUTF8FontFromBytes(families[face], "", bytes.Clone(face.TTF()))
	w.widths[face] = make([]int32, 0x10000)
	for r := range w.widths[face] {
		w.widths[face][r] = -1
	}
}

// advance returns the advance of r in face in thousandths of an em, as fpdf
// will put it in the PDF's width table. r must be in the Basic Multilingual
// Plane.
func (w *Writer) advance(face fonts.Face, r rune) int {
	if r < 0 || r > 0xFFFF {
		return 0
	}
	w.useFace(face)
	table := w.widths[face]
	if v := table[r]; v >= 0 {
		return int(v)
	}
	pdf := w.pdf
	family, style := pdf.GetFontFamily(), pdf.GetFontStyle()
	size, _ := pdf.GetFontSize()
	pdf.SetFont(families[face], "", size)
	v := pdf.GetStringSymbolWidth(string(r))
	pdf.SetFont(family, style, size)
	table[r] = int32(v)
	return v
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

// newPage starts a page.
func (w *Writer) newPage() {
	w.flushRow()
	if w.open != nil {
		// Close a table row that continues on the next page.
		w.rule(margin, w.y, w.open.w, 0, borderColor)
	}
	w.pdf.AddPage()
	w.y = contentTop
	w.fresh = true
	w.open = nil
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
	pdf := w.pdf
	if l.mark != nil {
		level := min(l.mark.level, w.lastLvl+1)
		level = max(level, 0)
		pdf.SetFont(families[fonts.SansFace], "", bodySize)
		pdf.Bookmark(l.mark.text, level, y0)
		w.lastLvl = level
	}
	for _, kind := range []opKind{opFill, opRule, opText} {
		for i := range l.ops {
			o := &l.ops[i]
			if o.kind != kind {
				continue
			}
			switch kind {
			case opFill:
				pdf.SetFillColor(o.color.r, o.color.g, o.color.b)
				pdf.Rect(x0+o.x, y0+o.y, o.w, o.h, "F")
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
	w.pdf.SetLineWidth(t)
	w.pdf.SetDrawColor(c.r, c.g, c.b)
	w.pdf.Line(x, y, x+wd, y+h)
}

// text draws a text op with its baseline at y.
func (w *Writer) text(x, y float64, o *op) {
	pdf := w.pdf
	st := o.st
	size := st.size * ptMM
	if st.shade {
		pdf.SetFillColor(codeFill.r-14, codeFill.g-14, codeFill.b-12)
		pdf.Rect(x-0.4, y-0.84*size, o.w+0.8, 1.08*size, "F")
	}
	w.useFace(st.face)
	pdf.SetFont(families[st.face], "", st.size)
	pdf.SetTextColor(st.color.r, st.color.g, st.color.b)
	// fpdf skips setting the text colour when it equals the fill colour;
	// a distinct fill colour makes it set the colour every time.
	pdf.SetFillColor(255, 255, 254)
	if st.bold {
		// The font has no bold face: stroke the outlines as well.
		pdf.SetDrawColor(st.color.r, st.color.g, st.color.b)
		pdf.SetLineWidth(size * 0.045)
		pdf.SetTextRenderingMode(2)
	}
	if st.italic {
		pdf.TransformBegin()
		pdf.TransformSkewX(12, x, y)
	}
	pdf.Text(x, y, o.text)
	if st.italic {
		pdf.TransformEnd()
	}
	if st.bold {
		pdf.SetTextRenderingMode(0)
	}
	if st.underline {
		w.rule(x, y+0.12*size, o.w, 0, st.color, size*0.06)
	}
	if st.strike {
		w.rule(x, y-0.3*size, o.w, 0, st.color, size*0.06)
	}
	if st.link != "" {
		pdf.LinkString(x, y-0.9*size, o.w, 1.2*size, st.link)
	}
}

// footers numbers every page as "n / N" at the bottom.
func (w *Writer) footers() {
	pdf := w.pdf
	n := pdf.PageCount()
	st := &style{face: fonts.SansFace, size: 8.5}
	for p := 1; p <= n; p++ {
		pdf.SetPage(p)
		s := fmt.Sprintf("%d / %d", p, n)
		x := (pageW - w.textWidth(st, s)) / 2
		// Select the font afresh: the page may end in another one.
		pdf.SetFont(families[fonts.SansFace], "", st.size+1)
		pdf.SetFont(families[fonts.SansFace], "", st.size)
		pdf.SetFillColor(255, 255, 255)
		pdf.SetTextColor(128, 128, 128)
		pdf.Text(x, footerBase, s)
	}
}
