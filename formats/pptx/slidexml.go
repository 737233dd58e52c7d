package pptx

import (
	"fmt"
	"math"
	"strings"

	"lessonexport/document"
	"lessonexport/formats/ooxml"
)

// flush writes the current slide, its relationships and its notes.
func (w *Writer) flush() {
	s := w.cur
	if s == nil || w.err != nil {
		return
	}
	w.cur = nil
	w.n++
	name := "ppt/slides/slide" + itoa(w.n) + ".xml"
	part, err := w.pkg.Create(name, ctSlide)
	if err != nil {
		w.err = fmt.Errorf("write slide %d: %w", w.n, err)
		return
	}
	rels := &ooxml.Rels{}
	layout := "../slideLayouts/slideLayout2.xml"
	if s.kind == coverSlide {
		layout = "../slideLayouts/slideLayout1.xml"
	}
	rels.Add(relLayout, layout, false)
	notesName := ""
	if len(s.notes) > 0 {
		w.notes++
		notesName = "ppt/notesSlides/notesSlide" + itoa(w.notes) + ".xml"
		rels.Add(relNotesSlide, "../notesSlides/notesSlide"+itoa(w.notes)+".xml", false)
	}
	sx := &slideXML{Part: part, rels: rels, lang: escape(w.lang), links: map[string]string{}}
	sx.slide(s, w)
	if err := w.pkg.WriteRels(name, rels); err != nil {
		w.err = fmt.Errorf("write slide %d: %w", w.n, err)
		return
	}
	if notesName == "" {
		return
	}
	part, err = w.pkg.Create(notesName, ctNotesSlide)
	if err != nil {
		w.err = fmt.Errorf("write notes of slide %d: %w", w.n, err)
		return
	}
	nx := &slideXML{Part: part, lang: escape(w.lang)}
	nx.notes(s.notes)
	nrels := &ooxml.Rels{}
	nrels.Add(relNotesMaster, "../notesMasters/notesMaster1.xml", false)
	nrels.Add(relSlide, "../slides/slide"+itoa(w.n)+".xml", false)
	if err := w.pkg.WriteRels(notesName, nrels); err != nil {
		w.err = fmt.Errorf("write notes of slide %d: %w", w.n, err)
	}
}

// slideXML writes one slide or notes part.
type slideXML struct {
	*ooxml.Part
	rels  *ooxml.Rels // nil in notes: links are then shown as text
	lang  string
	links map[string]string
	id    int
}

func (x *slideXML) nextID() int {
	x.id++
	return x.id + 1
}

func (x *slideXML) slide(s *slide, w *Writer) {
	x.WriteString(ooxml.Header)
	x.WriteString(`<p:sld ` + ns + `><p:cSld><p:spTree>` + groupProps)
	switch {
	case s.kind == coverSlide:
		x.cover(w.meta, s.title)
	case len(s.pieces) == 0 && !s.cont:
		x.section(s)
	default:
		title := s.title
		if s.cont {
			title += w.cont
		}
		if s.label != "" {
			x.label(s.label, marginX, labelY, labelH, "l")
		}
		x.title(`<p:ph type="title"/>`, title, marginX, titleY, bodyW, titleH, 3200, "l")
		x.body(s)
	}
	x.WriteString(`</p:spTree></p:cSld><p:clrMapOvr><a:masterClrMapping/></p:clrMapOvr></p:sld>`)
}

// cover writes the title slide: title, then subject and author.
func (x *slideXML) cover(m document.Meta, title string) {
	x.title(`<p:ph type="ctrTitle"/>`, title, marginX, coverTitleY, bodyW, coverTitleH, 4000, "ctr")
	var sub []string
	for _, s := range []string{m.Subject, m.Author} {
		if s = ooxml.OneLine(s); s != "" {
			sub = append(sub, s)
		}
	}
	x.title(`<p:ph type="subTitle" idx="1"/>`, strings.Join(sub, " · "), marginX, coverSubY,
		bodyW, coverSubH, 2000, "ctr")
}

