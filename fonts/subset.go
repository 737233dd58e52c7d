package fonts

import (
	"encoding/binary"
	"errors"
	"sort"
)

// Flags of a component of a composite glyph.
const (
	argWords     = 0x0001
	haveScale    = 0x0008
	moreComps    = 0x0020
	haveXYScale  = 0x0040
	haveTwoByTwo = 0x0080
)

// Subset returns a TrueType file holding the glyphs of order, renumbered:
// glyph order[i] of the face becomes glyph i of the subset. order[0] should
// be 0, the missing-glyph symbol. The components of composite glyphs are
// added after the glyphs of order, so the returned order, which the file
// follows, may be longer; its first len(order) entries are those of order.
//
// The file has the tables a PDF viewer needs of an embedded TrueType font
// (glyf, loca, head, hhea, hmtx, maxp, post and the hinting tables cvt,
// fpgm and prep when the face has them) and no cmap: text in the PDF names
// glyphs by number.
func (f *Font) Subset(order []uint16) ([]byte, []uint16, error) {
	if len(order) == 0 || len(order) > 0xFFFF {
		return nil, nil, errors.New("subset font: bad number of glyphs")
	}
	index := make(map[uint16]uint16, len(order))
	list := make([]uint16, 0, len(order))
	for _, g := range order {
		if int(g) >= f.numGlyphs {
			return nil, nil, errors.New("subset font: glyph out of range")
		}
		if _, ok := index[g]; !ok {
			index[g] = uint16(len(list))
		}
		list = append(list, g)
	}
	// Add the components of composite glyphs, transitively.
	for i := 0; i < len(list); i++ {
		for _, c := range f.components(list[i]) {
			if int(c) >= f.numGlyphs {
				continue
			}
			if _, ok := index[c]; !ok {
				if len(list) == 0xFFFF {
					return nil, nil, errors.New("subset font: too many glyphs")
				}
				index[c] = uint16(len(list))
				list = append(list, c)
			}
		}
	}
	n := len(list)
	size := 0
	for _, g := range list {
		a, b := f.glyphRange(int(g))
		size += pad4(b - a)
	}
	glyf := make([]byte, 0, size)
	loca := make([]byte, 4*(n+1))
	hmtx := make([]byte, 4*n)
	for i, g := range list {
		binary.BigEndian.PutUint32(loca[4*i:], uint32(len(glyf)))
		a, b := f.glyphRange(int(g))
		start := len(glyf)
		glyf = append(glyf, f.glyf[a:b]...)
		f.renumber(glyf[start:], index)
		for len(glyf)%4 != 0 {
			glyf = append(glyf, 0)
		}
		binary.BigEndian.PutUint16(hmtx[4*i:], f.advances[g])
		binary.BigEndian.PutUint16(hmtx[4*i+2:], uint16(f.lsbs[g]))
	}
	binary.BigEndian.PutUint32(loca[4*n:], uint32(len(glyf)))
	head := append([]byte(nil), f.head...)
	binary.BigEndian.PutUint32(head[8:], 0)
	binary.BigEndian.PutUint16(head[50:], 1)
	hhea := append([]byte(nil), f.hhea...)
	binary.BigEndian.PutUint16(hhea[34:], uint16(n))
	maxp := append([]byte(nil), f.maxp...)
	binary.BigEndian.PutUint16(maxp[4:], uint16(n))
	post := make([]byte, 32)
	if len(f.post) >= 32 {
		copy(post, f.post[:32])
	}
	binary.BigEndian.PutUint32(post, 0x00030000)
	tables := map[string][]byte{"glyf": glyf, "head": head, "hhea": hhea, "hmtx": hmtx,
		"loca": loca, "maxp": maxp, "post": post}
	for i, tag := range []string{"cvt ", "fpgm", "prep"} {
		if f.hinting[i] != nil {
			tables[tag] = f.hinting[i]
		}
	}
	return assemble(tables), list, nil
}

// assemble writes tables as an sfnt file, in tag order, with checksums and
// the head table's checksum adjustment.
func assemble(tables map[string][]byte) []byte {
	tags := make([]string, 0, len(tables))
	size := 12 + 16*len(tables)
	for tag, data := range tables {
		tags = append(tags, tag)
		size += pad4(len(data))
	}
	sort.Strings(tags)
	out := make([]byte, size)
	writeHeader(out, 0x00010000, len(tags))
	pos := 12 + 16*len(tags)
	headAt := -1
	for i, tag := range tags {
		data := tables[tag]
		copy(out[pos:], data)
		if tag == "head" {
			headAt = pos
		}
		rec := out[12+16*i:]
		copy(rec, tag)
		binary.BigEndian.PutUint32(rec[4:], checksum(out[pos:pos+pad4(len(data))]))
		binary.BigEndian.PutUint32(rec[8:], uint32(pos))
		binary.BigEndian.PutUint32(rec[12:], uint32(len(data)))
		pos += pad4(len(data))
	}
	if headAt >= 0 {
		binary.BigEndian.PutUint32(out[headAt+8:], 0xB1B0AFBA-checksum(out))
	}
	return out
}

// components returns the glyphs a composite glyph g is made of, or nil for
// a simple glyph.
func (f *Font) components(g uint16) []uint16 {
	var out []uint16
	f.walkComponents(f.glyphData(g), func(at int, c uint16) { out = append(out, c) })
	return out
}

// renumber rewrites the component glyph numbers of the composite glyph in
// data by index.
func (f *Font) renumber(data []byte, index map[uint16]uint16) {
	f.walkComponents(data, func(at int, c uint16) {
		binary.BigEndian.PutUint16(data[at:], index[c])
	})
}

func (f *Font) glyphData(g uint16) []byte {
	a, b := f.glyphRange(int(g))
	return f.glyf[a:b]
}

// walkComponents calls fn with the offset and glyph number of each
// component of the composite glyph in data; it does nothing for a simple
// glyph and stops at data that runs short.
func (f *Font) walkComponents(data []byte, fn func(at int, g uint16)) {
	if len(data) < 10 || int16(binary.BigEndian.Uint16(data)) >= 0 {
		return
	}
	at := 10
	for at+4 <= len(data) {
		flags := binary.BigEndian.Uint16(data[at:])
		fn(at+2, binary.BigEndian.Uint16(data[at+2:]))
		at += 4
		if flags&argWords != 0 {
			at += 4
		} else {
			at += 2
		}
		switch {
		case flags&haveScale != 0:
			at += 2
		case flags&haveXYScale != 0:
			at += 4
		case flags&haveTwoByTwo != 0:
			at += 8
		}
		if flags&moreComps == 0 {
			return
		}
	}
}
