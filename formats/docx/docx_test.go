package docx

import (
	"flag"
	"io"
	"regexp"
	"strings"
	"testing"
	"unicode/utf8"

	"lessonexport/document"
	"lessonexport/formats/ooxml/ooxmltest"
)

var update = flag.Bool("update", false, "rewrite the golden files")

func newWriter(w io.Writer, m document.Meta) (document.Writer, error) { return NewWriter(w, m) }

func sample(t *testing.T) map[string][]byte {
	t.Helper()
	return ooxmltest.Parts(t, newWriter, ooxmltest.Meta(), ooxmltest.Blocks())
}

func TestGolden(t *testing.T) {
	parts := sample(t)
	for _, name := range []string{
		"[Content_Types].xml", "_rels/.rels", "docProps/core.xml", "docProps/app.xml",
		"word/document.xml", "word/styles.xml", "word/numbering.xml", "word/settings.xml",
		"word/fontTable.xml", "word/footer1.xml", "word/_rels/document.xml.rels",
	} {
		got, ok := parts[name]
		if !ok {
			t.Errorf("no part %s", name)
			continue
		}
		file := strings.NewReplacer("/", "_", "[", "", "]", "").Replace(name)
		ooxmltest.Golden(t, "sample/"+file, got, *update)
	}
}

func TestDeterministic(t *testing.T) { ooxmltest.Deterministic(t, newWriter) }

func TestContent(t *testing.T) {
	parts := sample(t)
	doc := string(parts["word/document.xml"])
	rels := string(parts["word/_rels/document.xml.rels"])
	cases := []struct {
		name, where, pattern string
	}{
		{"title first", doc, `^<\?xml[^>]*>\s*<w:document[^>]*><w:body><w:p><w:pPr>` +
			`<w:pStyle w:val="Title"/>`},
		{"heading 1", doc, `<w:pStyle w:val="Heading1"/>.*教学目标 Objectives`},
		{"heading 2", doc, `<w:pStyle w:val="Heading2"/>`},
		{"heading 3", doc, `<w:pStyle w:val="Heading3"/>`},
		{"bold", doc, `<w:b/><w:bCs/></w:rPr><w:t xml:space="preserve">eight</w:t>`},
		{"italic", doc, `<w:i/><w:iCs/></w:rPr><w:t xml:space="preserve">father, mother`},
		{"strike", doc, `<w:strike/></w:rPr><w:t xml:space="preserve">旧句型 </w:t>`},
		{"code", doc, `<w:rStyle w:val="CodeChar"/>`},
		{"break", doc, `<w:br/>`},
		{"hyperlink", doc, `<w:hyperlink r:id="rId6" w:history="1"><w:r><w:rPr>` +
			`<w:rStyle w:val="Hyperlink"/>`},
		{"link target escaped", rels, `Id="rId6" Type="[^"]*hyperlink" ` +
			`Target="https://example.com/unit%203\?a=1&amp;b=2" TargetMode="External"`},
		{"bullet list", doc, `<w:numPr><w:ilvl w:val="0"/><w:numId w:val="1"/></w:numPr>`},
		{"nested ordered list", doc, `<w:numPr><w:ilvl w:val="1"/><w:numId w:val="2"/>`},
		{"second ordered list", doc, `<w:numPr><w:ilvl w:val="0"/><w:numId w:val="3"/>`},
		{"header row", doc, `<w:trPr><w:cantSplit/><w:tblHeader/></w:trPr>`},
		{"label column", doc, `<w:shd w:val="clear" w:color="auto" w:fill="EDEDED"/>`},
		{"widths", doc, `<w:gridCol w:w="2256"/><w:gridCol w:w="6770"/>`},
		{"board", doc, `<w:pStyle w:val="Board"/>`},
		{"spaces kept", doc, `<w:t xml:space="preserve">     │</w:t>`},
		{"tabs expanded", doc, `<w:t xml:space="preserve">    fmt.Println`},
		{"quote", doc, `<w:pStyle w:val="Quote"/>`},
		{"note", doc, `<w:pStyle w:val="Note"/>`},
		{"emoji kept", doc, `😀`},
		{"section", doc, `<w:pgSz w:w="11906" w:h="16838"/>`},
		{"footer", doc, `<w:footerReference w:type="default" r:id="rId5"/>`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if !regexp.MustCompile(c.pattern).MatchString(c.where) {
				t.Errorf("no match for %s", c.pattern)
			}
		})
	}
	num := string(parts["word/numbering.xml"])
	for _, want := range []string{
		`<w:num w:numId="2"><w:abstractNumId w:val="1"/><w:lvlOverride w:ilvl="1">` +
			`<w:startOverride w:val="1"/>`,
		`<w:num w:numId="3"><w:abstractNumId w:val="1"/><w:lvlOverride w:ilvl="0">` +
			`<w:startOverride w:val="3"/>`,
	} {
		if !strings.Contains(num, want) {
			t.Errorf("numbering.xml lacks %s", want)
		}
	}
	footer := string(parts["word/footer1.xml"])
	if !strings.Contains(footer, `<w:instrText xml:space="preserve"> PAGE `) {
		t.Error("footer has no PAGE field")
	}
	core := string(parts["docProps/core.xml"])
	for _, want := range []string{"<dc:title>Unit 3 My Family 我的家人</dc:title>",
		"<dc:creator>Wang Fang</dc:creator>", "<cp:keywords>family, possessives</cp:keywords>",
		"<dc:language>zh-CN</dc:language>", ">2026-09-15T08:30:00Z</dcterms:created>"} {
		if !strings.Contains(core, want) {
			t.Errorf("core.xml lacks %s", want)
		}
	}
}