// section writes a slide that has nothing but its title, centred.
func (x *slideXML) section(s *slide) {
	y := (slideH - coverTitleH) / 2
	if s.label != "" {
		x.label(s.label, marginX, y-labelH, labelH, "ctr")
	}
	x.title(`<p:ph type="title"/>`, s.title, marginX, y, bodyW, coverTitleH, 4000, "ctr")
}

// titleSize returns the size in hundredths of a point at which text fits
// in a title box of two lines, starting from size.
func titleSize(text string, size int) int {
	u := units(text)
	for size > 2000 {
		pt := float64(size) / 100
		if u <= 2*perLine(bodyWPt, pt) {
			break
		}
		size -= 400
	}
	return size
}

// title writes a title placeholder.
func (x *slideXML) title(ph, text string, px, py, cx, cy, size int, algn string) {
	size = titleSize(text, size)
	id := x.nextID()
	x.WriteString(`<p:sp><p:nvSpPr><p:cNvPr id="` + itoa(id) + `" name="Title ` + itoa(id) +
		`"/><p:cNvSpPr><a:spLocks noGrp="1"/></p:cNvSpPr><p:nvPr>` + ph + `</p:nvPr>` +
		`</p:nvSpPr><p:spPr>` + xfrm(px, py, cx, cy) + `</p:spPr><p:txBody>` +
		`<a:bodyPr wrap="square" lIns="0" rIns="0" anchor="ctr"><a:normAutofit/></a:bodyPr>` +
		`<a:lstStyle/><a:p><a:pPr marL="0" indent="0" algn="` + algn + `"><a:buNone/></a:pPr>`)
	color := colTitle
	if strings.Contains(ph, "subTitle") {
		color = colMuted
	}
	if text != "" {
		x.WriteString(`<a:r>` + x.rPr(document.Run{Bold: !strings.Contains(ph, "subTitle")},
			size, color, false, "") + `<a:t>`)
		x.Text(text)
		x.WriteString(`</a:t></a:r>`)
	}
	x.WriteString(`<a:endParaRPr lang="` + x.lang + `" sz="` + itoa(size) + `"/></a:p>` +
		`</p:txBody></p:sp>`)
}

// label writes the small section name above a title.
func (x *slideXML) label(text string, px, py, cy int, algn string) {
	id := x.nextID()
	x.WriteString(`<p:sp><p:nvSpPr><p:cNvPr id="` + itoa(id) + `" name="Section ` + itoa(id) +
		`"/><p:cNvSpPr txBox="1"/><p:nvPr/></p:nvSpPr><p:spPr>` + xfrm(px, py, bodyW, cy) +
		`<a:prstGeom prst="rect"><a:avLst/></a:prstGeom><a:noFill/></p:spPr><p:txBody>` +
		`<a:bodyPr wrap="square" lIns="0" tIns="0" rIns="0" bIns="0" anchor="b">` +
		`<a:normAutofit/></a:bodyPr><a:lstStyle/><a:p><a:pPr algn="` + algn + `"/><a:r>` +
		x.rPr(document.Run{}, 1400, colMuted, false, "") + `<a:t>`)
	x.Text(text)
	x.WriteString(`</a:t></a:r></a:p></p:txBody></p:sp>`)
}

// body writes the pieces of a content slide from the top of the body.
func (x *slideXML) body(s *slide) {
	y := float64(bodyY)
	for i, p := range s.pieces {
		if i > 0 {
			y += pieceGap * emuPt
		}
		h := p.height() * emuPt
		if i == len(s.pieces)-1 {
			// The last box reaches the bottom, in case the estimate ran
			// short.
			h = math.Max(h, bodyB-y)
		}
		switch p := p.(type) {
		case *textPiece:
			x.textBox(p, int(y), int(h))
		case *prePiece:
			x.preBox(p, int(y), int(p.h*emuPt))
		case *tablePiece:
			x.tableFrame(p, int(y))
		}
		y += p.height() * emuPt
	}
}

