package fonts

import (
	"bytes"
	"encoding/binary"
	"testing"
)

func TestFaces(t *testing.T) {
	tests := []struct {
		face   Face
		ttf    func() []byte
		family string
	}{
		{SansFace, Sans, "WenQuanYi Micro Hei"},
		{MonoFace, Mono, "WenQuanYi Micro Hei Mono"},
		{FallbackFace, FallbackFace.TTF, "DejaVu Sans"},
	}
	for _, tt := range tests {
		t.Run(tt.family, func(t *testing.T) {
			if err := tt.face.Err(); err != nil {
				t.Fatal(err)
			}
			ttf := tt.ttf()
			if !bytes.Equal(ttf[:4], []byte{0, 1, 0, 0}) {
				t.Fatalf("sfnt version % x, want 00 01 00 00", ttf[:4])
			}
			if got := tt.face.Names().Family; got != tt.family {
				t.Errorf("family %q, want %q", got, tt.family)
			}
			if got := checksum(ttf); got != 0xB1B0AFBA {
				t.Errorf("whole-file checksum %#x, want 0xB1B0AFBA", got)
			}
			tables, _, err := readDirectory(ttf, 0)
			if err != nil {
				t.Fatal(err)
			}
			if len(tables) < 10 {
				t.Fatalf("%d tables", len(tables))
			}
			end := 12 + 16*len(tables)
			for i, tab := range tables {
				if i > 0 && string(tables[i-1].tag[:]) >= string(tab.tag[:]) {
					t.Errorf("tables not sorted at %q", tab.tag[:])
				}
				if tab.offset%4 != 0 || int(tab.offset) < end {
					t.Errorf("table %q at bad offset %d", tab.tag[:], tab.offset)
				}
				if int(tab.offset)+int(tab.length) > len(ttf) {
					t.Errorf("table %q beyond the file", tab.tag[:])
				}
				if tag := string(tab.tag[:]); tag != "head" {
					data := ttf[tab.offset : int(tab.offset)+pad4(int(tab.length))]
					if got := checksum(data); got != tab.checksum {
						t.Errorf("table %q checksum %#x, recorded %#x", tag, got, tab.checksum)
					}
				}
			}
			for _, tag := range []string{"cmap", "glyf", "head", "hmtx", "loca", "name"} {
				if _, err := table(ttf, tag); err != nil {
					t.Error(err)
				}
			}
			f, err := tt.face.Font()
			if err != nil {
				t.Fatal(err)
			}
			g := f.Glyph('A')
			if g == 0 || f.Advance1000(g) < 300 || f.Advance1000(g) > 900 {
				t.Errorf("glyph of A %d, advance %d", g, f.Advance1000(g))
			}
			if f.UnitsPerEm <= 0 || f.Ascent <= 0 || f.Descent >= 0 {
				t.Errorf("metrics: em %d ascent %d descent %d", f.UnitsPerEm, f.Ascent,
					f.Descent)
			}
		})
	}
}

func TestSameSlice(t *testing.T) {
	a, b := Sans(), Sans()
	if &a[0] != &b[0] {
		t.Error("Sans extracted twice")
	}
	if bytes.Equal(Sans(), Mono()) {
		t.Error("Sans and Mono are the same file")
	}
}

func TestHas(t *testing.T) {
	tests := []struct {
		r                rune
		sans, mono, fall bool
	}{
		{'A', true, true, true},
		{'中', true, true, false},
		{'，', true, true, false},
		{'─', true, true, true},
		{'ə', false, false, true}, // IPA
		{'ˈ', false, false, true}, // IPA stress mark
		{0x10FFFF, false, false, false},
		{0x1F600, false, false, true},  // emoji
		{0x20000, false, false, false}, // CJK extension B
		{-1, false, false, false},
		{0x110000, false, false, false},
	}
	for _, tt := range tests {
		for face, want := range []bool{SansFace: tt.sans, MonoFace: tt.mono,
			FallbackFace: tt.fall} {
			if got := Face(face).Has(tt.r); got != want {
				t.Errorf("face %d Has(%U) = %v, want %v", face, tt.r, got, want)
			}
		}
	}
	if Face(7).Has('A') || Face(7).TTF() != nil || Face(7).Err() == nil {
		t.Error("unknown face answers")
	}
}

