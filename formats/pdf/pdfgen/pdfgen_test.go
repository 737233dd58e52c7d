package pdfgen

import (
	"bytes"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"lessonexport/fonts"
)

// sample writes a three-page file with text in two faces, a link, nested
// bookmarks and the page total.
func sample(t testing.TB) []byte {
	t.Helper()
	sans, err := fonts.SansFace.Font()
	if err != nil {
		t.Fatal(err)
	}
	fall, err := fonts.FallbackFace.Font()
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	d := New(&buf, Info{Title: "标题 Title 😀", Author: "王芳", Creator: "test",
		Lang: "zh-CN", Created: time.Date(2026, 9, 15, 8, 30, 0, 0, time.UTC)})
	fs := d.AddFont(sans, sans.PostScriptName)
	ff := d.AddFont(fall, fall.PostScriptName)
	d.AddFont(sans, "Unused")
	for i := range 3 {
		p := d.BeginPage(595, 842)
		p.SetFill(RGB{R: 20, G: 40, B: 60})
		p.Text(fs, 12, 72, 770, "第"+strconv.Itoa(i+1)+"页 Page (a)\\", TextStyle{})
		p.SetStroke(RGB{R: 20, G: 40, B: 60})
		p.SetLineWidth(0.3)
		p.Text(fs, 12, 72, 750, "粗体 bold", TextStyle{Stroke: true})
		p.Text(fs, 12, 72, 730, "斜体 italic", TextStyle{Skew: 0.2})
		p.Text(ff, 12, 72, 710, "/ˈɡrænmʌðə(r)/", TextStyle{})
		p.FillRect(72, 600, 100, 20)
		p.Line(72, 590, 300, 590)
		p.Link(72, 705, 100, 14, "https://example.com/(x)")
		foot := strconv.Itoa(i+1) + " / "
		p.Text(fs, 9, 280, 30, foot, TextStyle{})
		wd := 0
		for _, r := range foot {
			wd += sans.Advance1000(sans.Glyph(r))
		}
		p.Total(fs, 9, 280+float64(wd)*9/1000, 30)
		d.Bookmark("第"+strconv.Itoa(i+1)+"章", 0, 800)
		d.Bookmark("小节", 1, 700)
		d.Bookmark("深", 3, 650)
	}
	if err := d.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

var objRe = regexp.MustCompile(`(?m)^(\d+) 0 obj$`)

// checkFile checks the header and end of a PDF file and that every entry
// of its cross-reference table points at its object.
func checkFile(t *testing.T, data []byte) {
	t.Helper()
	if !bytes.HasPrefix(data, []byte("%PDF-1.7\n")) || !bytes.HasSuffix(data, []byte("%%EOF\n")) {
		t.Fatal("no PDF header or end")
	}
	i := bytes.LastIndex(data, []byte("startxref\n"))
	if i < 0 {
		t.Fatal("no startxref")
	}
	start, err := strconv.Atoi(strings.Fields(string(data[i+10:]))[0])
	if err != nil || start >= len(data) || !bytes.HasPrefix(data[start:], []byte("xref\n0 ")) {
		t.Fatalf("startxref %d does not point at the table", start)
	}
	lines := strings.Split(string(data[start:]), "\n")
	n, _ := strconv.Atoi(strings.Fields(lines[1])[1])
	if got := len(objRe.FindAll(data, -1)); got < n-1 {
		t.Errorf("%d objects, table has %d entries", got, n-1)
	}
	for obj := 1; obj < n; obj++ {
		off, _ := strconv.Atoi(lines[2+obj][:10])
		if !bytes.HasPrefix(data[off:], []byte(strconv.Itoa(obj)+" 0 obj\n")) {
			t.Errorf("entry of object %d points at %q", obj, data[off:min(off+12, len(data))])
		}
	}
}

// FuzzDoc writes arbitrary text, addresses and titles and checks that the
// file stays well formed.
func FuzzDoc(f *testing.F) {
	f.Add("标题 (a) \\ \x00 😀", "https://example.com/(x)", 2)
	f.Add("", "", -1)
	sans, err := fonts.SansFace.Font()
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, s, uri string, level int) {
		var buf bytes.Buffer
		d := New(&buf, Info{Title: s, Author: s, Keywords: s, Lang: s})
		font := d.AddFont(sans, "F")
		p := d.BeginPage(200, 200)
		p.Text(font, 10, 10, 100, s, TextStyle{Stroke: level%2 == 0, Skew: float64(level)})
		p.Link(10, 10, 50, 10, uri)
		p.Link(10, 30, 50, 10, uri)
		p.Total(font, 9, 100, 10)
		d.Bookmark(s, level, 100)
		d.BeginPage(200, 200)
		d.Bookmark(s, level+1, 50)
		if err := d.Close(); err != nil {
			t.Fatal(err)
		}
		checkFile(t, buf.Bytes())
	})
}

