package pdfgen

import "strconv"

// Page is the open page of a Doc. Coordinates are in points from the
// bottom left corner of the page.
type Page struct {
	d      *Doc
	w, h   float64
	obj    int
	buf    []byte
	annots []byte
	// The colours and line width in effect, -1 before any is set.
	fill, stroke int32
	lw           float64
	stroked      bool // text render mode 2 is in effect
}

// RGB is a colour, 8 bits per component.
type RGB struct{ R, G, B uint8 }

func (c RGB) packed() int32 { return int32(c.R)<<16 | int32(c.G)<<8 | int32(c.B) }

func (p *Page) num(v float64) {
	p.buf = appendNum(p.buf, v)
	p.buf = append(p.buf, ' ')
}

func (p *Page) color(c RGB, op string) {
	for _, v := range []uint8{c.R, c.G, c.B} {
		p.num(float64(v) / 255)
	}
	p.buf = append(p.buf, op...)
	p.buf = append(p.buf, '\n')
}

// SetFill sets the colour of fills and of text.
func (p *Page) SetFill(c RGB) {
	if p.fill != c.packed() {
		p.fill = c.packed()
		p.color(c, "rg")
	}
}

// SetStroke sets the colour of lines and of stroked text.
func (p *Page) SetStroke(c RGB) {
	if p.stroke != c.packed() {
		p.stroke = c.packed()
		p.color(c, "RG")
	}
}

// SetLineWidth sets the width of lines.
func (p *Page) SetLineWidth(w float64) {
	if p.lw != w {
		p.lw = w
		p.num(w)
		p.buf = append(p.buf, "w\n"...)
	}
}

// FillRect fills the rectangle with corner (x, y), width w and height h.
func (p *Page) FillRect(x, y, w, h float64) {
	p.num(x)
	p.num(y)
	p.num(w)
	p.num(h)
	p.buf = append(p.buf, "re f\n"...)
}

// Line strokes a line from (x1, y1) to (x2, y2).
func (p *Page) Line(x1, y1, x2, y2 float64) {
	p.num(x1)
	p.num(y1)
	p.buf = append(p.buf, "m "...)
	p.num(x2)
	p.num(y2)
	p.buf = append(p.buf, "l S\n"...)
}

// TextStyle says how Text draws.
type TextStyle struct {
	// Stroke also strokes the outlines, with the stroke colour and line
	// width in effect: a bold look for a face that has no bold.
	Stroke bool
	// Skew slants the text, the tangent of the angle: an italic look.
	Skew float64
}

// Text draws s in font f at size points with its baseline starting at
// (x, y). Characters the font lacks show as its missing-glyph symbol.
func (p *Page) Text(f *Font, size, x, y float64, s string, st TextStyle) {
	if s == "" {
		return
	}
	f.use()
	p.buf = append(p.buf, "BT /"...)
	p.buf = append(p.buf, f.res...)
	p.buf = append(p.buf, ' ')
	p.num(size)
	p.buf = append(p.buf, "Tf 1 0 "...)
	p.num(st.Skew)
	p.buf = append(p.buf, "1 "...)
	p.num(x)
	p.num(y)
	p.buf = append(p.buf, "Tm "...)
	if st.Stroke != p.stroked {
		p.stroked = st.Stroke
		if st.Stroke {
			p.buf = append(p.buf, "2 Tr "...)
		} else {
			p.buf = append(p.buf, "0 Tr "...)
		}
	}
	p.buf = f.encode(p.buf, s)
	p.buf = append(p.buf, " Tj ET\n"...)
}

// Link makes the rectangle with corner (x, y), width w and height h a link
// to uri; bytes outside printable ASCII are escaped. Links in a row to the
// same address share one action.
func (p *Page) Link(x, y, w, h float64, uri string) {
	d := p.d
	if d.uriObj == 0 || d.uri != uri {
		d.uri, d.uriObj = uri, d.reserve()
		b := []byte("<</S/URI/URI(")
		for i := 0; i < len(uri); i++ {
			c := uri[i]
			switch {
			case c == '(' || c == ')' || c == '\\':
				b = append(b, '\\', c)
			case c < ' ' || c > '~':
				b = append(b, '\\', '0'+c>>6, '0'+c>>3&7, '0'+c&7)
			default:
				b = append(b, c)
			}
		}
		d.object(d.uriObj, append(b, ")>>"...))
	}
	b := append(p.annots, "<</Type/Annot/Subtype/Link/Rect["...)
	for i, v := range []float64{x, y, x + w, y + h} {
		if i > 0 {
			b = append(b, ' ')
		}
		b = appendNum(b, v)
	}
	b = append(b, "]/Border[0 0 0]/A "...)
	b = appendRef(b, d.uriObj)
	p.annots = append(b, ">>"...)
}

// Total draws the number of pages of the document, known only when it is
// closed, with the left end of its baseline at (x, y), in the fill colour
// in effect, in font f at size points. Every page must use the same font
// and size.
func (p *Page) Total(f *Font, size, x, y float64) {
	d := p.d
	if d.total == nil {
		d.total = &totalForm{obj: d.reserve(), font: f, size: size}
		f.use()
	}
	p.buf = append(p.buf, "q 1 0 0 1 "...)
	p.num(x)
	p.num(y)
	p.buf = append(p.buf, "cm /Total Do Q\n"...)
}

// writeTotal writes the form that shows the number of pages.
func (d *Doc) writeTotal() {
	t := d.total
	var b []byte
	b = append(b, "BT /"...)
	b = append(b, t.font.res...)
	b = append(b, ' ')
	b = appendNum(b, t.size)
	b = append(b, " Tf 0 0 Td "...)
	b = t.font.encode(b, strconv.Itoa(len(d.kids)))
	b = append(b, " Tj ET"...)
	dict := []byte("/Type/XObject/Subtype/Form/BBox[")
	dict = appendNum(dict, -t.size)
	dict = append(dict, ' ')
	dict = appendNum(dict, -t.size)
	dict = append(dict, ' ')
	dict = appendNum(dict, 10*t.size)
	dict = append(dict, ' ')
	dict = appendNum(dict, 2*t.size)
	dict = append(dict, "]/Resources<</Font<</"...)
	dict = append(dict, t.font.res...)
	dict = append(dict, ' ')
	dict = appendRef(dict, t.font.obj)
	dict = append(dict, ">>>>"...)
	d.stream(t.obj, string(dict), b)
}
