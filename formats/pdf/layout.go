package pdf

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"unicode/utf8"

	"lessonexport/document"
	"lessonexport/fonts"
)

// Lengths are in millimetres, font sizes in points.
const (
	ptMM        = 25.4 / 72
	pageW       = 210.0
	pageH       = 297.0
	margin      = 20.0
	contentW    = pageW - 2*margin
	contentTop  = margin
	contentBot  = pageH - margin
	footerBase  = pageH - 10
	bodySize    = 10.5
	noteSize    = 9.5
	tableSize   = 9.5
	preSize     = 9.5
	preMinSize  = 6
	lineSpacing = 1.55
	// ascent is where the baseline sits below the top of the text, in ems.
	ascent = 0.86
	// monoAdvance is the advance of a half-width character in the Mono
	// face, in thousandths of an em; wide characters take two such cells.
	monoAdvance = 600
)

// rgb is a colour.
type rgb struct{ r, g, b int }

var (
	textColor    = rgb{33, 33, 33}
	headingColor = rgb{28, 56, 99}
	noteColor    = rgb{118, 118, 118}
	quoteColor   = rgb{80, 80, 80}
	linkColor    = rgb{18, 84, 166}
	ruleColor    = rgb{160, 178, 204}
	borderColor  = rgb{150, 150, 150}
	headerFill   = rgb{228, 235, 245}
	labelFill    = rgb{242, 242, 242}
	codeFill     = rgb{244, 244, 244}
	quoteBar     = rgb{200, 200, 200}
)

// style is how a stretch of text is drawn.
type style struct {
	face      fonts.Face
	size      float64
	bold      bool
	italic    bool
	strike    bool
	underline bool
	shade     bool // a code span's background
	color     rgb
	link      string
}

// opKind says what an op draws.
type opKind int

const (
	opFill opKind = iota // a filled rectangle
	opRule               // a line from (x, y) across w and down h; h thick if both are set
	opText               // text
)

// op is one drawing operation of a line, placed relative to the line's
// left edge and top. For text, y is the baseline.
type op struct {
	kind       opKind
	x, y, w, h float64
	color      rgb
	text       string
	st         *style
	// col is the table column a text op is in, plus one; 0 outside tables.
	col int
}

// bookmark is an outline entry for a heading.
type bookmark struct {
	text  string
	level int
}

// vline is a horizontal strip of the page: a line of text, a slice of a
// table row or vertical space. The writer stacks them down the page and
// breaks pages between them.
type vline struct {
	h    float64
	ops  []op
	mark *bookmark
	// gap marks vertical space, dropped at the top of a page.
	gap bool
	// keep keeps this line on the page of the next one.
	keep bool
	// tbl is the table a slice belongs to; rowStart and rowEnd mark the
	// first and last slice of a row, header the slices of the header row.
	tbl      *tableInfo
	rowStart bool
	rowEnd   bool
	header   bool
}

// tableInfo is what the writer needs to continue a table on a new page.
type tableInfo struct {
	w      float64
	header []vline
}

func gap(h float64) vline { return vline{h: h, gap: true} }

// shift moves the drawing operations of lines dx to the right.
func shift(lines []vline, dx float64) {
	if dx == 0 {
		return
	}
	for i := range lines {
		for j := range lines[i].ops {
			lines[i].ops[j].x += dx
		}
	}
}

// width returns the advance of r in style st in millimetres.
func (w *Writer) width(st *style, r rune) float64 {
	return float64(w.advance(st.face, r)) * st.size / 1000 * ptMM
}

// layoutBlocks lays out blocks one below the other in a column of the given
// width, with space between them but not after the last.
func (w *Writer) layoutBlocks(blocks []document.Block, width float64, depth int) []vline {
	var lines []vline
	for i, b := range blocks {
		bl, after := w.layoutBlock(b, width, depth, false)
		lines = append(lines, bl...)
		if i < len(blocks)-1 && len(bl) > 0 {
			g := gap(min(after, 1.2))
			g.keep = bl[len(bl)-1].keep
			lines = append(lines, g)
		}
	}
	return lines
}