func (x *slideXML) textBox(t *textPiece, y, h int) {
	id := x.nextID()
	x.WriteString(`<p:sp><p:nvSpPr><p:cNvPr id="` + itoa(id) + `" name="Text ` + itoa(id) +
		`"/><p:cNvSpPr txBox="1"/><p:nvPr/></p:nvSpPr><p:spPr>` + xfrm(marginX, y, bodyW, h) +
		`<a:prstGeom prst="rect"><a:avLst/></a:prstGeom><a:noFill/></p:spPr><p:txBody>` +
		`<a:bodyPr wrap="square" lIns="0" tIns="0" rIns="0" bIns="0" anchor="t">` +
		`<a:normAutofit/></a:bodyPr><a:lstStyle/>`)
	for _, p := range t.paras {
		x.para(p)
	}
	x.WriteString(`</p:txBody></p:sp>`)
}

// para writes one paragraph.
func (x *slideXML) para(p tpara) {
	size := int(math.Round(p.size * 100))
	marL := int(p.marL() * emuPt)
	x.WriteString(`<a:p><a:pPr marL="` + itoa(marL) + `"`)
	if p.marker != "" {
		x.WriteString(` indent="` + itoa(-int(indentPt*emuPt)) + `"`)
	} else {
		x.WriteString(` indent="0"`)
	}
	spc := 0
	if !p.first {
		spc = int(p.before() * 100)
	}
	x.WriteString(`><a:lnSpc><a:spcPts val="` + itoa(int(math.Round(p.size*lineFactor*100))) +
		`"/></a:lnSpc><a:spcBef><a:spcPts val="` + itoa(spc) + `"/></a:spcBef>`)
	if p.bullet {
		x.WriteString(`<a:buClr><a:srgbClr val="` + colAccent + `"/></a:buClr>` +
			`<a:buFont typeface="Arial"/><a:buChar char="` + escape(p.marker) + `"/>`)
	} else {
		x.WriteString(`<a:buNone/>`)
	}
	x.WriteString(`</a:pPr>`)
	color := p.color
	if color == "" {
		color = colText
	}
	if p.marker != "" && !p.bullet {
		x.WriteString(`<a:r>` + x.rPr(document.Run{Bold: p.bold}, size, colAccent, false, "") +
			`<a:t>` + escape(p.marker) + " " + `</a:t></a:r>`)
	}
	for _, r := range p.runs {
		if p.bold {
			r.Bold = true
		}
		x.run(r, size, color, p.mono)
	}
	x.WriteString(`<a:endParaRPr lang="` + x.lang + `" sz="` + itoa(size) + `" dirty="0"/></a:p>`)
}

// run writes one run; line feeds become line breaks.
func (x *slideXML) run(r document.Run, size int, color string, mono bool) {
	if r.Break {
		x.WriteString(`<a:br>` + x.rPr(document.Run{}, size, color, mono, "") + `</a:br>`)
		return
	}
	link := ""
	if r.Link != "" {
		if l, ok := ooxml.SafeLink(r.Link); ok {
			if x.rels == nil {
				if strings.TrimSpace(r.Text) != l {
					r.Text += " (" + l + ")"
				}
			} else {
				link = x.links[l]
				if link == "" {
					link = x.rels.Add(ooxml.RelHyperlink, l, true)
					x.links[l] = link
				}
			}
		}
	}
	for i, line := range strings.Split(r.Text, "\n") {
		if i > 0 {
			x.WriteString(`<a:br>` + x.rPr(document.Run{}, size, color, mono, "") + `</a:br>`)
		}
		if line == "" {
			continue
		}
		x.WriteString(`<a:r>` + x.rPr(r, size, color, mono, link) + `<a:t>`)
		x.Text(line)
		x.WriteString(`</a:t></a:r>`)
	}
}

// rPr returns run properties: size in hundredths of a point, colour, the
// monospaced face or the text faces, and a hyperlink relationship.
func (x *slideXML) rPr(r document.Run, size int, color string, mono bool, link string) string {
	var b strings.Builder
	b.WriteString(`<a:rPr lang="` + x.lang + `" altLang="en-US" sz="` + itoa(size) + `"`)
	if r.Bold {
		b.WriteString(` b="1"`)
	}
	if r.Italic {
		b.WriteString(` i="1"`)
	}
	if link != "" {
		b.WriteString(` u="sng"`)
	}
	if r.Strike {
		b.WriteString(` strike="sngStrike"`)
	}
	b.WriteString(` dirty="0">`)
	code := r.Code && !mono
	switch {
	case link != "":
		color = colLink
	case code:
		color = "A31515"
	}
	b.WriteString(solid(color))
	b.WriteString(fonts(mono || code))
	if link != "" {
		b.WriteString(`<a:hlinkClick r:id="` + link + `"/>`)
	}
	b.WriteString(`</a:rPr>`)
	return b.String()
}