// Every run names its Latin and East Asian fonts.
func TestRunFonts(t *testing.T) {
	parts := sample(t)
	doc := string(parts["word/document.xml"])
	runs := regexp.MustCompile(`<w:r>.*?</w:r>`).FindAllString(doc, -1)
	if len(runs) == 0 {
		t.Fatal("no runs")
	}
	font := regexp.MustCompile(`<w:rFonts w:ascii="[^"]+" w:hAnsi="[^"]+" w:eastAsia="[^"]+"`)
	for _, r := range runs {
		if !font.MatchString(r) {
			t.Errorf("run without fonts: %.200s", r)
		}
	}
	styles := string(parts["word/styles.xml"])
	if !strings.Contains(styles, `<w:lang w:val="zh-CN" w:eastAsia="zh-CN"`) {
		t.Error("styles.xml does not set the language")
	}
}

func TestForbiddenCharacters(t *testing.T) {
	bad := ooxmltest.Forbidden
	blocks := []document.Block{
		document.Heading{Level: 1, Text: bad},
		document.Paragraph{Runs: []document.Run{{Text: bad, Link: "https://x.org/" + bad}}},
		document.Preformatted{Text: bad},
	}
	m := ooxmltest.Meta()
	m.Title, m.Author = bad, bad
	parts := ooxmltest.Parts(t, newWriter, m, blocks)
	doc := parts["word/document.xml"]
	if !utf8.Valid(doc) {
		t.Error("document.xml is not UTF-8")
	}
	text := strings.Join(ooxmltest.Text(doc, "t"), "|")
	if !strings.Contains(text, ooxmltest.Allowed) {
		t.Errorf("text %q lacks the allowed characters", text)
	}
}

func TestEmpty(t *testing.T) {
	parts := ooxmltest.Parts(t, newWriter, document.Meta{}, nil)
	if strings.Contains(string(parts["word/document.xml"]), `w:val="Title"`) {
		t.Error("title paragraph without a title")
	}
}

func TestAfterClose(t *testing.T) { ooxmltest.AfterClose(t, newWriter) }

type failWriter struct{ n int }

func (f *failWriter) Write(p []byte) (int, error) {
	if f.n -= len(p); f.n < 0 {
		return 0, io.ErrShortWrite
	}
	return len(p), nil
}

func TestWriteError(t *testing.T) {
	full, err := ooxmltest.Write(newWriter, ooxmltest.Meta(), ooxmltest.Blocks())
	if err != nil {
		t.Fatal(err)
	}
	for _, limit := range []int{0, 100, len(full) / 2, len(full) - 1} {
		w, err := NewWriter(&failWriter{n: limit}, ooxmltest.Meta())
		if err != nil {
			continue
		}
		for _, b := range ooxmltest.Blocks() {
			if err = w.WriteBlock(b); err != nil {
				break
			}
		}
		if err == nil {
			err = w.Close()
		}
		if err == nil {
			t.Errorf("limit %d: no error", limit)
		}
	}
}

func TestColumnWidths(t *testing.T) {
	cases := []struct {
		rel   []float64
		cols  int
		total int
		want  []int
	}{
		{nil, 2, 1000, []int{500, 500}},
		{[]float64{1, 3}, 2, 1000, []int{360, 640}},
		{[]float64{1, 1, 2}, 3, 4000, []int{1000, 1000, 2000}},
		{[]float64{1}, 2, 1000, []int{500, 500}},
		{[]float64{-1, 2}, 2, 1000, []int{500, 500}},
	}
	for _, c := range cases {
		got := columnWidths(c.rel, c.cols, c.total)
		if len(got) != len(c.want) {
			t.Errorf("%v: got %v", c.rel, got)
			continue
		}
		for i := range got {
			if got[i] != c.want[i] {
				t.Errorf("%v over %d: got %v, want %v", c.rel, c.total, got, c.want)
				break
			}
		}
	}
}

func TestOffice(t *testing.T) {
	ooxmltest.OfficeSample(t, newWriter, "sample.docx",
		"Unit 3 My Family 我的家人", "教学目标 Objectives",
		"学生能够正确使用物主代词", "堂（表）兄弟姐妹", "GRAND-mo-ther", "course page",
		"学而时习之", "This is", "fmt.Println")
}

func FuzzWriter(f *testing.F) {
	for _, s := range []string{"", "plain", "中文 😀 ┌─┐", "a\x00\x0b\ufffe", "http://x.org/a b",
		"\t\r\n\n", "<&>\"'", strings.Repeat("长", 300)} {
		f.Add(s, 3)
	}
	f.Fuzz(func(t *testing.T, s string, n int) { ooxmltest.Fuzz(t, newWriter, s, n) })
}