// layoutBlock lays out one block and returns its lines and the space to
// leave after it. Headings get bookmarks only at the top level.
func (w *Writer) layoutBlock(b document.Block, width float64, depth int,
	top bool) ([]vline, float64) {
	switch b := b.(type) {
	case document.Heading:
		return w.layoutHeading(b, width, top), 1.2
	case *document.Heading:
		if b != nil {
			return w.layoutBlock(*b, width, depth, top)
		}
	case document.Paragraph:
		return w.layoutParagraph(b, width), 2.2
	case *document.Paragraph:
		if b != nil {
			return w.layoutBlock(*b, width, depth, top)
		}
	case document.List:
		return w.layoutList(b, width, depth), 2.2
	case *document.List:
		if b != nil {
			return w.layoutBlock(*b, width, depth, top)
		}
	case document.Table:
		return w.layoutTable(b, width, depth), 3
	case *document.Table:
		if b != nil {
			return w.layoutBlock(*b, width, depth, top)
		}
	case document.Preformatted:
		return w.layoutPre(b, width), 2.5
	case *document.Preformatted:
		if b != nil {
			return w.layoutBlock(*b, width, depth, top)
		}
	}
	return nil, 0
}

// headingSizes are the font sizes of heading levels 1 to 4 and below.
var headingSizes = [...]float64{16, 13.5, 12, 11}

func (w *Writer) layoutHeading(h document.Heading, width float64, top bool) []vline {
	level := min(max(h.Level, 1), len(headingSizes))
	st := style{face: fonts.SansFace, size: headingSizes[level-1], bold: true,
		color: headingColor}
	if level >= 3 {
		st.color = textColor
	}
	lines := w.layoutText([]document.Run{{Text: h.Text}}, st, width, 1.35)
	if len(lines) == 0 {
		return nil
	}
	if level == 1 {
		last := &lines[len(lines)-1]
		last.h += 1.2
		last.ops = append(last.ops, op{kind: opRule, x: 0, y: last.h - 0.6, w: width,
			h: 0.35, color: ruleColor})
	}
	if top {
		lines[0].mark = &bookmark{text: plain(h.Text), level: level - 1}
	}
	for i := range lines {
		lines[i].keep = true
	}
	before := []float64{0, 6.5, 5, 4, 3.5}[level]
	lines = append([]vline{{h: before, gap: true, keep: true}}, lines...)
	return lines
}

func (w *Writer) layoutParagraph(p document.Paragraph, width float64) []vline {
	st := style{face: fonts.SansFace, size: bodySize, color: textColor}
	switch p.Style {
	case document.Note:
		st.size, st.color = noteSize, noteColor
	case document.Quote:
		st.color = quoteColor
		const indent = 5
		lines := w.layoutText(p.Runs, st, width-indent, lineSpacing)
		shift(lines, indent)
		for i := range lines {
			lines[i].ops = append(lines[i].ops, op{kind: opFill, x: 0.6, w: 1.1,
				h: lines[i].h, color: quoteBar})
		}
		return lines
	}
	lines := w.layoutText(p.Runs, st, width, lineSpacing)
	// A paragraph that ends in a colon introduces what follows.
	if t := strings.TrimSpace(document.Text(p.Runs)); strings.HasSuffix(t, ":") ||
		strings.HasSuffix(t, "：") {
		for i := range lines {
			lines[i].keep = true
		}
	}
	return lines
}

