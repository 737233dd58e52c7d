package fonts

import (
	"encoding/binary"
	"errors"
	"fmt"
	"sort"
)

// Font is the parsed data of a face that a PDF writer needs: the glyph of
// each character, glyph advances, the face's vertical metrics and the
// glyph outlines to make a subset from. It is parsed once per process and
// shared; none of its methods change it.
type Font struct {
	// UnitsPerEm is the size of the em square in font units.
	UnitsPerEm int
	// Ascent and Descent are the typographic ascender and descender in
	// font units, Descent negative.
	Ascent, Descent int
	// CapHeight is the height of capital letters in font units.
	CapHeight int
	// BBox is the bounding box of all glyphs: xMin, yMin, xMax, yMax.
	BBox [4]int
	// PostScriptName is the name the face goes by in a PDF, without spaces.
	PostScriptName string

	numGlyphs int
	bmp       []uint16    // glyph by code point of the Basic Multilingual Plane
	groups    []cmapGroup // glyphs of the supplementary planes, by start
	advances  []uint16    // advance by glyph
	lsbs      []int16     // left side bearing by glyph
	long      bool        // loca holds 32-bit offsets
	loca      []byte
	glyf      []byte
	head      []byte
	hhea      []byte
	maxp      []byte
	post      []byte
	hinting   [3][]byte // cvt, fpgm, prep; nil when the face lacks one
}

// cmapGroup maps the code points start to end to consecutive glyphs.
type cmapGroup struct {
	start, end, glyph uint32
}

// sfnt is a view of one face's tables inside a file or collection.
type sfnt struct {
	data   []byte
	tables []tableRecord
}

func (s sfnt) get(tag string) ([]byte, bool) {
	for _, t := range s.tables {
		if string(t.tag[:]) == tag {
			return s.data[t.offset : t.offset+t.length], true
		}
	}
	return nil, false
}

// openFace returns the view of the face whose table directory is at start.
func openFace(data []byte, start int) (sfnt, error) {
	tables, _, err := readDirectory(data, start)
	if err != nil {
		return sfnt{}, err
	}
	return sfnt{data: data, tables: tables}, nil
}

// collectionFace returns the offset of face index's directory in a
// TrueType collection.
func collectionFace(ttc []byte, index int) (int, error) {
	if len(ttc) < 12 || string(ttc[:4]) != "ttcf" {
		return 0, errors.New("not a TrueType collection")
	}
	n := int(binary.BigEndian.Uint32(ttc[8:]))
	if index < 0 || index >= n || 12+4*n > len(ttc) {
		return 0, fmt.Errorf("collection has no face %d", index)
	}
	return int(binary.BigEndian.Uint32(ttc[12+4*index:])), nil
}

// parseFont reads the tables of s that Font needs.
func parseFont(s sfnt, name string) (*Font, error) {
	need := func(tag string, size int) ([]byte, error) {
		b, ok := s.get(tag)
		if !ok {
			return nil, fmt.Errorf("no %s table", tag)
		}
		if len(b) < size {
			return nil, fmt.Errorf("%s table too short", tag)
		}
		return b, nil
	}
	f := &Font{PostScriptName: name}
	var err error
	if f.head, err = need("head", 54); err != nil {
		return nil, err
	}
	if f.hhea, err = need("hhea", 36); err != nil {
		return nil, err
	}
	if f.maxp, err = need("maxp", 6); err != nil {
		return nil, err
	}
	u16 := binary.BigEndian.Uint16
	i16 := func(b []byte, at int) int { return int(int16(u16(b[at:]))) }
	f.UnitsPerEm = int(u16(f.head[18:]))
	if f.UnitsPerEm < 16 || f.UnitsPerEm > 16384 {
		return nil, fmt.Errorf("bad units per em %d", f.UnitsPerEm)
	}
	f.BBox = [4]int{i16(f.head, 36), i16(f.head, 38), i16(f.head, 40), i16(f.head, 42)}
	f.long = u16(f.head[50:]) != 0
	f.Ascent, f.Descent = i16(f.hhea, 4), i16(f.hhea, 6)
	f.CapHeight = f.Ascent * 7 / 10
	if os2, ok := s.get("OS/2"); ok && len(os2) >= 90 && u16(os2) >= 2 {
		f.CapHeight = i16(os2, 88)
	}
	f.numGlyphs = int(u16(f.maxp[4:]))
	if f.numGlyphs == 0 {
		return nil, errors.New("no glyphs")
	}
	nh := int(u16(f.hhea[34:]))
	hmtx, err := need("hmtx", 4*nh)
	if err != nil {
		return nil, err
	}
	if nh == 0 || nh > f.numGlyphs {
		return nil, fmt.Errorf("bad number of horizontal metrics %d", nh)
	}
	f.advances = make([]uint16, f.numGlyphs)
	f.lsbs = make([]int16, f.numGlyphs)
	for g := range f.numGlyphs {
		if g < nh {
			f.advances[g] = u16(hmtx[4*g:])
			f.lsbs[g] = int16(u16(hmtx[4*g+2:]))
			continue
		}
		f.advances[g] = f.advances[nh-1]
		if at := 4*nh + 2*(g-nh); at+2 <= len(hmtx) {
			f.lsbs[g] = int16(u16(hmtx[at:]))
		}
	}
	entry := 2
	if f.long {
		entry = 4
	}
	if f.loca, err = need("loca", entry*(f.numGlyphs+1)); err != nil {
		return nil, err
	}
	if f.glyf, err = need("glyf", 0); err != nil {
		return nil, err
	}
	for g := range f.numGlyphs {
		a, b := f.glyphRange(g)
		if a > b || b > len(f.glyf) {
			return nil, fmt.Errorf("glyph %d out of range", g)
		}
	}
	f.post, _ = s.get("post")
	for i, tag := range []string{"cvt ", "fpgm", "prep"} {
		f.hinting[i], _ = s.get(tag)
	}
	cmap, err := need("cmap", 4)
	if err != nil {
		return nil, err
	}
	if err := f.parseCmap(cmap); err != nil {
		return nil, fmt.Errorf("read cmap: %w", err)
	}
	return f, nil
}

