package pptx

import (
	"flag"
	"fmt"
	"io"
	"regexp"
	"sort"
	"strings"
	"testing"

	"lessonexport/document"
	"lessonexport/formats/ooxml/ooxmltest"
)

var update = flag.Bool("update", false, "rewrite the golden files")

func newWriter(w io.Writer, m document.Meta) (document.Writer, error) { return NewWriter(w, m) }

func write(t *testing.T, m document.Meta, blocks []document.Block) map[string][]byte {
	t.Helper()
	return ooxmltest.Parts(t, newWriter, m, blocks)
}

// slides returns the text of each slide, paragraphs joined by newlines.
func slides(parts map[string][]byte) []string {
	var out []string
	for i := 1; ; i++ {
		data, ok := parts[fmt.Sprintf("ppt/slides/slide%d.xml", i)]
		if !ok {
			return out
		}
		out = append(out, paraText(data))
	}
}

func paraText(data []byte) string {
	var ps []string
	for _, p := range regexp.MustCompile(`<a:p>.*?</a:p>`).FindAll(data, -1) {
		ps = append(ps, strings.Join(ooxmltest.Text(append([]byte("<x>"),
			append(p, "</x>"...)...), "t"), ""))
	}
	return strings.Join(ps, "\n")
}

func TestGolden(t *testing.T) {
	parts := write(t, ooxmltest.Meta(), ooxmltest.Blocks())
	var names []string
	for n := range parts {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, name := range names {
		file := strings.NewReplacer("/", "_", "[", "", "]", "").Replace(name)
		ooxmltest.Golden(t, "sample/"+file, parts[name], *update)
	}
}

func TestDeterministic(t *testing.T) { ooxmltest.Deterministic(t, newWriter) }

func TestStructure(t *testing.T) {
	parts := write(t, ooxmltest.Meta(), ooxmltest.Blocks())
	ss := slides(parts)
	titles := []string{"Unit 3 My Family 我的家人", "Unit 3 My Family 我的家人",
		"教学目标 Objectives", "重点 Key points", "词汇 Vocabulary", "板书设计 Board design"}
	if len(ss) != len(titles) {
		t.Fatalf("%d slides, want %d:\n%s", len(ss), len(titles), strings.Join(ss, "\n---\n"))
	}
	for i, want := range titles {
		if !strings.Contains(ss[i], want) {
			t.Errorf("slide %d lacks title %q:\n%s", i+1, want, ss[i])
		}
	}
	if !strings.Contains(ss[0], "English · Wang Fang") {
		t.Errorf("title slide lacks subject and author:\n%s", ss[0])
	}
	if !strings.HasPrefix(ss[3], "教学目标 Objectives\n重点 Key points") {
		t.Errorf("level-2 slide does not show its section above the title:\n%s", ss[3])
	}
	for _, s := range ss {
		if strings.Contains(s, "目的：激活") {
			t.Error("a note is on a slide")
		}
	}
	notes := parts["ppt/notesSlides/notesSlide1.xml"]
	if !strings.Contains(paraText(notes), "目的：激活已有知识") {
		t.Error("the note is not in the speaker notes")
	}
	rels := string(parts["ppt/slides/_rels/slide4.xml.rels"])
	if !strings.Contains(rels, "../notesSlides/notesSlide1.xml") {
		t.Errorf("slide 4 does not link its notes: %s", rels)
	}
	if !strings.Contains(rels, `Target="https://example.com/unit%203?a=1&amp;b=2" `+
		`TargetMode="External"`) {
		t.Errorf("slide 4 lacks the hyperlink: %s", rels)
	}
	pres := string(parts["ppt/presentation.xml"])
	if !strings.Contains(pres, `<p:sldSz cx="12192000" cy="6858000"/>`) {
		t.Error("not 16:9")
	}
	if n := strings.Count(pres, "<p:sldId "); n != len(ss) {
		t.Errorf("presentation lists %d slides, want %d", n, len(ss))
	}
	s3 := string(parts["ppt/slides/slide3.xml"])
	for _, want := range []string{`<a:buChar char="•"/>`, `<a:t>1. </a:t>`, `<a:t>2. </a:t>`} {
		if !strings.Contains(s3, want) {
			t.Errorf("slide 3 lacks %s", want)
		}
	}
	s4 := string(parts["ppt/slides/slide4.xml"])
	for _, want := range []string{`<a:t>3. </a:t>`, `<a:t>Word cards 单词卡片</a:t>`,
		`strike="sngStrike"`, `<a:hlinkClick r:id="rId3"/>`} {
		if !strings.Contains(s4, want) {
			t.Errorf("slide 4 lacks %s", want)
		}
	}
	s5 := string(parts["ppt/slides/slide5.xml"])
	if !strings.Contains(s5, `<a:tbl>`) || strings.Count(s5, "<a:tr ") != 4 {
		t.Error("slide 5 lacks the table of four rows")
	}
	s6 := string(parts["ppt/slides/slide6.xml"])
	if !strings.Contains(s6, `<a:t>     │ </a:t>`) || !strings.Contains(s6, `spc="`) {
		t.Error("board lines lose their spaces or wide-character spacing")
	}
}

// Every run names a Latin and an East Asian face.
func TestRunFonts(t *testing.T) {
	parts := write(t, ooxmltest.Meta(), ooxmltest.Blocks())
	rpr := regexp.MustCompile(`<a:rPr [^>]*>.*?</a:rPr>`)
	for name, data := range parts {
		if !strings.HasPrefix(name, "ppt/slides/slide") &&
			!strings.HasPrefix(name, "ppt/notesSlides/") {
			continue
		}
		for _, r := range rpr.FindAllString(string(data), -1) {
			if !strings.Contains(r, "<a:latin typeface=") || !strings.Contains(r, "<a:ea typeface=") {
				t.Errorf("%s: run without fonts: %.200s", name, r)
			}
		}
	}
	theme := string(parts["ppt/theme/theme1.xml"])
	if !strings.Contains(theme, `<a:ea typeface="Microsoft YaHei"/>`) {
		t.Error("theme has no East Asian font")
	}
}

func TestOverflow(t *testing.T) {
	long := strings.Repeat("这是一段很长的教学内容，需要分页显示。", 60)
	var rows [][]document.Cell
	for i := range 40 {
		rows = append(rows, []document.Cell{
			{Blocks: []document.Block{document.Plain(fmt.Sprintf("row %d", i))}},
			{Blocks: []document.Block{document.Plain("值")}},
		})
	}
	var items []document.ListItem
	for i := range 30 {
		items = append(items, document.ListItem{Blocks: []document.Block{
			document.Plain(fmt.Sprintf("item %d", i+1))}})
	}
	board := strings.Repeat("│ 板书 │\n", 40)
	blocks := []document.Block{
		document.Heading{Level: 1, Text: "长段落"},
		document.Plain(long),
		document.Heading{Level: 1, Text: "长表格"},
		document.Table{Header: []document.Cell{{Blocks: []document.Block{document.Plain("名称")}},
			{Blocks: []document.Block{document.Plain("值")}}}, Rows: rows},
		document.Heading{Level: 1, Text: "长列表"},
		document.List{Ordered: true, Start: 1, Items: items},
		document.Heading{Level: 1, Text: "板书"},
		document.Preformatted{Role: document.Board, Text: board},
	}
	parts := write(t, ooxmltest.Meta(), blocks)
	ss := slides(parts)
	count := func(prefix string) int {
		n := 0
		for _, s := range ss {
			if strings.HasPrefix(s, prefix) {
				n++
			}
		}
		return n
	}
	for _, c := range []struct {
		title string
		min   int
	}{{"长段落", 2}, {"长表格", 2}, {"长列表", 2}, {"板书", 2}} {
		if n := count(c.title); n < c.min {
			t.Errorf("%s on %d slides, want at least %d", c.title, n, c.min)
		}
		if count(c.title+"（续）") == 0 {
			t.Errorf("no continuation slide titled %s（续）", c.title)
		}
	}
	all := ooxmltest.Squash(strings.Join(ss, ""))
	if strings.Count(all, "需要分页显示") != 60 {
		t.Errorf("long paragraph lost text: %d of 60 sentences", strings.Count(all, "需要分页显示"))
	}
	if strings.Count(all, "名称") < 2 {
		t.Error("the header row is not repeated on the table's continuation")
	}
	for i := range 30 {
		if !strings.Contains(all, fmt.Sprintf("%d.item%d", i+1, i+1)) {
			t.Errorf("item %d is missing or misnumbered", i+1)
		}
	}
	if strings.Count(all, "│板书│") != 40 {
		t.Errorf("board lost lines: %d of 40", strings.Count(all, "│板书│"))
	}
	// No slide holds more than about fourteen body lines.
	for i, s := range ss {
		if n := strings.Count(s, "\n"); n > 32 {
			t.Errorf("slide %d has %d paragraphs", i+1, n)
		}
	}
}

func TestContinuedEnglish(t *testing.T) {
	m := ooxmltest.Meta()
	m.Language = "en"
	blocks := []document.Block{document.Heading{Level: 1, Text: "Long"},
		document.Plain(strings.Repeat("word ", 1500))}
	ss := slides(write(t, m, blocks))
	if len(ss) < 3 || !strings.HasPrefix(ss[2], "Long (cont.)") {
		t.Errorf("no continuation slide titled Long (cont.): %d slides", len(ss))
	}
}

func TestSplit(t *testing.T) {
	p := tpara{runs: []document.Run{{Text: "alpha beta "}, {Text: "gamma", Bold: true},
		{Break: true}, {Text: strings.Repeat("长", 200)}}, size: sizeBody}
	lines := p.lines(bodyWPt)
	if lines < 4 {
		t.Fatalf("lines = %d, want at least 4", lines)
	}
	head, tail, cut := p.split(bodyWPt, 2)
	if !cut {
		t.Fatal("not cut")
	}
	if got := ooxmltest.Squash(document.Text(head.runs) + document.Text(tail.runs)); got !=
		ooxmltest.Squash(document.Text(p.runs)) {
		t.Errorf("split loses text: %q", got)
	}
	if head.lines(bodyWPt) > 2 {
		t.Errorf("head takes %d lines", head.lines(bodyWPt))
	}
	if _, _, cut := p.split(bodyWPt, lines); cut {
		t.Error("cut although it fits")
	}
}

func TestEmpty(t *testing.T) {
	parts := write(t, document.Meta{}, nil)
	if len(slides(parts)) != 1 {
		t.Error("an empty document has no single title slide")
	}
}

func TestAfterClose(t *testing.T) { ooxmltest.AfterClose(t, newWriter) }

func TestForbiddenCharacters(t *testing.T) {
	bad := ooxmltest.Forbidden
	m := ooxmltest.Meta()
	m.Title = bad
	parts := write(t, m, []document.Block{
		document.Heading{Level: 1, Text: bad},
		document.Paragraph{Runs: []document.Run{{Text: bad, Link: "https://x.org/" + bad}}},
		document.Paragraph{Style: document.Note, Runs: []document.Run{{Text: bad}}},
		document.Preformatted{Text: bad},
	})
	if !strings.Contains(strings.Join(slides(parts), ""), ooxmltest.Allowed) {
		t.Error("allowed characters lost")
	}
}

func TestOffice(t *testing.T) {
	ooxmltest.OfficeSample(t, newWriter, "sample.pptx",
		"Unit 3 My Family 我的家人", "教学目标 Objectives",
		"学生能够正确使用物主代词", "堂（表）兄弟姐妹", "GRAND-mo-ther", "course page",
		"学而时习之", "These are", "fmt.Println")
}

func FuzzWriter(f *testing.F) {
	for _, s := range []string{"", "plain", "中文 😀 ┌─┐", "a\x00\x0b\ufffe", "http://x.org/a b",
		"\t\r\n\n", "<&>\"'", strings.Repeat("长", 300), strings.Repeat("x\n", 100)} {
		f.Add(s, 3)
	}
	f.Fuzz(func(t *testing.T, s string, n int) { ooxmltest.Fuzz(t, newWriter, s, n) })
}