func TestExtractErrors(t *testing.T) {
	tests := []struct {
		name  string
		data  []byte
		index int
	}{
		{"empty", nil, 0},
		{"not a collection", []byte("OTTO\x00\x01\x00\x00\x00\x00\x00\x00"), 0},
		{"index too large", collection, 2},
		{"negative index", collection, -1},
		{"truncated", collection[:400], 0},
		{"bad offset", badOffset(), 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := Extract(tt.data, tt.index); err == nil {
				t.Error("no error")
			}
		})
	}
}

// badOffset returns a collection header whose only face lies beyond the end.
func badOffset() []byte {
	b := []byte("ttcf\x00\x01\x00\x00\x00\x00\x00\x01\x00\x00\x00\x00")
	binary.BigEndian.PutUint32(b[12:], 1<<20)
	return b
}

func FuzzExtract(f *testing.F) {
	f.Add(collection[:1024], 0)
	f.Add(collection[:64], 1)
	f.Fuzz(func(t *testing.T, data []byte, index int) {
		ttf, err := Extract(data, index)
		if err != nil {
			return
		}
		if _, _, err := readDirectory(ttf, 0); err != nil {
			t.Fatalf("extracted file has a bad directory: %v", err)
		}
		_, _ = ReadNames(ttf)
		if view, err := openFace(ttf, 0); err == nil {
			if f, err := parseFont(view, "x"); err == nil {
				_, _, _ = f.Subset([]uint16{0, uint16(index)})
			}
		}
	})
}

func TestSubset(t *testing.T) {
	for _, face := range []Face{SansFace, MonoFace, FallbackFace} {
		f, err := face.Font()
		if err != nil {
			t.Fatal(err)
		}
		// Find a composite glyph, so that its components must come along.
		composite := uint16(0)
		for g := range f.NumGlyphs() {
			if len(f.components(uint16(g))) > 0 {
				composite = uint16(g)
				break
			}
		}
		order := []uint16{0, f.Glyph('A'), f.Glyph('z')}
		if composite != 0 {
			order = append(order, composite)
		}
		ttf, list, err := f.Subset(order)
		if err != nil {
			t.Fatal(err)
		}
		if composite != 0 && len(list) <= len(order) {
			t.Errorf("face %d: composite glyph %d brought no components", face, composite)
		}
		if got := checksum(ttf); got != 0xB1B0AFBA {
			t.Errorf("face %d: whole-file checksum %#x", face, got)
		}
		view, err := openFace(ttf, 0)
		if err != nil {
			t.Fatal(err)
		}
		for _, tag := range []string{"glyf", "head", "hhea", "hmtx", "loca", "maxp", "post"} {
			if _, ok := view.get(tag); !ok {
				t.Errorf("face %d: subset has no %s table", face, tag)
			}
		}
		maxp, _ := view.get("maxp")
		if n := int(binary.BigEndian.Uint16(maxp[4:])); n != len(list) {
			t.Errorf("face %d: subset has %d glyphs, want %d", face, n, len(list))
		}
		sub, err := parseFontNoCmap(view)
		if err != nil {
			t.Fatalf("face %d: subset does not parse: %v", face, err)
		}
		for i, g := range list {
			if sub.Advance(uint16(i)) != f.Advance(g) {
				t.Errorf("face %d: glyph %d advance %d, want %d", face, i,
					sub.Advance(uint16(i)), f.Advance(g))
			}
			a, b := sub.glyphRange(i)
			c, d := f.glyphRange(int(g))
			if pad4(b-a) != pad4(d-c) {
				t.Errorf("face %d: glyph %d is %d bytes, want %d", face, i, b-a, d-c)
			}
			for _, comp := range sub.components(uint16(i)) {
				if int(comp) >= len(list) {
					t.Errorf("face %d: glyph %d names component %d", face, i, comp)
				}
			}
		}
		if ttf2, _, _ := f.Subset(order); !bytes.Equal(ttf, ttf2) {
			t.Errorf("face %d: subset differs between runs", face)
		}
	}
}

// parseFontNoCmap parses a subset, which has no cmap, for its metrics.
func parseFontNoCmap(s sfnt) (*Font, error) {
	s.tables = append(s.tables, tableRecord{tag: [4]byte{'c', 'm', 'a', 'p'}})
	cmap := []byte{0, 0, 0, 1, 0, 3, 0, 1, 0, 0, 0, 12,
		0, 12, 0, 0, 0, 0, 0, 16, 0, 0, 0, 0, 0, 0, 0, 0}
	s.data = append(append([]byte(nil), s.data...), cmap...)
	s.tables[len(s.tables)-1].offset = uint32(len(s.data) - len(cmap))
	s.tables[len(s.tables)-1].length = uint32(len(cmap))
	return parseFont(s, "subset")
}
