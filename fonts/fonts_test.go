package fonts

import (
	"bytes"
	"encoding/binary"
	"testing"

	"codeberg.org/go-pdf/fpdf"
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
			// fpdf must accept the file and measure text with it.
			pdf := fpdf.New("P", "mm", "A4", "")
			pdf.AddUTF8FontFromBytes("f", "", ttf)
			pdf.SetFont("f", "", 10)
			pdf.AddPage()
			if w := pdf.GetStringWidth("汉字 abc"); w <= 0 {
				t.Errorf("string width %v", w)
			}
			if err := pdf.Error(); err != nil {
				t.Errorf("fpdf: %v", err)
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
		_, _ = parseCmap(ttf)
	})
}