// layoutText breaks runs drawn in base into lines of the given width.
func (w *Writer) layoutText(runs []document.Run, base style, width, spacing float64) []vline {
	var styles []*style
	var gs []glyph
	for _, run := range runs {
		if run.Break {
			gs = append(gs, glyph{r: '\n'})
			continue
		}
		if run.Text == "" {
			continue
		}
		st := base
		st.bold = st.bold || run.Bold
		st.italic = st.italic || run.Italic
		st.strike = st.strike || run.Strike
		if run.Code {
			st.face, st.size, st.shade = fonts.MonoFace, base.size*0.92, true
		}
		if link := cleanURL(run.Link); link != "" {
			st.link, st.color, st.underline = link, linkColor, true
		}
		if n := len(styles); n == 0 || *styles[n-1] != st {
			styles = append(styles, &st)
		}
		idx, fb := len(styles)-1, -1
		sp := styles[idx]
		for _, r := range clean(run.Text, st.face, missing) {
			if r == '\t' {
				for range tabWidth {
					gs = append(gs, glyph{r: ' ', w: w.width(sp, ' '), st: idx})
				}
				continue
			}
			if !st.face.Has(r) {
				// A character only the fallback face has.
				if fb < 0 {
					f := st
					f.face = fonts.FallbackFace
					styles = append(styles, &f)
					fb = len(styles) - 1
				}
				gs = append(gs, glyph{r: r, w: w.width(styles[fb], r), st: fb})
				continue
			}
			gs = append(gs, glyph{r: r, w: w.width(sp, r), st: idx})
		}
	}
	if len(gs) == 0 {
		return nil
	}
	lh := base.size * spacing * ptMM
	baseline := (lh-base.size*ptMM)/2 + ascent*base.size*ptMM
	spans := breakLines(gs, width)
	lines := make([]vline, 0, len(spans))
	for _, sp := range spans {
		line := vline{h: lh}
		x := 0.0
		for i := sp.start; i < sp.end; {
			j := i
			var b strings.Builder
			wd := 0.0
			for ; j < sp.end && gs[j].st == gs[i].st; j++ {
				b.WriteRune(gs[j].r)
				wd += gs[j].w
			}
			line.ops = append(line.ops, op{kind: opText, x: x, y: baseline, w: wd,
				text: b.String(), st: styles[gs[i].st]})
			x += wd
			i = j
		}
		lines = append(lines, line)
	}
	// Keep the first two and the last two lines of a paragraph together.
	if n := len(lines); n >= 2 {
		lines[0].keep = true
		lines[n-2].keep = true
	}
	return lines
}

// cleanURL returns link as printable ASCII, percent-encoding other bytes,
// or "" when nothing is left.
func cleanURL(link string) string {
	link = strings.TrimSpace(strings.ToValidUTF8(link, ""))
	if link == "" {
		return ""
	}
	var b strings.Builder
	for i := 0; i < len(link); i++ {
		c := link[i]
		if c <= ' ' || c >= 0x7F {
			fmt.Fprintf(&b, "%%%02X", c)
			continue
		}
		b.WriteByte(c)
	}
	return b.String()
}

// bullets are the list markers by nesting depth.
var bullets = [...]string{"•", "◦", "▪"}

func (w *Writer) layoutList(l document.List, width float64, depth int) []vline {
	if len(l.Items) == 0 {
		return nil
	}
	st := style{face: fonts.SansFace, size: bodySize, color: textColor}
	start := l.Start
	if start == 0 {
		start = 1
	}
	markers := make([]string, len(l.Items))
	markerW := 0.0
	for i := range l.Items {
		if l.Ordered {
			markers[i] = strconv.Itoa(start+i) + "."
		} else {
			markers[i] = bullets[depth%len(bullets)]
			if !fonts.SansFace.Has([]rune(markers[i])[0]) {
				markers[i] = "•"
			}
		}
		markerW = max(markerW, w.textWidth(&st, markers[i]))
	}
	indent := max(6.0, markerW+2.2)
	indent = min(indent, width/3)
	var lines []vline
	for i, item := range l.Items {
		il := w.layoutBlocks(item.Blocks, width-indent, depth+1)
		shift(il, indent)
		first := -1
		for k := range il {
			if !il[k].gap {
				first = k
				break
			}
		}
		if first < 0 {
			il = append(il, vline{h: bodySize * lineSpacing * ptMM})
			first = len(il) - 1
		}
		baseline := (il[first].h-bodySize*ptMM)/2 + ascent*bodySize*ptMM
		for _, o := range il[first].ops {
			if o.kind == opText {
				baseline = o.y
				break
			}
		}
		mw := w.textWidth(&st, markers[i])
		x := indent - 2.2 - mw
		if !l.Ordered {
			x = indent - 2.2 - mw - 0.8
		}
		marker := st
		il[first].ops = append(il[first].ops, op{kind: opText, x: max(x, 0), y: baseline,
			w: mw, text: markers[i], st: &marker})
		// Keep the first two items together, and the last two.
		if n := len(l.Items); n >= 2 && (i == 0 || i == n-2) {
			il[len(il)-1].keep = true
		}
		if i > 0 {
			g := gap(0.8)
			g.keep = lines[len(lines)-1].keep
			lines = append(lines, g)
		}
		lines = append(lines, il...)
	}
	return lines
}

// textWidth returns the width of s, which must be clean, in style st.
func (w *Writer) textWidth(st *style, s string) float64 {
	t := 0.0
	for _, r := range s {
		t += w.width(st, r)
	}
	return t
}

