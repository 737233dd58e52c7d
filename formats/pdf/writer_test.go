package pdf

import (
	"bytes"
	"crypto/sha256"
	"flag"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"lessonexport/document"
	"lessonexport/fonts"
)

var outDir = flag.String("out", "", "also write the test documents to this directory")

func sampleMeta() document.Meta {
	return document.Meta{
		Title:    "Unit 3 My Family 我的家人 😀",
		Subject:  "English",
		Author:   "王芳 Wang Fang",
		Keywords: []string{"family", "家庭", "possessives"},
		Language: "zh-CN",
		Created:  time.Date(2026, 9, 15, 8, 30, 0, 0, time.UTC),
	}
}

func para(runs ...document.Run) document.Paragraph { return document.Paragraph{Runs: runs} }

func cell(s string) document.Cell {
	return document.Cell{Blocks: []document.Block{document.Plain(s)}}
}

func sampleBlocks() []document.Block {
	board := "        Unit 3  My Family\n" +
		" ┌──────────────┬──────────────┐\n" +
		" │ This is my … │ These are my…│\n" +
		" ├──────────────┼──────────────┤\n" +
		" │ father  爸爸 │ parents 父母 │\n" +
		" │ mother  妈妈 │ cousins 表亲 │\n" +
		" └──────────────┴──────────────┘"
	var long document.Table
	long.Header = []document.Cell{cell("环节 Stage"), cell("教师活动 Teacher"),
		cell("学生活动 Students")}
	for i := range 40 {
		long.Rows = append(long.Rows, []document.Cell{
			cell("第" + string(rune('一'+i%9)) + "环节"),
			cell(strings.Repeat("教师展示家庭照片并提问，引导学生回答。", 1+i%3)),
			cell("Students answer: \"This is my father.\" 学生回答问题。"),
		})
	}
	long.Rows = append(long.Rows, []document.Cell{cell("长单元格"),
		cell(strings.Repeat("这一行非常长，用来检查表格的行能否跨页断开并重复表头。", 100)),
		cell("end")})
	return []document.Block{
		document.Table{Role: document.InfoTable, Rows: [][]document.Cell{
			{cell("学科 Subject"), cell("English")},
			{cell("教师 Teacher"), cell("王芳 Wang Fang")},
			{cell("课时 Duration"), cell("45 分钟")},
		}},
		document.Heading{Level: 1, Text: "教学目标 Objectives"},
		para(document.Run{Text: "Students can name eight family members: "},
			document.Run{Text: "father, mother, grandfather", Italic: true},
			document.Run{Text: "。学生能够正确使用物主代词 "},
			document.Run{Text: "his / her", Bold: true},
			document.Run{Text: "，并用 "},
			document.Run{Text: "This is my ...", Code: true},
			document.Run{Text: " 介绍家人（见附件）。表情符号 😀👍🏽 与 ZWJ 👨‍👩‍👧 不会消失。"}),
		para(document.Run{Text: "Link: "},
			document.Run{Text: "https://example.com/a/very/long/path/that/does/not/fit/on/" +
				"one/line/at/all/because/it/is/really/long/index.html",
				Link: "https://example.com/a/very/long/path"},
			document.Run{Break: true},
			document.Run{Text: "After a hard break, ~~struck~~ ", Strike: true},
			document.Run{Text: "tab\there."}),
		document.Paragraph{Style: document.Note, Runs: []document.Run{
			{Text: "设计意图：激活已有知识，营造轻松氛围。"}}},
		document.Table{Header: []document.Cell{cell("单词"), cell("音标")},
			Rows: [][]document.Cell{{cell("grandmother"), cell("/ˈɡrænmʌðə(r)/")}}},
		document.Paragraph{Style: document.Quote, Runs: []document.Run{
			{Text: "Tip: pause after each city so weaker listeners can catch up."}}},
		document.Heading{Level: 2, Text: "教学过程 Procedure"},
		document.List{Items: []document.ListItem{
			{Blocks: []document.Block{document.Plain("Warm-up 热身")}},
			{Blocks: []document.Block{document.Plain("Presentation 新授"),
				document.List{Ordered: true, Start: 1, Items: []document.ListItem{
					{Blocks: []document.Block{document.Plain("Show grandfather.")}},
					{Blocks: []document.Block{document.Plain("Drill the stress: GRAND-mo-ther.")}},
				}}}},
		}},
		document.List{Ordered: true, Start: 9, Items: []document.ListItem{
			{Blocks: []document.Block{document.Plain("九")}},
			{Blocks: []document.Block{document.Plain("十")}},
		}},
		document.Heading{Level: 3, Text: "板书设计 Board design"},
		document.Preformatted{Role: document.Board, Text: board},
		document.Preformatted{Role: document.Code,
			Text: "func main() {\n\tfmt.Println(\"你好\")\n}\n"},
		document.Heading{Level: 1, Text: "长表格 Long table"},
		long,
		document.Heading{Level: 1, Text: "结束 The end"},
		document.Plain("最后一段。Last paragraph."),
	}
}