// monoRPr returns the run properties of preformatted text with spacing in
// hundredths of a point.
func (x *slideXML) monoRPr(size, spc int) string {
	s := `<a:rPr lang="` + x.lang + `" altLang="en-US" sz="` + itoa(size) + `"`
	if spc != 0 {
		s += ` spc="` + itoa(spc) + `"`
	}
	return s + ` dirty="0">` + solid(colText) + fonts(true) + `</a:rPr>`
}

// preBox writes preformatted lines in the monospaced face. Wide characters
// get extra spacing so that they take exactly two columns. LibreOffice
// Impress adds its own space where Latin text meets Chinese, which DrawingML
// cannot switch off, so there a line mixing the two can be off by a quarter
// of a character; where the face is missing and another is substituted,
// the columns hold only if it has the same proportions.
func (x *slideXML) preBox(p *prePiece, y, h int) {
	id := x.nextID()
	fill := solid(colCode) + `<a:ln><a:noFill/></a:ln>`
	if p.board {
		fill = `<a:noFill/><a:ln w="9525">` + solid(colBorder) + `</a:ln>`
	}
	mar := itoa(int(cellMarX * emuPt))
	marY := itoa(int(cellMarY * emuPt))
	x.WriteString(`<p:sp><p:nvSpPr><p:cNvPr id="` + itoa(id) + `" name="Text ` + itoa(id) +
		`"/><p:cNvSpPr txBox="1"/><p:nvPr/></p:nvSpPr><p:spPr>` + xfrm(marginX, y, bodyW, h) +
		`<a:prstGeom prst="rect"><a:avLst/></a:prstGeom>` + fill + `</p:spPr><p:txBody>` +
		`<a:bodyPr wrap="square" lIns="` + mar + `" tIns="` + marY + `" rIns="` + mar +
		`" bIns="` + marY + `" anchor="t"><a:noAutofit/></a:bodyPr><a:lstStyle/>`)
	size := int(math.Round(p.size * 100))
	spc := int(math.Round(ooxml.MonoWideExtra * p.size * 100))
	for _, line := range p.lines {
		x.WriteString(`<a:p><a:pPr marL="0" indent="0"><a:lnSpc><a:spcPts val="` +
			itoa(int(math.Round(p.size*lineFactor*100))) + `"/></a:lnSpc>` +
			`<a:spcBef><a:spcPts val="0"/></a:spcBef><a:buNone/></a:pPr>`)
		for _, seg := range ooxml.SplitWide(line) {
			sp := 0
			if seg.Wide {
				sp = spc
			}
			x.WriteString(`<a:r>` + x.monoRPr(size, sp) + `<a:t>`)
			x.Text(seg.Text)
			x.WriteString(`</a:t></a:r>`)
		}
		x.WriteString(`<a:endParaRPr lang="` + x.lang + `" sz="` + itoa(size) +
			`" dirty="0"/></a:p>`)
	}
	x.WriteString(`</p:txBody></p:sp>`)
}

