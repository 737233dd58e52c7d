package ooxml

import (
	"bytes"
	"math"
	"slices"
	"strings"
	"testing"
	"time"

	"lessonexport/document"
	"lessonexport/formats/ooxml/ooxmltest"
)

func TestClean(t *testing.T) {
	cases := []struct{ in, want string }{
		{"plain 中文", "plain 中文"},
		{"a\x00b\x01c\x0bd\x0ce\x1f", "abcde"},
		{"tab\tlf\ncr\r", "tab\tlf\ncr\r"},
		{"\ufffe\uffff\ufdd0x", "x"},
		{"bad\xffutf8\xc3", "badutf8"},
		{string([]byte{0xed, 0xa0, 0x80}) + "lone surrogate", "lone surrogate"},
		{"emoji 😀 𠀀", "emoji 😀 𠀀"},
		{"\u0085\u009fc1", "c1"},
		{"keep \ufffd", "keep \ufffd"},
		{"", ""},
	}
	for _, c := range cases {
		if got := Clean(c.in); got != c.want {
			t.Errorf("Clean(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

func TestEscape(t *testing.T) {
	cases := []struct{ in, want string }{
		{`a<b>&"c'`, "a&lt;b&gt;&amp;&quot;c&apos;"},
		{"x\ty\nz\r", "x&#9;y&#10;z&#13;"},
		{"\x00中", "中"},
	}
	for _, c := range cases {
		if got := Escape(c.in); got != c.want {
			t.Errorf("Escape(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

func TestSafeLink(t *testing.T) {
	cases := []struct {
		in, want string
		ok       bool
	}{
		{"https://example.com/a b?x=1&y=2", "https://example.com/a%20b?x=1&y=2", true},
		{" http://例子.中国/路径 ", "http://%E4%BE%8B%E5%AD%90.%E4%B8%AD%E5%9B%BD/" +
			"%E8%B7%AF%E5%BE%84", true},
		{"mailto:teacher@example.com", "mailto:teacher@example.com", true},
		{"javascript:alert(1)", "", false},
		{"/relative/path", "", false},
		{"#anchor", "", false},
		{"http://", "", false},
		{"", "", false},
		{"https://x.org/" + strings.Repeat("a", 3000), "", false},
		{"http://[::1", "", false},
	}
	for _, c := range cases {
		got, ok := SafeLink(c.in)
		if ok != c.ok || got != c.want {
			t.Errorf("SafeLink(%q) = %q, %v; want %q, %v", c.in, got, ok, c.want, c.ok)
		}
	}
}

func TestLang(t *testing.T) {
	cases := map[string]string{"": "en-US", "zh": "zh-CN", "zh_CN": "zh-CN", "en": "en-US",
		"de-DE": "de-DE", "a\"b": "en-US", "zh-Hans": "zh-CN"}
	for in, want := range cases {
		if got := Lang(in); got != want {
			t.Errorf("Lang(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestSplitWide(t *testing.T) {
	got := SplitWide("│ 单数  │ab中")
	want := []Segment{{"│ ", false}, {"单数", true}, {"  │ab", false}, {"中", true}}
	if len(got) != len(want) {
		t.Fatalf("got %v", got)
	}
	for i := range got {
		if got[i] != want[i] {
			t.Errorf("segment %d = %v, want %v", i, got[i], want[i])
		}
	}
	if SplitWide("") != nil {
		t.Error("segments of empty text")
	}
}

func TestColumns(t *testing.T) {
	cases := map[rune]int{'a': 1, '─': 1, '中': 2, '，': 2, '😀': 2, 'é': 1, '𠀀': 2}
	for r, want := range cases {
		if got := Columns(r); got != want {
			t.Errorf("Columns(%q) = %d, want %d", r, got, want)
		}
	}
}

func TestPackage(t *testing.T) {
	var buf bytes.Buffer
	p := NewPackage(&buf, time.Time{})
	if err := p.WritePart("_rels/.rels", "", RootRels("main.xml").XML()); err != nil {
		t.Fatal(err)
	}
	if err := p.WritePart("main.xml", "application/x-test+xml", "<main/>"); err != nil {
		t.Fatal(err)
	}
	if err := p.WriteProps(document.Meta{Title: "T <&>", Keywords: []string{" a ", "", "b"}},
		""); err != nil {
		t.Fatal(err)
	}
	if _, err := p.Create("main.xml", ""); err == nil {
		t.Error("duplicate part accepted")
	}
	if err := p.Close(); err != nil {
		t.Fatal(err)
	}
	parts, err := ooxmltest.Check(buf.Bytes())
	if err != nil {
		t.Fatal(err)
	}
	core := string(parts["docProps/core.xml"])
	if !strings.Contains(core, "<dc:title>T &lt;&amp;&gt;</dc:title>") ||
		!strings.Contains(core, "<cp:keywords>a, b</cp:keywords>") {
		t.Errorf("core properties: %s", core)
	}
	if strings.Contains(core, "dcterms:created") {
		t.Error("creation time without Meta.Created")
	}
	if _, err := p.Create("late.xml", ""); err == nil {
		t.Error("part created after Close")
	}
}

func TestRelsName(t *testing.T) {
	cases := map[string]string{"word/document.xml": "word/_rels/document.xml.rels",
		"ppt/slides/slide1.xml": "ppt/slides/_rels/slide1.xml.rels", "x.xml": "_rels/x.xml.rels"}
	for in, want := range cases {
		if got := RelsName(in); got != want {
			t.Errorf("RelsName(%q) = %q, want %q", in, got, want)
		}
	}
}

func FuzzEscape(f *testing.F) {
	for _, s := range []string{"", "a<b", "\x00\ufffe", "中😀", "\xff\xfe"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		doc := "<a b=\"" + Escape(s) + "\">" + Escape(s) + "</a>"
		if err := ooxmltest.WellFormed([]byte(doc)); err != nil {
			t.Fatalf("%q: %v", s, err)
		}
		if l, ok := SafeLink(s); ok {
			for i := 0; i < len(l); i++ {
				if l[i] <= ' ' || l[i] >= 0x7f {
					t.Fatalf("link %q has byte %#x", l, l[i])
				}
			}
		}
	})
}

func TestOneLine(t *testing.T) {
	cases := []struct{ in, want string }{
		{"  a\r\nb\nc\rd\te  ", "a b c d e"},
		{"x\x00y\x0b", "xy"},
		{"\n\t", ""},
		{"中文 😀", "中文 😀"},
	}
	for _, c := range cases {
		if got := OneLine(c.in); got != c.want {
			t.Errorf("OneLine(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

func TestExpandTabs(t *testing.T) {
	cases := []struct{ in, want string }{
		{"no tabs", "no tabs"},
		{"\tx", "    x"},
		{"ab\tc", "ab  c"},
		{"abcd\te", "abcd    e"},
		{"中\tx", "中  x"},
		{"😀中\t", "😀中    "},
		{"", ""},
	}
	for _, c := range cases {
		if got := ExpandTabs(c.in); got != c.want {
			t.Errorf("ExpandTabs(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

func TestWeights(t *testing.T) {
	inf := math.Inf(1)
	cases := []struct {
		rel  []float64
		cols int
		want []float64
		sum  float64
	}{
		{[]float64{1, 3}, 2, []float64{1, 3}, 4},
		{[]float64{1, 3}, 3, []float64{1, 1, 1}, 3},
		{[]float64{1, 0}, 2, []float64{1, 1}, 2},
		{[]float64{1, -2}, 2, []float64{1, 1}, 2},
		{[]float64{1, math.NaN()}, 2, []float64{1, 1}, 2},
		{[]float64{inf, 1}, 2, []float64{1, 1}, 2},
		{[]float64{math.MaxFloat64, math.MaxFloat64}, 2, []float64{1, 1}, 2},
		{nil, 1, []float64{1}, 1},
	}
	for _, c := range cases {
		got, sum := Weights(c.rel, c.cols)
		if !slices.Equal(got, c.want) || sum != c.sum {
			t.Errorf("Weights(%v, %d) = %v, %v; want %v, %v", c.rel, c.cols, got, sum,
				c.want, c.sum)
		}
	}
}