func writeSample(t testing.TB) []byte {
	t.Helper()
	var buf bytes.Buffer
	w, err := NewWriter(&buf, sampleMeta())
	if err != nil {
		t.Fatal(err)
	}
	for _, b := range sampleBlocks() {
		if err := w.WriteBlock(b); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func TestWriteSample(t *testing.T) {
	data := writeSample(t)
	if !bytes.HasPrefix(data, []byte("%PDF-")) {
		t.Fatalf("output starts with %q", data[:min(len(data), 8)])
	}
	dir := t.TempDir()
	if *outDir != "" {
		dir = *outDir
	}
	path := filepath.Join(dir, "sample.pdf")
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := exec.LookPath("pdftotext"); err != nil {
		t.Skip("pdftotext (poppler-utils) not installed; skipping the text check")
	}
	out, err := exec.Command("pdftotext", "-enc", "UTF-8", path, "-").Output()
	if err != nil {
		t.Fatalf("pdftotext: %v", err)
	}
	text := strings.Join(strings.Fields(string(out)), "")
	for _, want := range []string{"教学目标Objectives", "Studentscannameeightfamilymembers",
		"学生能够正确使用物主代词", "[U+1F600]", "father爸爸", "这一行非常长",
		"最后一段。Lastparagraph.", "1/", "设计意图", "/ˈɡrænmʌðə(r)/"} {
		if !strings.Contains(text, want) {
			t.Errorf("pdftotext output lacks %q", want)
		}
	}
	if _, err := exec.LookPath("pdffonts"); err != nil {
		t.Skip("pdffonts (poppler-utils) not installed; skipping the font check")
	}
	out, err = exec.Command("pdffonts", path).Output()
	if err != nil {
		t.Fatalf("pdffonts: %v", err)
	}
	fontLines := 0
	for _, line := range strings.Split(string(out), "\n")[2:] {
		f := strings.Fields(line)
		if len(f) == 0 {
			continue
		}
		fontLines++
		// name type encoding emb sub uni object ID
		if n := len(f); n < 7 || f[n-5] != "yes" || f[n-4] != "yes" {
			t.Errorf("font not embedded as a subset: %s", line)
		}
	}
	if fontLines != 3 {
		t.Errorf("pdffonts lists %d fonts, want 3:\n%s", fontLines, out)
	}
}

func TestDeterministic(t *testing.T) {
	var sums [3][32]byte
	for f := range sums {
		sums[f] = sha256.Sum256(fonts.Face(f).TTF())
	}
	a := writeSample(t)
	for i := range 3 {
		if b := writeSample(t); !bytes.Equal(a, b) {
			t.Fatalf("run %d over the same input differs from the first", i+2)
		}
	}
	for f := range sums {
		if sha256.Sum256(fonts.Face(f).TTF()) != sums[f] {
			t.Errorf("writing changed the data of face %d", f)
		}
	}
	if !bytes.Contains(a, []byte("/ID[<")) {
		t.Error("output has no file identifier")
	}
	if !bytes.Contains(a, []byte("/CreationDate (D:20260915083000Z)")) {
		t.Error("creation date is not Meta.Created")
	}
}

func TestEmpty(t *testing.T) {
	tests := []struct {
		name   string
		meta   document.Meta
		blocks []document.Block
	}{
		{"nothing", document.Meta{}, nil},
		{"empty blocks", document.Meta{Title: " "}, []document.Block{
			document.Paragraph{}, document.List{}, document.Table{},
			document.Preformatted{}, document.Heading{}, nil,
			document.Table{Header: []document.Cell{{}}},
			document.List{Items: []document.ListItem{{}}},
		}},
		{"pointers", document.Meta{Title: "x"}, []document.Block{
			&document.Paragraph{Runs: []document.Run{{Text: "p"}}},
			(*document.Paragraph)(nil), &document.Heading{Level: 9, Text: "h"},
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			data := write(t, tt.meta, tt.blocks)
			checkPDF(t, data)
		})
	}
}

func write(t testing.TB, meta document.Meta, blocks []document.Block) []byte {
	t.Helper()
	var buf bytes.Buffer
	w, err := NewWriter(&buf, meta)
	if err != nil {
		t.Fatal(err)
	}
	for _, b := range blocks {
		if err := w.WriteBlock(b); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	if err := w.WriteBlock(document.Plain("late")); err == nil {
		t.Error("WriteBlock after Close gave no error")
	}
	return buf.Bytes()
}

func checkPDF(t testing.TB, data []byte) {
	t.Helper()
	if !bytes.HasPrefix(data, []byte("%PDF-")) {
		t.Fatalf("output starts with %q", data[:min(len(data), 8)])
	}
	if !bytes.HasSuffix(bytes.TrimRight(data, "\r\n"), []byte("%%EOF")) {
		t.Fatalf("output does not end with %%%%EOF")
	}
}

type failWriter struct{}

func (failWriter) Write([]byte) (int, error) { return 0, os.ErrClosed }

func TestWriteError(t *testing.T) {
	w, err := NewWriter(failWriter{}, document.Meta{Title: "t"})
	if err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err == nil {
		t.Fatal("Close gave no error for a failing writer")
	}
}

// FuzzWriter feeds arbitrary text through every kind of block.
func FuzzWriter(f *testing.F) {
	f.Add("我的家人。」 hello 😀 \x00\x1b\t\r\n┌─┐ https://example.com/(x)", 3)
	f.Add("\xff\xfe\uFFFF\uFFFE\U0010FFFF\u200d\ufe0f", 0)
	f.Add(strings.Repeat("长", 500), 1)
	f.Fuzz(func(t *testing.T, s string, n int) {
		checkPDF(t, fuzzDoc(t, s, n))
	})
}

// fuzzDoc writes s through every kind of block, n choosing among styles.
func fuzzDoc(t testing.TB, s string, n int) []byte {
	n = n%5 + 1
	if n <= 0 {
		n += 5
	}
	runs := []document.Run{{Text: s}, {Text: s, Bold: true}, {Break: true},
		{Text: s, Italic: true, Code: true}, {Text: s, Link: s, Strike: true}}
	c := document.Cell{Blocks: []document.Block{document.Paragraph{Runs: runs}}}
	proc := document.Table{Role: document.ProcedureTable, Header: []document.Cell{c, c, c},
		Keys: []string{"stage", "teacher", "content"}, Rows: [][]document.Cell{{c, c, c}},
		Depths: []int{n}}
	more := proc
	more.Continues, more.Header = true, nil
	blocks := []document.Block{
		document.Heading{Level: n, Text: s},
		document.Paragraph{Style: document.ParagraphStyle(n % 3), Runs: runs},
		document.List{Ordered: n%2 == 0, Start: n, Items: []document.ListItem{
			{Blocks: []document.Block{document.Plain(s),
				document.List{Items: []document.ListItem{{Blocks: []document.Block{
					document.Plain(s)}}}}}},
		}},
		document.Table{Role: document.TableRole(n % 4), Header: []document.Cell{c, c},
			Rows: [][]document.Cell{{c}, {c, c, c}}, Widths: []float64{float64(n), 1, 0}},
		proc, more,
		document.Preformatted{Role: document.PreformattedRole(n % 2), Text: s},
	}
	meta := document.Meta{Title: s, Subject: s, Author: s, Keywords: []string{s},
		Language: s}
	return write(t, meta, blocks)
}

// TestFuzzOutputQpdf has qpdf check documents the fuzz target makes from
// awkward input.
func TestFuzzOutputQpdf(t *testing.T) {
	if _, err := exec.LookPath("qpdf"); err != nil {
		t.Skip("NOTICE: qpdf not installed; skipping the check of fuzz outputs")
	}
	inputs := []string{"", "我的家人。」 hello 😀 \x00\x1b\t\r\n┌─┐ https://example.com/(x)",
		"\xff\xfe\uFFFF\uFFFE\U0010FFFF\u200d\ufe0f", strings.Repeat("长", 300),
		"((()))\\ \\) <> [] {} % /Name #23", "e\u0301\u0308 ا ב \u202e x"}
	dir := t.TempDir()
	for i, s := range inputs {
		file := filepath.Join(dir, "fuzz"+string(rune('a'+i))+".pdf")
		if err := os.WriteFile(file, fuzzDoc(t, s, i), 0o644); err != nil {
			t.Fatal(err)
		}
		out, err := exec.Command("qpdf", "--check", file).CombinedOutput()
		if err != nil || bytes.Contains(out, []byte("WARNING")) {
			t.Errorf("input %d: qpdf --check: %v\n%s", i, err, out)
		}
	}
}
