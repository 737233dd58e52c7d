package pdfgen

import (
	"crypto/md5"
	"encoding/binary"
	"fmt"
	"strconv"
	"sync"
	"unicode/utf16"

	"lessonexport/fonts"
)

// Font is a TrueType face used in a Doc. Its text is written as glyph
// numbers of a subset that holds only the glyphs used, numbered in the
// order they are first used, so that pages can be written before the
// subset is made; the subset, its widths and its ToUnicode map are written
// when the Doc is closed.
type Font struct {
	d    *Doc
	f    *fonts.Font
	name string // PostScript name without subset tag
	res  string // resource name
	obj  int    // object number of the Type0 font, 0 until used
	// ids maps a glyph of the face to its number in the subset, 0 when
	// not used yet; order is the reverse, and text the character each
	// glyph of the subset stands for.
	ids   []uint16
	order []uint16
	text  []rune
}

// AddFont registers face f under the PostScript name name (no spaces).
// Nothing is written for a font no page uses.
func (d *Doc) AddFont(f *fonts.Font, name string) *Font {
	ft := &Font{d: d, f: f, name: name, res: "F" + strconv.Itoa(len(d.fonts)+1)}
	d.fonts = append(d.fonts, ft)
	return ft
}

// use reserves the font's object number when it is first used.
func (f *Font) use() {
	if f.obj == 0 {
		f.obj = f.d.reserve()
		pool, _ := idPools.LoadOrStore(f.f, &sync.Pool{})
		if v, ok := pool.(*sync.Pool).Get().(*[]uint16); ok {
			f.ids = *v
		} else {
			f.ids = make([]uint16, f.f.NumGlyphs())
		}
		f.order = []uint16{0}
		f.text = []rune{0}
	}
}

// idPools holds, per face, cleared glyph maps for reuse.
var idPools sync.Map

// release clears the glyph map and puts it back for reuse.
func (f *Font) release() {
	if f.ids == nil {
		return
	}
	for _, g := range f.order {
		f.ids[g] = 0
	}
	ids := f.ids
	f.ids = nil
	pool, _ := idPools.Load(f.f)
	pool.(*sync.Pool).Put(&ids)
}

// encode appends s as a hexadecimal string of subset glyph numbers.
func (f *Font) encode(b []byte, s string) []byte {
	const hex = "0123456789ABCDEF"
	b = append(b, '<')
	for _, r := range s {
		g := f.f.Glyph(r)
		id := f.ids[g]
		if id == 0 && g != 0 {
			if len(f.order) < 0xFFFF {
				id = uint16(len(f.order))
				f.ids[g] = id
				f.order = append(f.order, g)
				f.text = append(f.text, r)
			}
		}
		b = append(b, hex[id>>12], hex[id>>8&15], hex[id>>4&15], hex[id&15])
	}
	return append(b, '>')
}

// tag returns the six capital letters that name the subset, from a hash
// of its glyphs.
func (f *Font) tag() string {
	h := md5.New()
	var buf [2]byte
	for _, g := range f.order {
		binary.BigEndian.PutUint16(buf[:], g)
		h.Write(buf[:])
	}
	sum := h.Sum(nil)
	tag := make([]byte, 6)
	for i := range tag {
		tag[i] = 'A' + sum[i]%26
	}
	return string(tag)
}

// writeFont writes the Type0 font f, its CID font, descriptor, embedded
// subset and ToUnicode map.
func (d *Doc) writeFont(f *Font) {
	ttf, list, err := f.f.Subset(f.order)
	if err != nil {
		if d.err == nil {
			d.err = fmt.Errorf("write font %s: %w", f.name, err)
		}
		return
	}
	name := f.tag() + "+" + f.name
	cid, desc, file, cmap := d.reserve(), d.reserve(), d.reserve(), d.reserve()
	scale := func(v int) int { return v * 1000 / f.f.UnitsPerEm }

	b := []byte("<</Type/Font/Subtype/Type0/BaseFont/" + name + "/Encoding/Identity-H" +
		"/DescendantFonts[")
	b = appendRef(b, cid)
	b = append(b, "]/ToUnicode "...)
	b = appendRef(b, cmap)
	b = append(b, ">>"...)
	d.object(f.obj, b)

	b = []byte("<</Type/Font/Subtype/CIDFontType2/BaseFont/" + name +
		"/CIDSystemInfo<</Registry(Adobe)/Ordering(Identity)/Supplement 0>>" +
		"/CIDToGIDMap/Identity/FontDescriptor ")
	b = appendRef(b, desc)
	b = append(b, "/W[0["...)
	for i, g := range list {
		if i > 0 {
			b = append(b, ' ')
		}
		b = strconv.AppendInt(b, int64(f.f.Advance1000(g)), 10)
	}
	b = append(b, "]]>>"...)
	d.object(cid, b)

	bb := f.f.BBox
	b = fmt.Appendf(nil, "<</Type/FontDescriptor/FontName/%s/Flags 4"+
		"/FontBBox[%d %d %d %d]/ItalicAngle 0/Ascent %d/Descent %d/CapHeight %d"+
		"/StemV 80/FontFile2 ", name, scale(bb[0]), scale(bb[1]), scale(bb[2]),
		scale(bb[3]), scale(f.f.Ascent), scale(f.f.Descent), scale(f.f.CapHeight))
	b = appendRef(b, file)
	b = append(b, ">>"...)
	d.object(desc, b)

	d.stream(file, "/Length1 "+strconv.Itoa(len(ttf)), ttf)
	d.stream(cmap, "", f.toUnicode())
	f.release()
}

// toUnicode returns the CMap that maps each glyph of the subset to the
// character it was used for.
func (f *Font) toUnicode() []byte {
	b := []byte("/CIDInit/ProcSet findresource begin\n12 dict begin\nbegincmap\n" +
		"/CIDSystemInfo<</Registry(Adobe)/Ordering(UCS)/Supplement 0>>def\n" +
		"/CMapName/Adobe-Identity-UCS def\n/CMapType 2 def\n" +
		"1 begincodespacerange\n<0000><FFFF>\nendcodespacerange\n")
	n := len(f.text) - 1
	for start := 1; start <= n; start += 100 {
		end := min(start+100, n+1)
		b = strconv.AppendInt(b, int64(end-start), 10)
		b = append(b, " beginbfchar\n"...)
		for id := start; id < end; id++ {
			b = fmt.Appendf(b, "<%04X><", id)
			for _, u := range utf16.Encode([]rune{f.text[id]}) {
				b = fmt.Appendf(b, "%04X", u)
			}
			b = append(b, ">\n"...)
		}
		b = append(b, "endbfchar\n"...)
	}
	return append(b, "endcmap\nCMapName currentdict/CMap defineresource pop\nend\nend\n"...)
}