func TestStructure(t *testing.T) {
	data := sample(t)
	checkFile(t, data)
	if !bytes.Contains(data, []byte("/ID[<")) ||
		!bytes.Contains(data, []byte("/CreationDate (D:20260915083000Z)")) {
		t.Error("no identifier or creation date")
	}
	if bytes.Contains(data, []byte("Unused")) {
		t.Error("a font no page uses was written")
	}
	if !bytes.Equal(data, sample(t)) {
		t.Error("two runs differ")
	}
}

func TestTools(t *testing.T) {
	data := sample(t)
	file := filepath.Join(t.TempDir(), "sample.pdf")
	if err := os.WriteFile(file, data, 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := exec.LookPath("qpdf"); err != nil {
		t.Log("NOTICE: qpdf not installed; skipping its check")
	} else if out, err := exec.Command("qpdf", "--check", file).CombinedOutput(); err != nil ||
		bytes.Contains(out, []byte("WARNING")) {
		t.Errorf("qpdf --check: %v\n%s", err, out)
	}
	if _, err := exec.LookPath("pdftotext"); err != nil {
		t.Skip("NOTICE: pdftotext (poppler-utils) not installed; skipping the text check")
	}
	out, err := exec.Command("pdftotext", "-enc", "UTF-8", file, "-").CombinedOutput()
	if err != nil {
		t.Fatalf("pdftotext: %v\n%s", err, out)
	}
	text := string(out)
	for _, want := range []string{"第1页 Page (a)\\", "粗体 bold", "斜体 italic",
		"/ˈɡrænmʌðə(r)/", "第3页", "3/3"} {
		if !strings.Contains(text, want) && !strings.Contains(strings.ReplaceAll(text, " ", ""),
			want) {
			t.Errorf("pdftotext lacks %q:\n%s", want, text)
		}
	}
	if bytes.Contains(out, []byte("Syntax Error")) {
		t.Errorf("pdftotext reports errors:\n%s", out)
	}
	out, err = exec.Command("pdffonts", file).CombinedOutput()
	if err != nil {
		t.Fatalf("pdffonts: %v", err)
	}
	fontRe := regexp.MustCompile(`(?m)^[A-Z]{6}\+(\S+)\s+CID TrueType\s+Identity-H\s+yes yes yes`)
	if got := fontRe.FindAllSubmatch(out, -1); len(got) != 2 {
		t.Errorf("pdffonts lists %d embedded Identity-H subsets, want 2:\n%s", len(got), out)
	}
	if _, err := exec.LookPath("pdfinfo"); err == nil {
		out, _ := exec.Command("pdfinfo", file).CombinedOutput()
		if !strings.Contains(string(out), "标题 Title 😀") {
			t.Errorf("pdfinfo lacks the title:\n%s", out)
		}
	}
}

type failWriter struct{ n int }

func (f *failWriter) Write(p []byte) (int, error) {
	if f.n -= len(p); f.n < 0 {
		return 0, os.ErrClosed
	}
	return len(p), nil
}

func TestWriteError(t *testing.T) {
	for _, room := range []int{0, 50, 300} {
		d := New(&failWriter{n: room}, Info{})
		d.BeginPage(100, 100)
		if err := d.Close(); !errors.Is(err, os.ErrClosed) {
			t.Errorf("room %d: Close gave %v", room, err)
		}
	}
}

func TestAppendNum(t *testing.T) {
	tests := []struct {
		v    float64
		want string
	}{
		{0, "0"}, {1, "1"}, {-0.0001, "0"}, {1.5, "1.5"}, {2.1234, "2.123"},
		{-3.25, "-3.25"}, {1e300, "0"},
	}
	for _, tt := range tests {
		if got := string(appendNum(nil, tt.v)); got != tt.want {
			t.Errorf("appendNum(%v) = %q, want %q", tt.v, got, tt.want)
		}
	}
}
