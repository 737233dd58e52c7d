package pdf

import (
	"io"
	"math"
	"sync"
	"testing"
	"unicode/utf8"

	"lessonexport/document"
)

var (
	layoutOnce   sync.Once
	layoutWriter *Writer
)

// sharedWriter returns a writer used only to lay out blocks; layout keeps
// no state in it but the width cache.
func sharedWriter(t testing.TB) *Writer {
	layoutOnce.Do(func() {
		w, err := NewWriter(io.Discard, document.Meta{})
		if err != nil {
			t.Fatal(err)
		}
		layoutWriter = w
	})
	return layoutWriter
}

// checkLines checks that the text of lines stays inside width, unless a
// line holds a single character, and that every character is drawable.
func checkLines(t *testing.T, lines []vline, width float64) {
	t.Helper()
	for i, l := range lines {
		if math.IsNaN(l.h) || l.h < 0 {
			t.Fatalf("line %d has height %v", i, l.h)
		}
		right, runes := 0.0, 0
		for _, o := range l.ops {
			if o.kind != opText {
				continue
			}
			right = math.Max(right, o.x+o.w)
			runes += utf8.RuneCountInString(o.text)
			for _, r := range o.text {
				if !keep(r, o.st.face) && r != ' ' {
					t.Fatalf("line %d draws %U", i, r)
				}
			}
		}
		if right > width+0.01 && runes > 1 {
			t.Errorf("line %d reaches %.2f mm, beyond %.2f mm", i, right, width)
		}
	}
}

func TestLayoutFits(t *testing.T) {
	w := sharedWriter(t)
	texts := []string{
		"教案导出服务把教案转换为 DOCX、PDF、PPTX 和 Markdown 四种格式。",
		"https://example.com/a/very/long/path/without/any/spaces/at/all/index.html",
		"Supercalifragilisticexpialidocious antidisestablishmentarianism",
		"（括号）「引号」《书名》，。、；：？！",
	}
	for _, text := range texts {
		for _, width := range []float64{10, 25, 60, contentW} {
			p := document.Paragraph{Runs: []document.Run{{Text: text}, {Text: text, Code: true},
				{Text: text, Bold: true, Link: "https://example.com"}}}
			checkLines(t, w.layoutParagraph(p, width), width)
		}
	}
}

func FuzzLayout(f *testing.F) {
	f.Add("我的家人。」 hello 😀 ┌─┐ https://example.com/(x)", 30.0)
	f.Add("\t\tx\n\n", 1.0)
	f.Fuzz(func(t *testing.T, s string, width float64) {
		if math.IsNaN(width) || width < 1 || width > 1000 {
			return
		}
		w := sharedWriter(t)
		runs := []document.Run{{Text: s}, {Text: s, Code: true}, {Break: true},
			{Text: s, Italic: true, Link: s}}
		checkLines(t, w.layoutParagraph(document.Paragraph{Runs: runs}, width), width)
		checkLines(t, w.layoutHeading(document.Heading{Level: 2, Text: s}, width, true),
			width)
		// Preformatted text wraps at the last column and may shift a
		// combining mark left, so it is checked only for drawable text.
		checkLines(t, w.layoutPre(document.Preformatted{Text: s}, width), math.Inf(1))
		c := document.Cell{Blocks: []document.Block{document.Paragraph{Runs: runs}}}
		tbl := document.Table{Header: []document.Cell{c, c}, Rows: [][]document.Cell{{c, c}}}
		checkLines(t, w.layoutTable(tbl, width, 0), math.Inf(1))
	})
}