// tableFrame writes a table as a graphic frame.
func (x *slideXML) tableFrame(t *tablePiece, y int) {
	id := x.nextID()
	widths := make([]int, len(t.widths))
	total := 0
	for i, w := range t.widths {
		widths[i] = int(w * emuPt)
		total += widths[i]
	}
	widths[len(widths)-1] += bodyW - total
	height := 0
	for _, h := range t.heads {
		height += int(h * emuPt)
	}
	x.WriteString(`<p:graphicFrame><p:nvGraphicFramePr><p:cNvPr id="` + itoa(id) +
		`" name="Table ` + itoa(id) + `"/><p:cNvGraphicFramePr><a:graphicFrameLocks ` +
		`noGrp="1"/></p:cNvGraphicFramePr><p:nvPr/></p:nvGraphicFramePr><p:xfrm>` +
		`<a:off x="` + itoa(marginX) + `" y="` + itoa(y) + `"/><a:ext cx="` + itoa(bodyW) +
		`" cy="` + itoa(height) + `"/></p:xfrm><a:graphic><a:graphicData ` +
		`uri="http://schemas.openxmlformats.org/drawingml/2006/table"><a:tbl>`)
	first := "0"
	if t.header != nil {
		first = "1"
	}
	x.WriteString(`<a:tblPr firstRow="` + first + `" bandRow="0"/><a:tblGrid>`)
	for _, w := range widths {
		x.WriteString(`<a:gridCol w="` + itoa(w) + `"/>`)
	}
	x.WriteString(`</a:tblGrid>`)
	k := 0
	if t.header != nil {
		x.row(t.header, int(t.heads[0]*emuPt), colHead, "")
		k = 1
	}
	for i, r := range t.rows {
		first := ""
		if t.info {
			first = colLabel
		}
		x.row(r, int(t.heads[k+i]*emuPt), "", first)
	}
	x.WriteString(`</a:tbl></a:graphicData></a:graphic></p:graphicFrame>`)
}

// row writes a table row; fill colours every cell, firstFill the first.
func (x *slideXML) row(cells []tcell, h int, fill, firstFill string) {
	x.WriteString(`<a:tr h="` + itoa(h) + `">`)
	line := func(side string) string {
		return `<a:` + side + ` w="9525" cap="flat" cmpd="sng" algn="ctr">` + solid(colBorder) +
			`<a:prstDash val="solid"/></a:` + side + `>`
	}
	borders := line("lnL") + line("lnR") + line("lnT") + line("lnB")
	for i, c := range cells {
		x.WriteString(`<a:tc><a:txBody><a:bodyPr/><a:lstStyle/>`)
		for _, p := range c.paras {
			x.para(p)
		}
		x.WriteString(`</a:txBody><a:tcPr marL="` + itoa(int(cellMarX*emuPt)) + `" marR="` +
			itoa(int(cellMarX*emuPt)) + `" marT="` + itoa(int(cellMarY*emuPt)) + `" marB="` +
			itoa(int(cellMarY*emuPt)) + `">` + borders)
		f := fill
		if i == 0 && firstFill != "" {
			f = firstFill
		}
		if f != "" {
			x.WriteString(solid(f))
		} else {
			x.WriteString(`<a:noFill/>`)
		}
		x.WriteString(`</a:tcPr></a:tc>`)
	}
	x.WriteString(`</a:tr>`)
}

// notes writes a notes slide holding paragraphs.
func (x *slideXML) notes(ps []document.Paragraph) {
	x.WriteString(ooxml.Header)
	x.WriteString(`<p:notes ` + ns + `><p:cSld><p:spTree>` + groupProps +
		`<p:sp><p:nvSpPr><p:cNvPr id="2" name="Slide Image Placeholder 1"/><p:cNvSpPr>` +
		`<a:spLocks noGrp="1" noRot="1" noChangeAspect="1"/></p:cNvSpPr><p:nvPr>` +
		`<p:ph type="sldImg"/></p:nvPr></p:nvSpPr><p:spPr/></p:sp>` +
		`<p:sp><p:nvSpPr><p:cNvPr id="3" name="Notes Placeholder 2"/><p:cNvSpPr>` +
		`<a:spLocks noGrp="1"/></p:cNvSpPr><p:nvPr><p:ph type="body" idx="1"/></p:nvPr>` +
		`</p:nvSpPr><p:spPr/><p:txBody><a:bodyPr/><a:lstStyle/>`)
	for _, p := range ps {
		t := tpara{runs: cleanRuns(p.Runs), size: sizeNotes, first: true, color: "000000"}
		x.para(t)
	}
	x.WriteString(`</p:txBody></p:sp></p:spTree></p:cSld><p:clrMapOvr><a:masterClrMapping/>` +
		`</p:clrMapOvr></p:notes>`)
}