// layoutPre lays out preformatted text on a grid of half-width columns in
// the Mono face, a wide character taking two, so that text drawn in columns
// stays aligned. The font shrinks, down to preMinSize, until the longest
// line fits the width; lines longer still wrap at the last column.
func (w *Writer) layoutPre(p document.Preformatted, width float64) []vline {
	text := strings.TrimRight(clean(p.Text, fonts.MonoFace, missingGrid), "\n")
	if strings.TrimSpace(text) == "" {
		return nil
	}
	pad := 0.0
	if p.Role == document.Code {
		pad = 2
	}
	type cell struct {
		r         rune
		col, cols int
		advance   int
		fallback  bool // drawn in the fallback face
	}
	var rows [][]cell
	maxCols := 1
	for _, line := range strings.Split(text, "\n") {
		var row []cell
		col := 0
		for _, r := range line {
			if r == '\t' {
				n := tabWidth - col%tabWidth
				for range n {
					row = append(row, cell{r: ' ', col: col, cols: 1, advance: monoAdvance})
					col++
				}
				continue
			}
			fallback := !fonts.MonoFace.Has(r)
			face := fonts.MonoFace
			if fallback {
				face = fonts.FallbackFace
			}
			adv := w.advance(face, r)
			cols := 1
			switch {
			case adv == 0:
				cols = 0
			case adv > monoAdvance*3/2:
				cols = 2
			}
			row = append(row, cell{r: r, col: col, cols: cols, advance: adv,
				fallback: fallback})
			col += cols
		}
		maxCols = max(maxCols, col)
		rows = append(rows, row)
	}
	avail := width - 2*pad
	size := preSize
	em := float64(monoAdvance) / 1000 * ptMM // a column per point of size
	if need := float64(maxCols) * em; need*size > avail {
		size = math.Max(preMinSize, math.Floor(avail/need*4)/4)
	}
	colW := em * size
	limit := max(1, int(avail/colW+1e-9))
	st := &style{face: fonts.MonoFace, size: size, color: textColor}
	fst := &style{face: fonts.FallbackFace, size: size, color: textColor}
	// Box-drawing characters reach the next line only if lines are close.
	spacing := 1.4
	if p.Role == document.Board {
		spacing = 1.2
	}
	lh := size * spacing * ptMM
	baseline := (lh-size*ptMM)/2 + ascent*size*ptMM
	var lines []vline
	for _, row := range rows {
		// Wrap the row at the column limit.
		var parts [][]cell
		startCol := 0
		begin := 0
		for i, c := range row {
			if c.col+c.cols-startCol > limit && i > begin {
				parts = append(parts, row[begin:i])
				begin, startCol = i, c.col
			}
		}
		parts = append(parts, row[begin:])
		for _, part := range parts {
			line := vline{h: lh}
			if len(part) > 0 {
				base := part[0].col
				for i := 0; i < len(part); {
					c := part[i]
					x := pad + float64(c.col-base)*colW
					if c.advance == monoAdvance && c.cols == 1 && !c.fallback {
						// A run of half-width characters needs no placing.
						j := i
						var b strings.Builder
						for ; j < len(part) && part[j].advance == monoAdvance &&
							part[j].cols == 1 && !part[j].fallback; j++ {
							b.WriteRune(part[j].r)
						}
						if s := strings.TrimRight(b.String(), " "); s != "" {
							line.ops = append(line.ops, op{kind: opText, x: x, y: baseline,
								w: float64(utf8.RuneCountInString(s)) * colW, text: s, st: st})
						}
						i = j
						continue
					}
					aw := float64(c.advance) / 1000 * size * ptMM
					cw := float64(max(c.cols, 1)) * colW
					if c.cols == 0 {
						x -= colW // a combining mark sits on the character before
					}
					cst := st
					if c.fallback {
						cst = fst
					}
					line.ops = append(line.ops, op{kind: opText, x: x + (cw-aw)/2,
						y: baseline, w: aw, text: string(c.r), st: cst})
					i++
				}
			}
			lines = append(lines, line)
		}
	}
	if pad > 0 {
		lines = append(append([]vline{{h: pad}}, lines...), vline{h: pad})
		for i := range lines {
			lines[i].ops = append([]op{{kind: opFill, w: width, h: lines[i].h,
				color: codeFill}}, lines[i].ops...)
		}
	}
	if n := len(lines); n >= 2 {
		lines[0].keep = true
		lines[n-2].keep = true
	}
	return lines
}