// glyphRange returns where glyph g's data lies in glyf.
func (f *Font) glyphRange(g int) (int, int) {
	if f.long {
		return int(binary.BigEndian.Uint32(f.loca[4*g:])),
			int(binary.BigEndian.Uint32(f.loca[4*g+4:]))
	}
	return 2 * int(binary.BigEndian.Uint16(f.loca[2*g:])),
		2 * int(binary.BigEndian.Uint16(f.loca[2*g+2:]))
}

// NumGlyphs returns the number of glyphs in the face.
func (f *Font) NumGlyphs() int { return f.numGlyphs }

// Glyph returns the glyph the face maps r to, 0 when it has none.
func (f *Font) Glyph(r rune) uint16 {
	if r >= 0 && r < 0x10000 {
		return f.bmp[r]
	}
	i := sort.Search(len(f.groups), func(i int) bool { return f.groups[i].end >= uint32(r) })
	if r < 0 || i == len(f.groups) || f.groups[i].start > uint32(r) {
		return 0
	}
	g := f.groups[i].glyph + uint32(r) - f.groups[i].start
	if g >= uint32(f.numGlyphs) {
		return 0
	}
	return uint16(g)
}

// Advance returns the advance of glyph g in font units.
func (f *Font) Advance(g uint16) int {
	if int(g) >= len(f.advances) {
		return 0
	}
	return int(f.advances[g])
}

// Advance1000 returns the advance of glyph g in thousandths of an em,
// rounded, as a PDF width table gives it.
func (f *Font) Advance1000(g uint16) int {
	return (f.Advance(g)*1000 + f.UnitsPerEm/2) / f.UnitsPerEm
}

// parseCmap reads a Unicode subtable of format 12 if there is one, else
// one of format 4.
func (f *Font) parseCmap(data []byte) error {
	n := int(binary.BigEndian.Uint16(data[2:]))
	if 4+8*n > len(data) {
		return errors.New("table too short")
	}
	best, bestFormat := -1, uint16(0)
	for i := range n {
		rec := data[4+8*i:]
		platform := binary.BigEndian.Uint16(rec)
		encoding := binary.BigEndian.Uint16(rec[2:])
		off := int(binary.BigEndian.Uint32(rec[4:]))
		unicode := platform == 0 || platform == 3 && (encoding == 1 || encoding == 10)
		if !unicode || off < 0 || off+2 > len(data) {
			continue
		}
		format := binary.BigEndian.Uint16(data[off:])
		if format == 12 || format == 4 && bestFormat != 12 {
			best, bestFormat = off, format
		}
	}
	if best < 0 {
		return errors.New("no Unicode subtable of format 4 or 12")
	}
	f.bmp = make([]uint16, 0x10000)
	if bestFormat == 12 {
		return f.cmap12(data[best:])
	}
	return f.cmap4(data[best:])
}

func (f *Font) cmap4(sub []byte) error {
	if len(sub) < 14 {
		return errors.New("format 4 subtable too short")
	}
	segs := int(binary.BigEndian.Uint16(sub[6:])) / 2
	ends := 14
	starts := ends + 2*segs + 2
	deltas := starts + 2*segs
	ranges := deltas + 2*segs
	if ranges+2*segs > len(sub) {
		return errors.New("format 4 subtable too short")
	}
	u16 := func(at int) uint16 { return binary.BigEndian.Uint16(sub[at:]) }
	for s := range segs {
		end, start := u16(ends+2*s), u16(starts+2*s)
		delta, ro := u16(deltas+2*s), int(u16(ranges+2*s))
		for code := int(start); code <= int(end) && code != 0xFFFF; code++ {
			var glyph uint16
			if ro == 0 {
				glyph = uint16(code) + delta
			} else {
				at := ranges + 2*s + ro + 2*(code-int(start))
				if at+2 > len(sub) {
					continue
				}
				if glyph = u16(at); glyph != 0 {
					glyph += delta
				}
			}
			if int(glyph) < f.numGlyphs {
				f.bmp[code] = glyph
			}
		}
	}
	return nil
}

func (f *Font) cmap12(sub []byte) error {
	if len(sub) < 16 {
		return errors.New("format 12 subtable too short")
	}
	groups := int(binary.BigEndian.Uint32(sub[12:]))
	if groups < 0 || 16+12*groups > len(sub) {
		return errors.New("format 12 subtable too short")
	}
	for g := range groups {
		rec := sub[16+12*g:]
		start := binary.BigEndian.Uint32(rec)
		end := binary.BigEndian.Uint32(rec[4:])
		glyph := binary.BigEndian.Uint32(rec[8:])
		if end > 0x10FFFF || start > end {
			continue
		}
		for code := start; code <= end && code < 0x10000; code++ {
			if gl := glyph + code - start; gl < uint32(f.numGlyphs) {
				f.bmp[code] = uint16(gl)
			}
		}
		if end >= 0x10000 {
			s := max(start, 0x10000)
			f.groups = append(f.groups, cmapGroup{s, end, glyph + s - start})
		}
	}
	sort.Slice(f.groups, func(i, j int) bool { return f.groups[i].start < f.groups[j].start })
	return nil
}
